/**
 * Who receives what a decision produces: the reply letter goes to the agency's mailbox (to the
 * filer when the agency has none left, to the named contact for a new agency); an activation link
 * goes to the agency's mailbox unless that is the mailbox being activated (then to the filer, and
 * failing that to the operators). Reminders go to the active operators.
 */
import type { Db, Tx } from '../../store/index.ts';
import { resolveAccount, type DirectorySettings } from '../../directory/index.ts';
import type { RequestDetails } from './kinds.ts';
import type { RequestRow } from './views.ts';

export async function agencyMailbox(tx: Tx, agencyId: string | null): Promise<string | null> {
  if (!agencyId) return null;
  const row = await tx.db
    .selectFrom('accounts')
    .select('id')
    .where('org_id', '=', agencyId)
    .where('kind', '=', 'agency')
    .where('state', '<>', 'deleted')
    .executeTakeFirst();
  return row?.id ?? null;
}

async function filerAccount(tx: Tx, r: RequestRow, except?: string): Promise<string | null> {
  const row = await tx.db
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', r.filed_by)
    .where('state', '<>', 'deleted')
    .executeTakeFirst();
  return row && row.id !== except ? row.id : null;
}

/** The letter goes to the agency's mailbox; when it has none (dissolved), to the filer. */
export async function letterRecipients(
  tx: Tx,
  settings: DirectorySettings,
  r: RequestRow,
  request: RequestDetails,
): Promise<string[]> {
  if (request.kind === 'create-agency') {
    const c = await resolveAccount(tx.db, settings, request.details.contact);
    return c && c.state !== 'deleted' ? [c.id] : [];
  }
  const mailbox = await agencyMailbox(tx, r.agency_id);
  if (mailbox) return [mailbox];
  const filer = await filerAccount(tx, r);
  return filer ? [filer] : [];
}

/**
 * The activation link goes to the agency's mailbox, unless that is the mailbox being activated
 * (nobody could read it): then to the filer, and failing that to the operators.
 */
export async function activationRecipients(
  tx: Tx,
  settings: DirectorySettings,
  r: RequestRow,
  request: RequestDetails,
  accountId: string,
): Promise<string[]> {
  if (request.kind === 'create-agency') {
    const c = await resolveAccount(tx.db, settings, request.details.contact);
    if (c && c.state !== 'deleted' && c.id !== accountId) return [c.id];
  }
  const mailbox = await agencyMailbox(tx, r.agency_id);
  if (mailbox && mailbox !== accountId) return [mailbox];
  const filer = await filerAccount(tx, r, accountId);
  if (filer) return [filer];
  return (await operators(tx.db)).filter((id) => id !== accountId);
}

export async function operators(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('accounts')
    .select('id')
    .where('role', '=', 'operator')
    .where('state', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}
