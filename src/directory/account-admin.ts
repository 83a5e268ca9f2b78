/**
 * Operator actions on an existing mailbox: suspend, restore, delete (Điều 7.3, 8), quota
 * (Điều 9.1), aliases (the transition: old addresses stay), transfer to another organisation
 * (Điều 7.2.a "chuyển công tác"), and roles. Each is one transaction with its audit event.
 */
import { DAY_MS } from '../util/clock.ts';
import { invalid } from '../util/errors.ts';
import { appendAudit, type Role, type Tx } from '../store/index.ts';
import { nextState, parseSuspensionReason, type StateEvent } from './account-state.ts';
import { issueExactAddress, parseAlias, retireAddresses } from './address-registry.ts';
import { ROLES } from './roles.ts';
import { revokeOnMove, revokeOnStateChange } from './delegation.ts';
import {
  accountView,
  agencyIdOf,
  authorise,
  findOrgByCode,
  findOrgById,
  inTransaction,
  requireAccount,
  type AccountRow,
  type AccountView,
  type Caller,
  type DirectoryContext,
  type TxOption,
} from './context.ts';

/** Largest quota accepted: 10 TiB (a typo guard, not a policy). */
const MAX_QUOTA = 10 * 1024 ** 4;

/** Control characters other than tab and newline. */
function hasControlChars(t: string): boolean {
  for (const ch of t) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) return true;
  }
  return false;
}

function cleanText(v: string | undefined, max = 2000): string | null {
  const t = v?.normalize('NFC').trim();
  if (!t) return null;
  if (t.length > max || hasControlChars(t))
    throw invalid(
      'text.bad',
      `Nội dung quá dài hoặc có ký tự điều khiển (tối đa ${max}).`,
      `Text too long or has control characters (max ${max}).`,
    );
  return t;
}

export class AccountAdminService {
  constructor(private readonly ctx: DirectoryContext) {}

  /**
   * Runs `fn` on the account in a write transaction after the permission check: the caller's
   * transaction when `opts.tx` is given (a request's approval executes the change and records its
   * decision in one transaction), else a new one.
   */
  private async onAccount<T>(
    caller: Caller,
    address: string,
    action: 'account.state' | 'account.update',
    fn: (tx: Tx, account: AccountRow, now: Date) => Promise<T>,
    opts: TxOption = {},
  ): Promise<T> {
    const { ctx } = this;
    return inTransaction(ctx, opts, async (tx) => {
      const account = await requireAccount(tx.db, ctx.settings, address);
      authorise(caller, action, {
        agencyId: agencyIdOf(await findOrgById(tx.db, account.org_id)),
        accountId: account.id,
      });
      return fn(tx, account, ctx.clock.now());
    });
  }

  private async fresh(tx: Tx, id: string): Promise<AccountView> {
    const row = await tx.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return accountView(tx.db, this.ctx.settings, row);
  }

  private async changeState(
    caller: Caller,
    address: string,
    event: StateEvent,
    input: { reason?: string; basis?: string },
    opts: TxOption,
  ): Promise<AccountView> {
    return this.onAccount(
      caller,
      address,
      'account.state',
      async (tx, account, now) => {
        const to = nextState(account.state, event);
        const reason =
          event === 'suspend' ? parseSuspensionReason(input.reason ?? 'other') : cleanText(input.reason, 500);
        const basis = cleanText(input.basis);
        const purgeAfter =
          to === 'deleted' ? now.getTime() + this.ctx.settings.deletedRetentionDays * DAY_MS : null;
        await tx.db
          .updateTable('accounts')
          .set({
            state: to,
            state_reason: to === 'active' ? null : reason,
            state_basis: basis,
            state_changed_at: now.getTime(),
            purge_after: purgeAfter,
            // A restored mailbox starts a new inactivity period instead of being suspended again at once.
            ...(event === 'restore'
              ? { last_access_at: now.getTime(), failed_logins: 0, locked_until: null }
              : {}),
            updated_at: now.getTime(),
          })
          .where('id', '=', account.id)
          .execute();
        if (to === 'deleted') await retireAddresses(tx, account.id, now); // never issued again (Điều 6.2.b)
        if (to !== 'active')
          await tx.db.deleteFrom('sessions').where('account_id', '=', account.id).execute();
        // Điều 10.1: a suspended or deleted delegate, or a deleted agency mailbox, loses its delegations.
        await revokeOnStateChange(tx, caller.actor, account.id, to, now);
        await appendAudit(
          tx,
          caller.actor,
          {
            action: `account.${event}`,
            targetType: 'account',
            targetId: account.id,
            reason: [reason, basis].filter(Boolean).join(' | ') || null,
            details: { address: `${account.local_part}@${account.domain}`, from: account.state, to },
          },
          now,
        );
        return this.fresh(tx, account.id);
      },
      opts,
    );
  }

  /** Điều 8.2: inactivity (a), compromised (b), other lawful reasons (c); with the legal basis. */
  suspend(
    caller: Caller,
    address: string,
    input: { reason: string; basis?: string },
    opts: TxOption = {},
  ): Promise<AccountView> {
    return this.changeState(caller, address, 'suspend', input, opts);
  }

  /** Điều 8.3. */
  restore(
    caller: Caller,
    address: string,
    input: { basis?: string } = {},
    opts: TxOption = {},
  ): Promise<AccountView> {
    return this.changeState(caller, address, 'restore', input, opts);
  }

  /** Điều 7: soft delete; data kept until the purge date; addresses retired for ever. */
  delete(
    caller: Caller,
    address: string,
    input: { reason?: string; basis?: string } = {},
    opts: TxOption = {},
  ): Promise<AccountView> {
    return this.changeState(caller, address, 'delete', input, opts);
  }

  /** Điều 9.1.b: per-mailbox quota, or null for the class default (2 GB personal, 5 GB agency). */
  setQuota(caller: Caller, address: string, bytes: number | null, opts: TxOption = {}): Promise<AccountView> {
    return this.onAccount(
      caller,
      address,
      'account.update',
      async (tx, account, now) => {
        if (bytes !== null) {
          const min =
            account.kind === 'personal'
              ? this.ctx.settings.quota.personalBytes
              : this.ctx.settings.quota.agencyBytes;
          const floor = account.kind === 'personal' ? 2 * 1000 ** 3 : 5 * 1000 ** 3;
          if (!Number.isSafeInteger(bytes) || bytes < floor || bytes > MAX_QUOTA)
            throw invalid(
              'quota.too-small',
              `Dung lượng phải từ ${account.kind === 'personal' ? '2' : '5'} GB trở lên (Điều 9.1.b) và không quá 10 TiB; mặc định hiện tại là ${min} byte.`,
              `The quota must be at least ${account.kind === 'personal' ? '2' : '5'} GB (Điều 9.1.b) and at most 10 TiB; the current default is ${min} bytes.`,
            );
        }
        await tx.db
          .updateTable('accounts')
          .set({ quota_bytes: bytes, updated_at: now.getTime() })
          .where('id', '=', account.id)
          .execute();
        await appendAudit(
          tx,
          caller.actor,
          {
            action: 'account.set-quota',
            targetType: 'account',
            targetId: account.id,
            details: { from: account.quota_bytes, to: bytes },
          },
          now,
        );
        return this.fresh(tx, account.id);
      },
      opts,
    );
  }

  /**
   * Điều 7.2.a "thay đổi thông tin": the holder's name and title. The address does not change (an
   * issued address is never re-issued, Điều 6.2.b). For an agency or sub-unit mailbox the name is
   * the organisation's, so the organisation is renamed with it.
   */
  updateProfile(
    caller: Caller,
    address: string,
    input: { displayName?: string; title?: string | null },
    opts: TxOption = {},
  ): Promise<AccountView> {
    return this.onAccount(
      caller,
      address,
      'account.update',
      async (tx, account, now) => {
        if (account.state === 'deleted')
          throw invalid('account.deleted', 'Hộp thư đã bị xóa.', 'The mailbox has been deleted.');
        const name =
          input.displayName === undefined
            ? undefined
            : cleanText(input.displayName.replace(/\s+/gu, ' '), 300);
        if (name === null)
          throw invalid('account.name-required', 'Tên không được để trống.', 'The name may not be empty.');
        const title = input.title === undefined ? undefined : cleanText(input.title ?? undefined, 300);
        if (title !== undefined && account.kind !== 'personal')
          throw invalid(
            'account.not-personal',
            'Chức danh chỉ ghi cho hộp thư cá nhân.',
            'Only a personal mailbox has a title.',
          );
        if (name !== undefined && account.kind !== 'personal') {
          await tx.db
            .updateTable('organisations')
            .set({ name, updated_at: now.getTime() })
            .where('id', '=', account.org_id)
            .execute();
          await tx.db
            .updateTable('accounts')
            .set({ display_name: name, updated_at: now.getTime() })
            .where('org_id', '=', account.org_id)
            .where('kind', '<>', 'personal')
            .execute();
        } else if (name !== undefined || title !== undefined) {
          await tx.db
            .updateTable('accounts')
            .set({
              ...(name !== undefined ? { display_name: name } : {}),
              ...(title !== undefined ? { title } : {}),
              updated_at: now.getTime(),
            })
            .where('id', '=', account.id)
            .execute();
        }
        await appendAudit(
          tx,
          caller.actor,
          {
            action: 'account.update-profile',
            targetType: 'account',
            targetId: account.id,
            details: {
              address: `${account.local_part}@${account.domain}`,
              ...(name !== undefined ? { name: { from: account.display_name, to: name } } : {}),
              ...(title !== undefined ? { title: { from: account.title, to: title } } : {}),
            },
          },
          now,
        );
        return this.fresh(tx, account.id);
      },
      opts,
    );
  }

  addAlias(caller: Caller, address: string, alias: string, opts: TxOption = {}): Promise<AccountView> {
    return this.onAccount(
      caller,
      address,
      'account.update',
      async (tx, account, now) => {
        if (account.state === 'deleted')
          throw invalid('account.deleted', 'Hộp thư đã bị xóa.', 'The mailbox has been deleted.');
        const a = parseAlias(this.ctx.settings, alias);
        await issueExactAddress(tx, {
          local: a.local,
          domain: a.domain,
          accountId: account.id,
          kind: 'alias',
          now,
        });
        await appendAudit(
          tx,
          caller.actor,
          {
            action: 'account.alias-add',
            targetType: 'account',
            targetId: account.id,
            details: { alias: `${a.local}@${a.domain}` },
          },
          now,
        );
        return this.fresh(tx, account.id);
      },
      opts,
    );
  }

  /** The alias is retired, not freed: it is never given to another mailbox. */
  removeAlias(caller: Caller, address: string, alias: string, opts: TxOption = {}): Promise<AccountView> {
    return this.onAccount(
      caller,
      address,
      'account.update',
      async (tx, account, now) => {
        const a = parseAlias(this.ctx.settings, alias);
        const r = await tx.db
          .updateTable('addresses')
          .set({ state: 'retired', retired_at: now.getTime() })
          .where('local_part', '=', a.local)
          .where('domain', '=', a.domain)
          .where('account_id', '=', account.id)
          .where('kind', '=', 'alias')
          .where('state', '=', 'active')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0)
          throw invalid(
            'alias.not-found',
            `${a.local}@${a.domain} không phải là bí danh của hộp thư này.`,
            `${a.local}@${a.domain} is not an alias of this mailbox.`,
          );
        await appendAudit(
          tx,
          caller.actor,
          {
            action: 'account.alias-remove',
            targetType: 'account',
            targetId: account.id,
            details: { alias: `${a.local}@${a.domain}` },
          },
          now,
        );
        return this.fresh(tx, account.id);
      },
      opts,
    );
  }

  /** Điều 7.2.a "chuyển công tác": the person keeps the mailbox and its address; the record changes. */
  move(
    caller: Caller,
    address: string,
    orgCode: string,
    basis?: string,
    opts: TxOption = {},
  ): Promise<AccountView> {
    return this.onAccount(
      caller,
      address,
      'account.update',
      async (tx, account, now) => {
        if (account.kind !== 'personal')
          throw invalid(
            'account.not-personal',
            'Chỉ hộp thư cá nhân mới chuyển sang đơn vị khác; hộp thư cơ quan gắn với cơ quan.',
            'Only a personal mailbox moves to another organisation; an agency mailbox belongs to its agency.',
          );
        const to = await findOrgByCode(tx.db, orgCode);
        if (to.kind === 'province')
          throw invalid(
            'account.bad-org',
            'Phải chọn một cơ quan, đơn vị hoặc phòng, ban.',
            'Choose an agency or a sub-unit.',
          );
        authorise(caller, 'account.update', { agencyId: agencyIdOf(to) });
        const from = await findOrgById(tx.db, account.org_id);
        // An agency administrator's role does not travel to another agency.
        const keepsAdmin = account.role === 'agency-admin' && agencyIdOf(to) === account.admin_org_id;
        await tx.db
          .updateTable('accounts')
          .set({
            org_id: to.id,
            updated_at: now.getTime(),
            ...(account.role === 'agency-admin' && !keepsAdmin
              ? { role: 'user' as const, admin_org_id: null }
              : {}),
          })
          .where('id', '=', account.id)
          .execute();
        // Điều 10.1: delegations of mailboxes of the agency the person leaves end with the move.
        await revokeOnMove(tx, caller.actor, account.id, agencyIdOf(to), now);
        await appendAudit(
          tx,
          caller.actor,
          {
            action: 'account.move',
            targetType: 'account',
            targetId: account.id,
            reason: cleanText(basis),
            details: {
              from: from.code,
              to: to.code,
              roleDropped: account.role === 'agency-admin' && !keepsAdmin,
            },
          },
          now,
        );
        return this.fresh(tx, account.id);
      },
      opts,
    );
  }

  setRole(caller: Caller, address: string, role: string, agencyCode?: string): Promise<AccountView> {
    if (!(ROLES as readonly string[]).includes(role))
      throw invalid(
        'account.bad-role',
        `Vai trò "${role}" không hợp lệ; chọn: ${ROLES.join(', ')}.`,
        `Role "${role}" is not valid; use: ${ROLES.join(', ')}.`,
      );
    return this.onAccount(caller, address, 'account.update', async (tx, account, now) => {
      authorise(caller, 'org.create', {}); // granting roles is the operator's alone
      if (account.kind !== 'personal')
        throw invalid(
          'account.not-personal',
          'Vai trò chỉ gán cho hộp thư cá nhân.',
          'Roles are given to personal mailboxes only.',
        );
      let adminOrgId: string | null = null;
      if (role === 'agency-admin') {
        const org = agencyCode
          ? await findOrgByCode(tx.db, agencyCode)
          : await findOrgById(tx.db, account.org_id);
        adminOrgId = agencyIdOf(org);
        const own = agencyIdOf(await findOrgById(tx.db, account.org_id));
        if (adminOrgId === null || adminOrgId !== own)
          throw invalid(
            'account.admin-other-agency',
            'Quản trị cơ quan phải là người của chính cơ quan đó.',
            'An agency administrator must belong to that agency.',
          );
      }
      await tx.db
        .updateTable('accounts')
        .set({ role: role as Role, admin_org_id: adminOrgId, updated_at: now.getTime() })
        .where('id', '=', account.id)
        .execute();
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'account.set-role',
          targetType: 'account',
          targetId: account.id,
          details: { from: account.role, to: role, adminOrgId },
        },
        now,
      );
      return this.fresh(tx, account.id);
    });
  }
}
