/**
 * Changing the folder tree of a mailbox: CREATE (RFC 9051 §6.3.4, RFC 6154 §3 CREATE-SPECIAL-USE),
 * DELETE (§6.3.5), RENAME (§6.3.6) and SUBSCRIBE/UNSUBSCRIBE (§6.3.7, §6.3.8).
 *
 * Invariants:
 * - Names are validated and normalised by `normaliseFolderName` (NFC, '/' hierarchy, INBOX upper case);
 *   every operation is one write transaction, and the 'folders' event is published after commit.
 * - CREATE makes missing parents too (RFC 9051 §6.3.4 "SHOULD create … superior hierarchical names").
 * - DELETE of INBOX is refused; a folder with children is refused with `folder.has-children`
 *   (RFC 5530 HASCHILDREN): we keep no \Noselect placeholders. Deleting a folder releases its
 *   messages' blob references and gives their bytes back to the quota; UIDVALIDITY values are
 *   never reused, so a folder created again under the same name gets a new one.
 * - RENAME moves the whole subtree; renaming INBOX moves its messages into the new folder and leaves
 *   INBOX empty (RFC 9051 §6.3.6). A special-use attribute stays with the folder.
 */
import { conflict, invalid, notFound } from '../util/errors.ts';
import type { Clock } from '../util/clock.ts';
import { releaseBlob, type DataStore, type Tx } from '../store/index.ts';
import type { ChangeFeed } from './events.ts';
import {
  createFolderRow,
  findFolder,
  HIERARCHY_DELIMITER,
  normaliseFolderName,
  SHARED_NAMESPACE,
  type FolderRow,
} from './folders.ts';
import { moveAllMessages } from './copy-move.ts';

export interface FolderOpsDeps {
  store: DataStore;
  clock: Clock;
  feed: ChangeFeed;
}

/** The special-use attributes a client may give to CREATE (RFC 6154 §2). */
export const CREATABLE_SPECIAL_USE = ['\\Archive', '\\Drafts', '\\Junk', '\\Sent', '\\Trash', '\\Flagged'];

/**
 * Extra rules for names a client creates (IMAP-07): no `.` or `..` component, no leading `#` or
 * `~` (other namespaces, IMAP-15), no top-level `Shared` in any letter case (the shared namespace
 * of delegated mailboxes, RFC 2342), no C1 controls or line/paragraph separators.
 */
export function checkNewFolderName(name: string): void {
  const parts = name.split(HIERARCHY_DELIMITER);
  if (
    parts.some((p) => p === '.' || p === '..') ||
    parts[0]!.toLowerCase() === SHARED_NAMESPACE.toLowerCase() ||
    name.startsWith('#') ||
    name.startsWith('~') ||
    /[\u0080-\u009f\u2028\u2029]/.test(name)
  )
    throw invalid(
      'folder.bad-name',
      `Tên thư mục không hợp lệ: "${name.slice(0, 100)}".`,
      `Invalid folder name: "${name.slice(0, 100)}".`,
    );
}

function exists(name: string) {
  return conflict('folder.exists', `Thư mục "${name}" đã có.`, `The folder "${name}" already exists.`);
}

function missing(name: string) {
  return notFound('folder.not-found', `Không có thư mục "${name}".`, `No folder "${name}".`);
}

export async function createFolder(
  deps: FolderOpsDeps,
  accountId: string,
  rawName: string,
  options: { specialUse?: string | null } = {},
): Promise<FolderRow> {
  // RFC 9051 §6.3.4: a trailing delimiter only says the client means to create children.
  const trimmed = rawName.endsWith(HIERARCHY_DELIMITER) ? rawName.slice(0, -1) : rawName;
  const name = normaliseFolderName(trimmed);
  checkNewFolderName(name);
  let specialUse: string | null = null;
  if (options.specialUse) {
    specialUse =
      CREATABLE_SPECIAL_USE.find((s) => s.toLowerCase() === options.specialUse!.toLowerCase()) ?? null;
    if (!specialUse)
      throw invalid(
        'folder.special-use',
        `Thuộc tính đặc biệt không được hỗ trợ: ${options.specialUse}`,
        `Unsupported special-use attribute: ${options.specialUse}`,
      );
  }
  const now = deps.clock.now();
  const row = await deps.store.write(async (tx) => {
    if (await findFolder(tx.db, accountId, name)) throw exists(name);
    const parts = name.split(HIERARCHY_DELIMITER);
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join(HIERARCHY_DELIMITER);
      if (!(await findFolder(tx.db, accountId, parent)))
        await createFolderRow(tx, accountId, parent, null, now);
    }
    return createFolderRow(tx, accountId, name, specialUse, now);
  });
  deps.feed.publish({ kind: 'folders', accountId });
  return row;
}

async function children(tx: Tx, accountId: string, name: string): Promise<FolderRow[]> {
  const prefix = `${name}${HIERARCHY_DELIMITER}`;
  const rows = await tx.db.selectFrom('folders').selectAll().where('account_id', '=', accountId).execute();
  return rows.filter((r) => r.name.startsWith(prefix));
}

export async function deleteFolder(deps: FolderOpsDeps, accountId: string, rawName: string): Promise<void> {
  const name = normaliseFolderName(rawName);
  if (name === 'INBOX')
    throw invalid('folder.inbox', 'Không thể xóa hộp thư đến (INBOX).', 'INBOX cannot be deleted.');
  const now = deps.clock.now();
  await deps.store.write(async (tx) => {
    const folder = await findFolder(tx.db, accountId, name);
    if (!folder) throw missing(name);
    if ((await children(tx, accountId, name)).length > 0)
      throw conflict(
        'folder.has-children',
        `Thư mục "${name}" còn thư mục con; hãy xóa chúng trước.`,
        `The folder "${name}" has subfolders; delete them first.`,
      );
    const rows = await tx.db
      .selectFrom('messages')
      .select(['blob_id', 'size'])
      .where('folder_id', '=', folder.id)
      .execute();
    const perBlob = new Map<string, number>();
    let bytes = 0;
    for (const r of rows) {
      bytes += Number(r.size);
      perBlob.set(r.blob_id, (perBlob.get(r.blob_id) ?? 0) + 1);
    }
    await tx.db.deleteFrom('messages').where('folder_id', '=', folder.id).execute();
    await tx.db.deleteFrom('expunged').where('folder_id', '=', folder.id).execute();
    await tx.db.deleteFrom('folders').where('id', '=', folder.id).execute();
    for (const [blobId, n] of perBlob) await releaseBlob(tx, blobId, now, n);
    if (bytes > 0)
      await tx.db
        .updateTable('accounts')
        .set((eb) => ({ used_bytes: eb('used_bytes', '-', bytes) }))
        .where('id', '=', accountId)
        .execute();
  });
  deps.feed.publish({ kind: 'folders', accountId });
}

export async function renameFolder(
  deps: FolderOpsDeps,
  accountId: string,
  rawFrom: string,
  rawTo: string,
): Promise<void> {
  const from = normaliseFolderName(rawFrom);
  const to = normaliseFolderName(rawTo);
  checkNewFolderName(to);
  const now = deps.clock.now();
  if (from === 'INBOX') {
    // RFC 9051 §6.3.6: renaming INBOX moves its messages to a new folder; INBOX stays, empty.
    const moved = await deps.store.write(async (tx) => {
      const inbox = await findFolder(tx.db, accountId, 'INBOX');
      if (!inbox) throw missing('INBOX');
      if (await findFolder(tx.db, accountId, to)) throw exists(to);
      const dest = await createFolderRow(tx, accountId, to, null, now);
      return moveAllMessages(tx, inbox, dest);
    });
    deps.feed.publish({ kind: 'folders', accountId });
    for (const e of moved) deps.feed.publish(e);
    return;
  }
  if (to === 'INBOX' || to.startsWith(`${from}${HIERARCHY_DELIMITER}`) || from === to)
    throw invalid(
      'folder.bad-rename',
      'Không thể đổi tên thư mục như vậy.',
      'The folder cannot be renamed so.',
    );
  await deps.store.write(async (tx) => {
    const folder = await findFolder(tx.db, accountId, from);
    if (!folder) throw missing(from);
    if (await findFolder(tx.db, accountId, to)) throw exists(to);
    const parts = to.split(HIERARCHY_DELIMITER);
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join(HIERARCHY_DELIMITER);
      if (!(await findFolder(tx.db, accountId, parent)))
        await createFolderRow(tx, accountId, parent, null, now);
    }
    const subtree = [folder, ...(await children(tx, accountId, from))];
    for (const f of subtree) {
      const renamed = to + f.name.slice(from.length);
      normaliseFolderName(renamed); // depth and length limits hold for the whole subtree
      await tx.db.updateTable('folders').set({ name: renamed }).where('id', '=', f.id).execute();
    }
  });
  deps.feed.publish({ kind: 'folders', accountId });
}

export async function setSubscribed(
  deps: FolderOpsDeps,
  accountId: string,
  rawName: string,
  subscribed: boolean,
): Promise<void> {
  const name = normaliseFolderName(rawName);
  const n = await deps.store.write(async (tx) => {
    const folder = await findFolder(tx.db, accountId, name);
    if (!folder) throw missing(name);
    await tx.db
      .updateTable('folders')
      .set({ subscribed: subscribed ? 1 : 0 })
      .where('id', '=', folder.id)
      .execute();
    return 1;
  });
  if (n) deps.feed.publish({ kind: 'folders', accountId });
}
