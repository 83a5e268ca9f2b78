/**
 * Personal accounts (Điều 3.4, 6.2): one mailbox per person, bound to a person identifier, with the
 * address made from the full name by rule; the organisation can change ("chuyển công tác",
 * Điều 7.2.a) while the address stays. Also the listing and the views every kind of account shares.
 */
import { oneTimePassword, uuidv7 } from '../util/ids.ts';
import { conflict, invalid } from '../util/errors.ts';
import { appendAudit, isUniqueViolation, type AccountState, type AccountKind } from '../store/index.ts';
import { personalLocalPart } from './address.ts';
import { allocatePersonalLocalPart, recordAddress } from './address-registry.ts';
import { storePassword } from './credentials.ts';
import { assertPasswordAcceptable } from './password-policy.ts';
import {
  accountView,
  agencyIdOf,
  authorise,
  findOrgByCode,
  findOrgById,
  inTransaction,
  newAccountRow,
  requireAccount,
  type AccountView,
  type Caller,
  type DirectoryContext,
  type TxOption,
} from './context.ts';
import { can } from './roles.ts';

export interface CreatePersonalInput {
  name: string;
  orgCode: string;
  personId?: string;
  title?: string;
  /**
   * Initial password; omitted: a one-time password is generated and returned once; null: no
   * password at all, the holder sets the first one through a one-time activation link (requests).
   */
  password?: string | null;
  /** false only for migrations of existing users: the password is then not a default password. */
  mustChange?: boolean;
}

export interface CreatePersonalResult {
  account: AccountView;
  oneTimePassword?: string;
}

function cleanDisplayName(name: string): string {
  return name.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Person identifiers: a citizen identity number (CCCD) or the agency's staff code. */
export function parsePersonId(id: string): string {
  const v = id.trim();
  if (!/^[\p{L}\p{N}._:/-]{1,64}$/u.test(v))
    throw invalid(
      'account.bad-person-id',
      'Mã định danh cá nhân phải có 1–64 ký tự gồm chữ, số và . _ : / - (ví dụ số CCCD).',
      'A person identifier has 1–64 letters, digits or . _ : / - (e.g. the citizen ID number).',
    );
  return v;
}

export class AccountService {
  constructor(private readonly ctx: DirectoryContext) {}

  async createPersonal(
    caller: Caller,
    input: CreatePersonalInput,
    opts: TxOption = {},
  ): Promise<CreatePersonalResult> {
    const { ctx } = this;
    const displayName = cleanDisplayName(input.name);
    const stem = personalLocalPart(displayName); // Điều 6.2.a; clear errors for bad names
    const personId = input.personId === undefined ? null : parsePersonId(input.personId);
    const generated = input.password === undefined ? oneTimePassword() : undefined;
    const password = input.password === null ? null : (input.password ?? generated!);
    const title = input.title?.normalize('NFC').trim() || null;
    return inTransaction(ctx, opts, async (tx) => {
      const org = await findOrgByCode(tx.db, input.orgCode);
      if (org.kind === 'province')
        throw invalid(
          'account.bad-org',
          'Hộp thư cá nhân phải thuộc một cơ quan, đơn vị hoặc phòng, ban.',
          'A personal mailbox must belong to an agency or a sub-unit.',
        );
      authorise(caller, 'account.create', { agencyId: agencyIdOf(org) });
      if (personId !== null) {
        const holder = await tx.db
          .selectFrom('accounts')
          .select(['local_part', 'domain', 'state'])
          .where('person_id', '=', personId)
          .executeTakeFirst();
        if (holder)
          throw conflict(
            'account.person-has-mailbox',
            `Người có mã định danh ${personId} đã có hộp thư ${holder.local_part}@${holder.domain}; mỗi cá nhân chỉ được cấp một hộp thư (Điều 3.2). Khi chuyển công tác, hãy chuyển hộp thư sang đơn vị mới.`,
            `The person ${personId} already has the mailbox ${holder.local_part}@${holder.domain}; one mailbox per person (Điều 3.2). On a transfer, move that mailbox instead.`,
          );
      }
      const now = ctx.clock.now();
      const id = uuidv7(now.getTime());
      const local = await allocatePersonalLocalPart(tx, ctx.settings, stem);
      if (password !== null) assertPasswordAcceptable(password, { localPart: local, fullName: displayName });
      await tx.db
        .insertInto('accounts')
        .values(
          newAccountRow({
            id,
            kind: 'personal',
            orgId: org.id,
            personId,
            displayName,
            title,
            localPart: local,
            domain: ctx.settings.domain,
            now,
          }),
        )
        .execute()
        .catch((e: unknown) => {
          if (isUniqueViolation(e))
            throw conflict(
              'account.person-has-mailbox',
              'Người này đã có hộp thư.',
              'This person already has a mailbox.',
            );
          throw e;
        });
      await recordAddress(tx, { local, domain: ctx.settings.domain, accountId: id, kind: 'primary', now });
      const row = await tx.db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (password !== null)
        await storePassword(ctx, tx, row, password, { mustChange: input.mustChange ?? true });
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'account.create',
          targetType: 'account',
          targetId: id,
          details: { address: `${local}@${ctx.settings.domain}`, name: displayName, org: org.code, personId },
        },
        now,
      );
      const fresh = await tx.db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return {
        account: await accountView(tx.db, ctx.settings, fresh),
        ...(generated ? { oneTimePassword: generated } : {}),
      };
    });
  }

  async show(caller: Caller, address: string): Promise<AccountView> {
    const db = this.ctx.store.db;
    const row = await requireAccount(db, this.ctx.settings, address);
    authorise(caller, 'account.read', {
      agencyId: agencyIdOf(await findOrgById(db, row.org_id)),
      accountId: row.id,
    });
    return accountView(db, this.ctx.settings, row);
  }

  async list(
    caller: Caller,
    filter: {
      orgCode?: string;
      state?: AccountState;
      kind?: AccountKind;
      limit?: number;
      offset?: number;
    } = {},
  ): Promise<AccountView[]> {
    const db = this.ctx.store.db;
    let q = db
      .selectFrom('accounts')
      .innerJoin('organisations', 'organisations.id', 'accounts.org_id')
      .selectAll('accounts')
      .select(['organisations.kind as org_kind', 'organisations.parent_id as org_parent']);
    if (filter.orgCode) {
      const org = await findOrgByCode(db, filter.orgCode);
      // An agency's listing includes its sub-units.
      q = q.where((eb) =>
        eb.or([eb('organisations.id', '=', org.id), eb('organisations.parent_id', '=', org.id)]),
      );
    }
    if (filter.state) q = q.where('accounts.state', '=', filter.state);
    if (filter.kind) q = q.where('accounts.kind', '=', filter.kind);
    const rows = await q
      .orderBy('accounts.local_part')
      .limit(filter.limit ?? 1000)
      .offset(filter.offset ?? 0)
      .execute();
    const visible = rows.filter((r) =>
      can(caller.principal, 'account.read', {
        agencyId: r.org_kind === 'agency' ? r.org_id : r.org_kind === 'sub-unit' ? r.org_parent : null,
        accountId: r.id,
      }),
    );
    return Promise.all(visible.map((r) => accountView(db, this.ctx.settings, r)));
  }
}
