/**
 * The one address namespace (Điều 6; REQUIREMENTS "Mailboxes and addresses"): every address ever
 * issued, of every kind (agency, sub-unit, personal, alias, on every local domain), lives in
 * `addresses` and is never deleted, only retired, so it is never handed to anyone else.
 * Issuing takes the `address-registry` lock so two concurrent registrations of the same name get
 * consecutive suffixes instead of colliding.
 */
import { conflict, invalid } from '../util/errors.ts';
import type { Tx } from '../store/index.ts';
import { nextPersonalLocalPart, normaliseAddress } from './address.ts';
import type { DirectorySettings } from './settings.ts';

/** RFC 2142 role addresses and system names that are never issued to an agency or a person. */
export const RESERVED_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'postmaster',
  'abuse',
  'hostmaster',
  'webmaster',
  'security',
  'noc',
  'root',
  'admin',
  'administrator',
  'mailer-daemon',
  'mailerdaemon',
  'noreply',
  'no-reply',
  'nobody',
  'info',
  'support',
]);

const LOCK = 'address-registry';

function reservedError(local: string): Error {
  return conflict(
    'address.reserved',
    `Địa chỉ "${local}" là địa chỉ dành riêng cho hệ thống (RFC 2142), không cấp cho cơ quan hay cá nhân.`,
    `"${local}" is a reserved system address (RFC 2142) and is never issued.`,
  );
}

/** Issue exactly `local@domain` (agency and sub-unit codes, aliases), or fail if ever issued. */
export async function issueExactAddress(
  tx: Tx,
  input: { local: string; domain: string; accountId: string; kind: 'primary' | 'alias'; now: Date },
): Promise<void> {
  await tx.lock(LOCK);
  if (RESERVED_LOCAL_PARTS.has(input.local)) throw reservedError(input.local);
  const existing = await tx.db
    .selectFrom('addresses')
    .select(['account_id', 'state'])
    .where('local_part', '=', input.local)
    .where('domain', '=', input.domain)
    .executeTakeFirst();
  if (existing)
    throw conflict(
      'address.taken',
      existing.state === 'retired'
        ? `Địa chỉ ${input.local}@${input.domain} đã từng được cấp và không được cấp lại (Điều 6.2.b).`
        : `Địa chỉ ${input.local}@${input.domain} đã được cấp cho hộp thư khác.`,
      existing.state === 'retired'
        ? `${input.local}@${input.domain} was issued before and is never issued again.`
        : `${input.local}@${input.domain} already belongs to another mailbox.`,
    );
  await recordAddress(tx, input);
}

/**
 * The next personal local part for `stem` on the primary domain (Điều 6.2.b). Takes the registry
 * lock, which the transaction then holds until it commits, so the caller inserts the account and
 * then records the address with {@link recordAddress} before anyone else can compute the same one.
 */
export async function allocatePersonalLocalPart(
  tx: Tx,
  settings: DirectorySettings,
  stem: string,
): Promise<string> {
  await tx.lock(LOCK);
  const rows = await tx.db
    .selectFrom('addresses')
    .select('local_part')
    .where('domain', '=', settings.domain)
    .where('local_part', 'like', `${stem}%`)
    .execute();
  const issued = rows.map((r) => r.local_part);
  for (const r of RESERVED_LOCAL_PARTS) if (r.startsWith(stem)) issued.push(r);
  return nextPersonalLocalPart(stem, issued);
}

/** Record an address already checked free under the registry lock. */
export async function recordAddress(
  tx: Tx,
  input: { local: string; domain: string; accountId: string; kind: 'primary' | 'alias'; now: Date },
): Promise<void> {
  await tx.db
    .insertInto('addresses')
    .values({
      local_part: input.local,
      domain: input.domain,
      account_id: input.accountId,
      kind: input.kind,
      state: 'active',
      created_at: input.now.getTime(),
      retired_at: null,
    })
    .execute();
}

/** Parse an alias typed by an operator: any local part on one of the local domains. */
export function parseAlias(settings: DirectorySettings, typed: string): { local: string; domain: string } {
  const addr = normaliseAddress(typed.includes('@') ? typed : `${typed}@${settings.domain}`);
  if (!settings.localDomains.includes(addr.domain))
    throw invalid(
      'alias.foreign-domain',
      `Tên miền ${addr.domain} không phải tên miền của hệ thống (${settings.localDomains.join(', ')}).`,
      `${addr.domain} is not a local domain (${settings.localDomains.join(', ')}).`,
    );
  if (!/^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/.test(addr.local) || addr.local.includes('..'))
    throw invalid(
      'alias.bad-local-part',
      `Phần tên "${addr.local}" không hợp lệ: chỉ dùng chữ thường không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới.`,
      `Local part "${addr.local}" is not valid: use lower-case ASCII letters, digits, '.', '-' or '_'.`,
    );
  return addr;
}

export async function retireAddresses(tx: Tx, accountId: string, now: Date): Promise<number> {
  const r = await tx.db
    .updateTable('addresses')
    .set({ state: 'retired', retired_at: now.getTime() })
    .where('account_id', '=', accountId)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
