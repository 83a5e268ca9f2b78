/**
 * Delegation of agency and sub-unit mailboxes (Điều 10.1): "Hộp thư điện tử công vụ cơ quan, đơn
 * vị do Thủ trưởng cơ quan, đơn vị quản lý. Thủ trưởng … có thể ủy quyền cho người trong cơ quan,
 * đơn vị trực tiếp quản lý, sử dụng."
 *
 * The head of an agency (role agency-admin for that agency) or the operator grants a person of the
 * same agency (or of one of its sub-units) the use of the agency's mailbox or of a sub-unit's
 * mailbox. A grant carries one of two rights presets, kept as an RFC 4314 rights string so that
 * IMAP ACL (RFC 4314 §2.1) reads it directly, and a separate send-as flag for SMTP submission:
 *
 *   read    "lrs"        lookup, read, keep \Seen (RFC 4314 §2.1 l, r, s)
 *   manage  "lrswikxte"  read, plus write other flags (w), insert: APPEND/COPY into (i), create
 *                        sub-folders (k), delete folders (x), set \Deleted (t), expunge (e)
 *   sendAs  boolean      may use the mailbox's addresses as envelope sender and From (RFC 6409 §6.1)
 * No preset gives "p" (post) or "a" (administer): the ACL is changed only through this service,
 * never by IMAP SETACL, so a delegate can never pass the mailbox on.
 *
 * Invariants:
 * - One row per (mailbox, delegate); granting again replaces the rights. Revocation deletes the
 *   row; the audit log keeps the history (`delegation.grant`, `delegation.revoke`,
 *   `delegation.auto-revoke`, and the uses `delegation.use` and `delegation.send-as`).
 * - A grant is effective only while the mailbox and the delegate are both active; it is revoked
 *   automatically, in the same transaction, when the delegate is suspended, deleted or moves to
 *   another agency, and when the mailbox is deleted (`revokeOnStateChange`, `revokeOnMove`).
 * - IMAP and SMTP read the table on every use (`delegationFor`, `delegatedMailboxes`), so a grant
 *   or a revocation takes effect on the next command of an open session.
 */
import type { Selectable } from 'kysely';
import { conflict, invalid, notFound } from '../util/errors.ts';
import { appendAudit, type Actor, type Db, type DelegationsTable, type Tx } from '../store/index.ts';
import { can } from './roles.ts';
import {
  agencyIdOf,
  authorise,
  findOrgById,
  requireAccount,
  type AccountRow,
  type Caller,
  type DirectoryContext,
} from './context.ts';

export type RightsPreset = 'read' | 'manage';
export const RIGHTS_PRESETS: Readonly<Record<RightsPreset, string>> = { read: 'lrs', manage: 'lrswikxte' };
/** The owner of a mailbox holds every right (RFC 4314 §2.1, in the RFC's order). */
export const OWNER_RIGHTS = 'lrswipkxtea';

export function presetOf(rights: string): RightsPreset | null {
  for (const [k, v] of Object.entries(RIGHTS_PRESETS)) if (v === rights) return k as RightsPreset;
  return null;
}

export function parsePreset(text: string): RightsPreset {
  const t = text.trim().toLowerCase();
  if (t === 'read' || t === 'manage') return t;
  throw invalid(
    'delegation.bad-rights',
    `Quyền "${text}" không hợp lệ; chọn read (chỉ đọc) hoặc manage (đọc và quản lý).`,
    `Rights "${text}" are not valid; use read or manage.`,
  );
}

export type DelegationRow = Selectable<DelegationsTable>;

/** A mailbox a delegate may use now, as IMAP and SMTP need it. */
export interface DelegatedMailbox {
  ownerId: string;
  address: string; // primary address, lower case
  displayName: string;
  rights: string; // RFC 4314
  sendAs: boolean;
}

export interface DelegationView {
  mailbox: { id: string; address: string; name: string; kind: AccountRow['kind'] };
  delegate: { id: string; address: string; name: string };
  rights: RightsPreset | null;
  acl: string;
  sendAs: boolean;
  grantedBy: string;
  grantedAt: string;
}

export interface DelegationHistoryEntry {
  at: string;
  action: string;
  actor: string;
  actorLabel: string | null;
  sourceIp: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

const address = (a: Pick<AccountRow, 'local_part' | 'domain'>): string => `${a.local_part}@${a.domain}`;

function cleanReason(v: string | undefined): string | null {
  const t = v?.normalize('NFC').trim();
  if (!t) return null;
  // eslint-disable-next-line no-control-regex
  if (t.length > 500 || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(t))
    throw invalid(
      'text.bad',
      'Lý do quá dài hoặc có ký tự điều khiển (tối đa 500).',
      'Reason too long or has control characters (max 500).',
    );
  return t;
}

/**
 * Every mailbox `granteeId` may use now (both accounts active), ordered by address. One query.
 */
export async function delegatedMailboxes(db: Db, granteeId: string): Promise<DelegatedMailbox[]> {
  const rows = await db
    .selectFrom('delegations')
    .innerJoin('accounts as o', 'o.id', 'delegations.owner_id')
    .innerJoin('accounts as g', 'g.id', 'delegations.grantee_id')
    .select([
      'delegations.owner_id',
      'delegations.rights',
      'delegations.send_as',
      'o.local_part',
      'o.domain',
      'o.display_name',
    ])
    .where('delegations.grantee_id', '=', granteeId)
    .where('o.state', '=', 'active')
    .where('g.state', '=', 'active')
    .execute();
  return rows
    .map((r) => ({
      ownerId: r.owner_id,
      address: address(r).toLowerCase(),
      displayName: r.display_name,
      rights: r.rights,
      sendAs: Number(r.send_as) === 1,
    }))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** The grant of one mailbox to one delegate, if it is effective now. */
export async function delegationFor(
  db: Db,
  granteeId: string,
  ownerId: string,
): Promise<DelegatedMailbox | null> {
  const r = await db
    .selectFrom('delegations')
    .innerJoin('accounts as o', 'o.id', 'delegations.owner_id')
    .innerJoin('accounts as g', 'g.id', 'delegations.grantee_id')
    .select([
      'delegations.owner_id',
      'delegations.rights',
      'delegations.send_as',
      'o.local_part',
      'o.domain',
      'o.display_name',
    ])
    .where('delegations.grantee_id', '=', granteeId)
    .where('delegations.owner_id', '=', ownerId)
    .where('o.state', '=', 'active')
    .where('g.state', '=', 'active')
    .executeTakeFirst();
  if (!r) return null;
  return {
    ownerId: r.owner_id,
    address: address(r).toLowerCase(),
    displayName: r.display_name,
    rights: r.rights,
    sendAs: Number(r.send_as) === 1,
  };
}

/** The delegates of a mailbox with their rights (IMAP GETACL by the mailbox's own account). */
export async function delegatesOf(
  db: Db,
  ownerId: string,
): Promise<Array<{ address: string; rights: string }>> {
  const rows = await db
    .selectFrom('delegations')
    .innerJoin('accounts as g', 'g.id', 'delegations.grantee_id')
    .select(['g.local_part', 'g.domain', 'delegations.rights'])
    .where('delegations.owner_id', '=', ownerId)
    .where('g.state', '=', 'active')
    .orderBy('g.local_part')
    .execute();
  return rows.map((r) => ({ address: address(r).toLowerCase(), rights: r.rights }));
}

/** Record one use of a delegated mailbox (sign-in to it, i.e. SELECT of its INBOX; mail sent as it). */
export async function auditDelegationUse(
  tx: Tx,
  actor: Actor,
  ownerId: string,
  kind: 'use' | 'send-as',
  details: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await appendAudit(
    tx,
    actor,
    { action: `delegation.${kind}`, targetType: 'account', targetId: ownerId, details },
    at,
  );
}

async function revokeRows(
  tx: Tx,
  actor: Actor,
  rows: Array<DelegationRow & { owner: string; grantee: string }>,
  cause: string,
  now: Date,
): Promise<number> {
  for (const r of rows) {
    await tx.db
      .deleteFrom('delegations')
      .where('owner_id', '=', r.owner_id)
      .where('grantee_id', '=', r.grantee_id)
      .execute();
    await appendAudit(
      tx,
      actor,
      {
        action: 'delegation.auto-revoke',
        targetType: 'account',
        targetId: r.owner_id,
        reason: cause,
        details: {
          mailbox: r.owner,
          delegate: r.grantee,
          delegateId: r.grantee_id,
          rights: presetOf(r.rights) ?? r.rights,
          sendAs: Number(r.send_as) === 1,
        },
      },
      now,
    );
  }
  return rows.length;
}

function grantsQuery(db: Db) {
  return db
    .selectFrom('delegations')
    .innerJoin('accounts as o', 'o.id', 'delegations.owner_id')
    .innerJoin('accounts as g', 'g.id', 'delegations.grantee_id')
    .selectAll('delegations')
    .select([
      'o.local_part as o_local',
      'o.domain as o_domain',
      'o.display_name as o_name',
      'o.kind as o_kind',
      'o.org_id as o_org',
      'g.local_part as g_local',
      'g.domain as g_domain',
      'g.display_name as g_name',
    ]);
}

/**
 * In the transaction of an account's state change: a suspended or deleted delegate loses every
 * grant; a deleted mailbox loses its delegates. Returns how many grants were revoked.
 */
export async function revokeOnStateChange(
  tx: Tx,
  actor: Actor,
  accountId: string,
  to: 'active' | 'suspended' | 'deleted',
  now: Date,
): Promise<number> {
  if (to === 'active') return 0;
  let q = grantsQuery(tx.db);
  q =
    to === 'deleted'
      ? q.where((eb) =>
          eb.or([eb('delegations.grantee_id', '=', accountId), eb('delegations.owner_id', '=', accountId)]),
        )
      : q.where('delegations.grantee_id', '=', accountId);
  const rows = await q.execute();
  return revokeRows(
    tx,
    actor,
    rows.map((r) => ({
      ...r,
      owner: `${r.o_local}@${r.o_domain}`,
      grantee: `${r.g_local}@${r.g_domain}`,
    })),
    to === 'deleted' ? 'account.delete' : 'account.suspend',
    now,
  );
}

/**
 * In the transaction of a move (Điều 7.2.a "chuyển công tác"): grants on mailboxes outside the
 * delegate's new agency are revoked. A move inside the same agency keeps them.
 */
export async function revokeOnMove(
  tx: Tx,
  actor: Actor,
  granteeId: string,
  newAgencyId: string | null,
  now: Date,
): Promise<number> {
  const rows = await grantsQuery(tx.db).where('delegations.grantee_id', '=', granteeId).execute();
  const gone = [];
  for (const r of rows) {
    const ownerAgency = agencyIdOf(await findOrgById(tx.db, r.o_org));
    if (newAgencyId === null || ownerAgency !== newAgencyId)
      gone.push({ ...r, owner: `${r.o_local}@${r.o_domain}`, grantee: `${r.g_local}@${r.g_domain}` });
  }
  return revokeRows(tx, actor, gone, 'account.move', now);
}

type GrantRow = Awaited<ReturnType<ReturnType<typeof grantsQuery>['execute']>>[number];

function view(r: GrantRow): DelegationView {
  return {
    mailbox: { id: r.owner_id, address: `${r.o_local}@${r.o_domain}`, name: r.o_name, kind: r.o_kind },
    delegate: { id: r.grantee_id, address: `${r.g_local}@${r.g_domain}`, name: r.g_name },
    rights: presetOf(r.rights),
    acl: r.rights,
    sendAs: Number(r.send_as) === 1,
    grantedBy: r.granted_by,
    grantedAt: new Date(Number(r.granted_at)).toISOString(),
  };
}

export class DelegationService {
  constructor(private readonly ctx: DirectoryContext) {}

  /** The mailbox to delegate: an agency or sub-unit mailbox, active; and its agency (for roles). */
  private async ownerOf(db: Db, typed: string): Promise<{ owner: AccountRow; agencyId: string | null }> {
    const owner = await requireAccount(db, this.ctx.settings, typed);
    const agencyId = agencyIdOf(await findOrgById(db, owner.org_id));
    return { owner, agencyId };
  }

  /**
   * Grant (or change) the use of an agency or sub-unit mailbox to a person of the same agency.
   * Operator: any agency; agency administrator: its own agency and its sub-units.
   */
  async grant(
    caller: Caller,
    mailbox: string,
    delegate: string,
    input: { rights: string; sendAs?: boolean; reason?: string },
  ): Promise<DelegationView> {
    const { ctx } = this;
    const preset = parsePreset(input.rights);
    const reason = cleanReason(input.reason);
    const sendAs = input.sendAs === true;
    return ctx.store.write(async (tx) => {
      const now = ctx.clock.now();
      const { owner, agencyId } = await this.ownerOf(tx.db, mailbox);
      authorise(caller, 'delegation.manage', { agencyId, accountId: owner.id });
      if (owner.kind === 'personal')
        throw invalid(
          'delegation.not-agency-mailbox',
          'Chỉ hộp thư của cơ quan, đơn vị hoặc phòng, ban mới được ủy quyền (Điều 10.1); hộp thư cá nhân thì không.',
          'Only an agency or sub-unit mailbox can be delegated (Điều 10.1), not a personal one.',
        );
      if (owner.state !== 'active')
        throw conflict(
          'delegation.mailbox-inactive',
          'Hộp thư này đang tạm khóa hoặc đã xóa; không thể ủy quyền.',
          'This mailbox is suspended or deleted; it cannot be delegated.',
        );
      const grantee = await requireAccount(tx.db, ctx.settings, delegate);
      if (grantee.kind !== 'personal')
        throw invalid(
          'delegation.not-person',
          'Chỉ ủy quyền cho hộp thư cá nhân của một người.',
          'Delegate to a person’s personal mailbox only.',
        );
      if (grantee.state !== 'active')
        throw conflict(
          'delegation.delegate-inactive',
          'Người được ủy quyền đang bị tạm khóa hoặc đã bị xóa hộp thư.',
          'The delegate’s mailbox is suspended or deleted.',
        );
      const granteeAgency = agencyIdOf(await findOrgById(tx.db, grantee.org_id));
      if (agencyId === null || granteeAgency !== agencyId)
        throw invalid(
          'delegation.other-agency',
          'Chỉ ủy quyền cho người trong cùng cơ quan, đơn vị (Điều 10.1).',
          'The delegate must belong to the same agency (Điều 10.1).',
        );
      const rights = RIGHTS_PRESETS[preset];
      const before = await tx.db
        .selectFrom('delegations')
        .selectAll()
        .where('owner_id', '=', owner.id)
        .where('grantee_id', '=', grantee.id)
        .executeTakeFirst();
      const values = {
        rights,
        send_as: sendAs ? 1 : 0,
        granted_by: caller.actor.id,
        granted_at: now.getTime(),
      };
      if (before)
        await tx.db
          .updateTable('delegations')
          .set(values)
          .where('owner_id', '=', owner.id)
          .where('grantee_id', '=', grantee.id)
          .execute();
      else
        await tx.db
          .insertInto('delegations')
          .values({ owner_id: owner.id, grantee_id: grantee.id, ...values })
          .execute();
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'delegation.grant',
          targetType: 'account',
          targetId: owner.id,
          reason,
          details: {
            mailbox: address(owner),
            delegate: address(grantee),
            delegateId: grantee.id,
            rights: preset,
            acl: rights,
            sendAs,
            ...(before
              ? {
                  previous: {
                    rights: presetOf(before.rights) ?? before.rights,
                    sendAs: Number(before.send_as) === 1,
                  },
                }
              : {}),
          },
        },
        now,
      );
      const row = await grantsQuery(tx.db)
        .where('delegations.owner_id', '=', owner.id)
        .where('delegations.grantee_id', '=', grantee.id)
        .executeTakeFirstOrThrow();
      return view(row);
    });
  }

  /** Take a grant back at once (the next IMAP command or SMTP transaction sees it). */
  async revoke(
    caller: Caller,
    mailbox: string,
    delegate: string,
    input: { reason?: string } = {},
  ): Promise<DelegationView> {
    const { ctx } = this;
    const reason = cleanReason(input.reason);
    return ctx.store.write(async (tx) => {
      const now = ctx.clock.now();
      const { owner, agencyId } = await this.ownerOf(tx.db, mailbox);
      authorise(caller, 'delegation.manage', { agencyId, accountId: owner.id });
      const grantee = await requireAccount(tx.db, ctx.settings, delegate);
      const row = await grantsQuery(tx.db)
        .where('delegations.owner_id', '=', owner.id)
        .where('delegations.grantee_id', '=', grantee.id)
        .executeTakeFirst();
      if (!row)
        throw notFound(
          'delegation.not-found',
          `${address(grantee)} không được ủy quyền hộp thư ${address(owner)}.`,
          `${address(grantee)} has no delegation of ${address(owner)}.`,
        );
      await tx.db
        .deleteFrom('delegations')
        .where('owner_id', '=', owner.id)
        .where('grantee_id', '=', grantee.id)
        .execute();
      const v = view(row);
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'delegation.revoke',
          targetType: 'account',
          targetId: owner.id,
          reason,
          details: {
            mailbox: v.mailbox.address,
            delegate: v.delegate.address,
            delegateId: grantee.id,
            rights: v.rights ?? v.acl,
            sendAs: v.sendAs,
          },
        },
        now,
      );
      return v;
    });
  }

  /**
   * Grants the caller may see: the operator all; an agency administrator its agency's; the auditor
   * all (read only); a user those it holds itself.
   */
  async list(
    caller: Caller,
    filter: { mailbox?: string; delegate?: string } = {},
  ): Promise<DelegationView[]> {
    const db = this.ctx.store.db;
    let q = grantsQuery(db);
    if (filter.mailbox) {
      const owner = await requireAccount(db, this.ctx.settings, filter.mailbox);
      q = q.where('delegations.owner_id', '=', owner.id);
    }
    if (filter.delegate) {
      const grantee = await requireAccount(db, this.ctx.settings, filter.delegate);
      q = q.where('delegations.grantee_id', '=', grantee.id);
    }
    const rows = await q.orderBy('o.local_part').orderBy('g.local_part').limit(10_000).execute();
    const agencies = new Map<string, string | null>();
    const out: DelegationView[] = [];
    for (const r of rows) {
      if (!agencies.has(r.o_org)) agencies.set(r.o_org, agencyIdOf(await findOrgById(db, r.o_org)));
      const agencyId = agencies.get(r.o_org)!;
      const visible =
        can(caller.principal, 'delegation.manage', { agencyId, accountId: r.owner_id }) ||
        can(caller.principal, 'account.read', { agencyId, accountId: r.grantee_id });
      if (visible) out.push(view(r));
    }
    return out;
  }

  /**
   * The delegation history of one mailbox from the audit log, newest first: grants, revocations
   * (by hand and automatic), uses (sign-in to it) and mail sent as it. For the head of its agency.
   */
  async history(caller: Caller, mailbox: string, limit = 200): Promise<DelegationHistoryEntry[]> {
    const db = this.ctx.store.db;
    const { owner, agencyId } = await this.ownerOf(db, mailbox);
    authorise(caller, 'delegation.manage', { agencyId, accountId: owner.id });
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_type', '=', 'account')
      .where('target_id', '=', owner.id)
      .where('action', 'like', 'delegation.%')
      .orderBy('id', 'desc')
      .limit(Math.min(Math.max(1, limit), 1000))
      .execute();
    return rows.map((r) => ({
      at: new Date(Number(r.at)).toISOString(),
      action: r.action,
      actor: r.actor,
      actorLabel: r.actor_label,
      sourceIp: r.source_ip,
      reason: r.reason,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
    }));
  }
}

/**
 * In the transaction of a reorganisation that closes an agency's mailbox (merger, dissolution):
 * its delegates lose their grants. They are not carried over to the successor's mailbox: the head
 * of the successor agency decides anew who uses it (Điều 10.1). Returns how many were revoked.
 */
export async function revokeOnMailboxClosed(
  tx: Tx,
  actor: Actor,
  ownerId: string,
  now: Date,
): Promise<number> {
  const rows = await grantsQuery(tx.db).where('delegations.owner_id', '=', ownerId).execute();
  return revokeRows(
    tx,
    actor,
    rows.map((r) => ({ ...r, owner: `${r.o_local}@${r.o_domain}`, grantee: `${r.g_local}@${r.g_domain}` })),
    'org.reorganise',
    now,
  );
}

/**
 * In the transaction of a reorganisation that moves a sub-unit to another agency: grants on its
 * mailbox held by people outside that agency end (Điều 10.1: an agency's mailboxes are used by its
 * own people). Returns how many were revoked.
 */
export async function revokeOutsideAgency(
  tx: Tx,
  actor: Actor,
  ownerId: string,
  agencyId: string,
  now: Date,
): Promise<number> {
  const rows = await grantsQuery(tx.db).where('delegations.owner_id', '=', ownerId).execute();
  const gone = [];
  for (const r of rows) {
    const g = await tx.db
      .selectFrom('accounts')
      .select('org_id')
      .where('id', '=', r.grantee_id)
      .executeTakeFirstOrThrow();
    if (agencyIdOf(await findOrgById(tx.db, g.org_id)) !== agencyId)
      gone.push({ ...r, owner: `${r.o_local}@${r.o_domain}`, grantee: `${r.g_local}@${r.g_domain}` });
  }
  return revokeRows(tx, actor, gone, 'org.reorganise', now);
}
