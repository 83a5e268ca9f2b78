/**
 * What every directory service is built from, who is calling, and the shared look-ups and views.
 */
import type { Clock } from '../util/clock.ts';
import { forbidden, invalid, notFound } from '../util/errors.ts';
import type { AccountsTable, Actor, DataStore, Db, OrganisationsTable, Tx } from '../store/index.ts';
import type { Insertable, Selectable } from 'kysely';
import { can, type Action, type Principal, type Target } from './roles.ts';
import { normaliseAddress } from './address.ts';
import type { PasswordHasher } from './password-hash.ts';
import type { DirectorySettings } from './settings.ts';
import { DAY_MS } from '../util/clock.ts';

export interface DirectoryContext {
  store: DataStore;
  clock: Clock;
  hasher: PasswordHasher;
  settings: DirectorySettings;
}

/**
 * Directory writes run in their own transaction, or in the caller's (`tx`) when a larger change
 * must commit or fail as one: a request's approval executes the change and records its decision
 * and numbered reply in the same transaction (Điều 7.2.b).
 */
export interface TxOption {
  tx?: Tx;
}

export function inTransaction<T>(
  ctx: DirectoryContext,
  opts: TxOption,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return opts.tx ? fn(opts.tx) : ctx.store.write(fn);
}

/** Who is calling: what they may do (principal) and how the audit log names them (actor). */
export interface Caller {
  principal: Principal;
  actor: Actor;
}

/** The operator at the server's command line. */
export function cliCaller(osUser: string): Caller {
  return {
    principal: { accountId: `cli:${osUser}`, role: 'operator', adminAgencyId: null },
    actor: { id: `cli:${osUser}`, label: `${osUser} (CLI)`, sourceIp: null },
  };
}

export const systemCaller: Caller = {
  principal: { accountId: 'system', role: 'operator', adminAgencyId: null },
  actor: { id: 'system', label: 'Congthu', sourceIp: null },
};

export function authorise(caller: Caller, action: Action, target: Target): void {
  if (!can(caller.principal, action, target))
    throw forbidden(
      'forbidden',
      'Bạn không có quyền thực hiện thao tác này.',
      'You are not allowed to do this.',
      { action },
    );
}

export type AccountRow = Selectable<AccountsTable>;
export type OrgRow = Selectable<OrganisationsTable>;

/** The agency an organisation belongs to: itself for an agency, its parent for a sub-unit. */
export function agencyIdOf(org: OrgRow): string | null {
  if (org.kind === 'agency') return org.id;
  if (org.kind === 'sub-unit') return org.parent_id;
  return null;
}

export async function findOrgByCode(db: Db, code: string): Promise<OrgRow> {
  const key = code.trim().toLowerCase();
  const org = await db.selectFrom('organisations').selectAll().where('code', '=', key).executeTakeFirst();
  if (!org)
    throw notFound(
      'org.not-found',
      `Không tìm thấy cơ quan, đơn vị có mã "${code}".`,
      `No organisation with code "${code}".`,
    );
  return org;
}

export async function findOrgById(db: Db, id: string): Promise<OrgRow> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * The account an address (or a bare local part on the primary domain) names, via any of its
 * active addresses, or null. Deleted accounts' addresses are retired, so they resolve to nothing.
 */
export async function resolveAccount(
  db: Db,
  settings: DirectorySettings,
  typed: string,
): Promise<AccountRow | null> {
  const text = typed.includes('@') ? typed : `${typed}@${settings.domain}`;
  let addr: { local: string; domain: string };
  try {
    addr = normaliseAddress(text);
  } catch {
    return null;
  }
  const row = await db
    .selectFrom('addresses')
    .innerJoin('accounts', 'accounts.id', 'addresses.account_id')
    .selectAll('accounts')
    .where('addresses.local_part', '=', addr.local)
    .where('addresses.domain', '=', addr.domain)
    .where('addresses.state', '=', 'active')
    .executeTakeFirst();
  return row ?? null;
}

export async function requireAccount(
  db: Db,
  settings: DirectorySettings,
  typed: string,
): Promise<AccountRow> {
  if (typed.trim() === '')
    throw invalid('account.address-required', 'Cần nhập địa chỉ hộp thư.', 'A mailbox address is required.');
  const row = await resolveAccount(db, settings, typed);
  if (!row)
    throw notFound('account.not-found', `Không tìm thấy hộp thư "${typed}".`, `No mailbox "${typed}".`);
  return row;
}

export interface AccountView {
  id: string;
  kind: AccountRow['kind'];
  address: string;
  aliases: string[];
  displayName: string;
  title: string | null;
  org: { id: string; code: string; name: string };
  agencyId: string | null;
  personId: string | null;
  state: AccountRow['state'];
  stateReason: string | null;
  stateBasis: string | null;
  stateChangedAt: string;
  purgeAfter: string | null;
  role: AccountRow['role'];
  adminOrgId: string | null;
  quotaBytes: number;
  quotaOverride: boolean;
  usedBytes: number;
  hasPassword: boolean;
  mustChangePassword: boolean;
  passwordChangedAt: string | null;
  passwordExpiresAt: string | null;
  lastAccessAt: string | null;
  createdAt: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function effectiveQuota(row: Pick<AccountRow, 'kind' | 'quota_bytes'>, s: DirectorySettings): number {
  if (row.quota_bytes !== null) return Number(row.quota_bytes);
  return row.kind === 'personal' ? s.quota.personalBytes : s.quota.agencyBytes;
}

export function passwordExpiresAt(
  row: Pick<AccountRow, 'password_changed_at'>,
  s: DirectorySettings,
): number | null {
  return row.password_changed_at === null
    ? null
    : Number(row.password_changed_at) + s.password.maxAgeDays * DAY_MS;
}

export async function accountView(db: Db, s: DirectorySettings, row: AccountRow): Promise<AccountView> {
  const org = await findOrgById(db, row.org_id);
  const aliases = await db
    .selectFrom('addresses')
    .select(['local_part', 'domain'])
    .where('account_id', '=', row.id)
    .where('kind', '=', 'alias')
    .where('state', '=', 'active')
    .orderBy('domain')
    .orderBy('local_part')
    .execute();
  return {
    id: row.id,
    kind: row.kind,
    address: `${row.local_part}@${row.domain}`,
    aliases: aliases.map((a) => `${a.local_part}@${a.domain}`),
    displayName: row.display_name,
    title: row.title,
    org: { id: org.id, code: org.code, name: org.name },
    agencyId: agencyIdOf(org),
    personId: row.person_id,
    state: row.state,
    stateReason: row.state_reason,
    stateBasis: row.state_basis,
    stateChangedAt: iso(Number(row.state_changed_at))!,
    purgeAfter: iso(row.purge_after),
    role: row.role,
    adminOrgId: row.admin_org_id,
    quotaBytes: effectiveQuota(row, s),
    quotaOverride: row.quota_bytes !== null,
    usedBytes: Number(row.used_bytes),
    hasPassword: row.password_hash !== null,
    mustChangePassword: row.password_must_change === 1,
    passwordChangedAt: iso(row.password_changed_at),
    passwordExpiresAt: iso(passwordExpiresAt(row, s)),
    lastAccessAt: iso(row.last_access_at),
    createdAt: iso(Number(row.created_at))!,
  };
}

/** A new account row: active, no password yet (one is set in the same transaction or later). */
export function newAccountRow(input: {
  id: string;
  kind: AccountRow['kind'];
  orgId: string;
  personId: string | null;
  displayName: string;
  title: string | null;
  localPart: string;
  domain: string;
  now: Date;
}): Insertable<AccountsTable> {
  const t = input.now.getTime();
  return {
    id: input.id,
    kind: input.kind,
    org_id: input.orgId,
    person_id: input.personId,
    display_name: input.displayName,
    title: input.title,
    local_part: input.localPart,
    domain: input.domain,
    state: 'active',
    state_reason: null,
    state_basis: null,
    state_changed_at: t,
    purge_after: null,
    role: 'user',
    admin_org_id: null,
    password_hash: null,
    password_changed_at: null,
    password_must_change: 1,
    quota_bytes: null,
    locked_until: null,
    last_access_at: null,
    created_at: t,
    updated_at: t,
  };
}
