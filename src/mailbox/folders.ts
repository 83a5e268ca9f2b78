/**
 * Folders of a mailbox (RFC 9051 §5.1): names are UTF-8 (NFC) paths with '/' as the hierarchy
 * delimiter; "INBOX" is case-insensitive. Every account gets the default folders on first use,
 * each with its special-use attribute (RFC 6154). UIDVALIDITY comes from one counter for the whole
 * system, so a folder deleted and created again under the same name never reuses a value.
 */
import { uuidv7 } from '../util/ids.ts';
import { invalid, notFound } from '../util/errors.ts';
import type { Db, Tx } from '../store/index.ts';
import type { Selectable } from 'kysely';
import type { FoldersTable } from '../store/index.ts';

export type FolderRow = Selectable<FoldersTable>;

export const DEFAULT_FOLDERS: ReadonlyArray<{ name: string; specialUse: string | null }> = [
  { name: 'INBOX', specialUse: null },
  { name: 'Sent', specialUse: '\\Sent' },
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Trash', specialUse: '\\Trash' },
  { name: 'Junk', specialUse: '\\Junk' },
  { name: 'Archive', specialUse: '\\Archive' },
];

export const HIERARCHY_DELIMITER = '/';
/**
 * The top-level name of the shared namespace (RFC 2342): delegated agency mailboxes appear under
 * `Shared/<mailbox address>/…` (Điều 10.1). No mailbox may create a folder of that name itself.
 */
export const SHARED_NAMESPACE = 'Shared';
const MAX_NAME_BYTES = 512;
const MAX_DEPTH = 32;

/** The stored form of a folder name typed by a client: NFC, INBOX upper-cased, validated. */
export function normaliseFolderName(name: string): string {
  const n = name.normalize('NFC');
  const parts = n.split(HIERARCHY_DELIMITER);
  if (
    n === '' ||
    Buffer.byteLength(n) > MAX_NAME_BYTES ||
    parts.length > MAX_DEPTH ||
    parts.some((p) => p === '') ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/.test(n) ||
    n.includes('*') ||
    n.includes('%')
  )
    throw invalid(
      'folder.bad-name',
      `Tên thư mục không hợp lệ: "${name.slice(0, 100)}".`,
      `Invalid folder name: "${name.slice(0, 100)}".`,
    );
  if (parts[0]!.toUpperCase() === 'INBOX') parts[0] = 'INBOX';
  return parts.join(HIERARCHY_DELIMITER);
}

async function nextUidValidity(tx: Tx, now: Date): Promise<number> {
  await tx.lock('uidvalidity');
  const row = await tx.db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', 'uidvalidity')
    .executeTakeFirst();
  // Start at the current time in seconds (as Dovecot does), then count up; stays below 2^32.
  const next = Math.max(row ? Number(row.value) + 1 : 0, Math.floor(now.getTime() / 1000));
  await tx.db
    .insertInto('meta')
    .values({ key: 'uidvalidity', value: String(next) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(next) }))
    .execute();
  return next;
}

export async function createFolderRow(
  tx: Tx,
  accountId: string,
  name: string,
  specialUse: string | null,
  now: Date,
): Promise<FolderRow> {
  const row: FolderRow = {
    id: uuidv7(now.getTime()),
    account_id: accountId,
    name,
    special_use: specialUse,
    uid_validity: await nextUidValidity(tx, now),
    uid_next: 1,
    highest_modseq: 1,
    subscribed: 1,
    created_at: now.getTime(),
  };
  await tx.db
    .insertInto('folders')
    .values(row)
    .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
    .execute();
  return (await findFolder(tx.db, accountId, name))!;
}

/** Create the default folders an account lacks (idempotent). */
export async function ensureDefaultFolders(tx: Tx, accountId: string, now: Date): Promise<void> {
  const existing = await tx.db
    .selectFrom('folders')
    .select('name')
    .where('account_id', '=', accountId)
    .execute();
  const have = new Set(existing.map((r) => r.name));
  for (const f of DEFAULT_FOLDERS)
    if (!have.has(f.name)) await createFolderRow(tx, accountId, f.name, f.specialUse, now);
}

export async function findFolder(db: Db, accountId: string, name: string): Promise<FolderRow | undefined> {
  return db
    .selectFrom('folders')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name', '=', normaliseFolderName(name))
    .executeTakeFirst();
}

export async function requireFolder(db: Db, accountId: string, name: string): Promise<FolderRow> {
  const f = await findFolder(db, accountId, name);
  if (!f) throw notFound('folder.not-found', `Không có thư mục "${name}".`, `No folder "${name}".`);
  return f;
}

export async function listFolders(db: Db, accountId: string): Promise<FolderRow[]> {
  return db.selectFrom('folders').selectAll().where('account_id', '=', accountId).orderBy('name').execute();
}
