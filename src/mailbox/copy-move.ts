/**
 * COPY (RFC 9051 §6.4.7) and MOVE (RFC 6851, RFC 9051 §6.4.8) of messages between folders of one
 * account, or between a delegate's own mailbox and a delegated agency mailbox (Điều 10.1), with the UID pairs UIDPLUS reports (RFC 4315 §3 COPYUID).
 *
 * Invariants:
 * - One blob per distinct message: a copy is a new `messages` row pointing at the same blob, with
 *   one more reference taken by `acquireBlob` in the same transaction (DESIGN.md "one blob").
 * - Each copy gets the destination's next UID and a new MODSEQ, in source UID order, so COPYUID's
 *   two sets correspond element by element. A copy counts against the quota (RFC 9208: the whole
 *   command fails with `mailbox.over-quota`; nothing is copied).
 * - MOVE is atomic: the rows change folder (new UID, new MODSEQ) and the source gets tombstones in
 *   `expunged`, all in one transaction; blob references do not change, nor do used bytes unless
 *   the two folders belong to different accounts (then they move with the messages, and the
 *   destination's quota holds).
 * - Events are published only after the commit (DESIGN.md rule 9).
 */
import { CongthuError } from '../util/errors.ts';
import type { Clock } from '../util/clock.ts';
import { acquireBlob, type BlobStore, type DataStore, type Tx } from '../store/index.ts';
import { effectiveQuota, type DirectorySettings } from '../directory/index.ts';
import type { ChangeFeed, MailboxEvent } from './events.ts';
import type { FolderRow } from './folders.ts';

export interface CopyMoveDeps {
  store: DataStore;
  blobs: BlobStore;
  clock: Clock;
  feed: ChangeFeed;
  settings: DirectorySettings;
}

export interface CopyResult {
  /** Destination UIDVALIDITY. */
  uidValidity: number;
  /** [source UID, destination UID] in ascending source order. */
  pairs: Array<[number, number]>;
}

const CHUNK = 500;

async function selectRows(tx: Tx, folderId: string, uids: number[]) {
  const out = [];
  const sorted = [...uids].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const part = sorted.slice(i, i + CHUNK);
    out.push(
      ...(await tx.db
        .selectFrom('messages')
        .selectAll()
        .where('folder_id', '=', folderId)
        .where('uid', 'in', part)
        .orderBy('uid')
        .execute()),
    );
  }
  return out;
}

async function checkQuota(tx: Tx, settings: DirectorySettings, accountId: string, bytes: number) {
  const account = await tx.db
    .selectFrom('accounts')
    .select(['kind', 'quota_bytes', 'used_bytes', 'local_part', 'domain'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (Number(account.used_bytes) + bytes > effectiveQuota(account, settings))
    throw new CongthuError('limit', 'mailbox.over-quota', {
      vi: `Hộp thư ${account.local_part}@${account.domain} đã đầy (vượt dung lượng được cấp, Điều 9.1).`,
      en: `The mailbox ${account.local_part}@${account.domain} is full (over its quota).`,
    });
}

async function allocate(tx: Tx, folderId: string, n: number) {
  const bumped = await tx.db
    .updateTable('folders')
    .set((eb) => ({ uid_next: eb('uid_next', '+', n), highest_modseq: eb('highest_modseq', '+', 1) }))
    .where('id', '=', folderId)
    .returning(['uid_next', 'highest_modseq', 'uid_validity'])
    .executeTakeFirstOrThrow();
  return {
    firstUid: Number(bumped.uid_next) - n,
    modseq: Number(bumped.highest_modseq),
    uidValidity: Number(bumped.uid_validity),
  };
}

export async function copyMessages(
  deps: CopyMoveDeps,
  source: FolderRow,
  uids: number[],
  dest: FolderRow,
): Promise<CopyResult> {
  const events: MailboxEvent[] = [];
  const result = await deps.store.write(async (tx) => {
    const rows = await selectRows(tx, source.id, uids);
    if (rows.length === 0) return { uidValidity: Number(dest.uid_validity), pairs: [] };
    const bytes = rows.reduce((s, r) => s + Number(r.size), 0);
    await checkQuota(tx, deps.settings, dest.account_id, bytes);
    const now = deps.clock.now();
    const { firstUid, modseq, uidValidity } = await allocate(tx, dest.id, rows.length);
    const perBlob = new Map<string, number>();
    for (const r of rows) perBlob.set(r.blob_id, (perBlob.get(r.blob_id) ?? 0) + 1);
    for (const [blobId, n] of perBlob) {
      const size = rows.find((r) => r.blob_id === blobId)!.size;
      await acquireBlob(tx, deps.blobs, blobId, Number(size), now, n);
    }
    const pairs: Array<[number, number]> = [];
    let uid = firstUid;
    for (const r of rows) {
      await tx.db
        .insertInto('messages')
        .values({
          folder_id: dest.id,
          uid,
          blob_id: r.blob_id,
          size: r.size,
          internal_date: r.internal_date,
          saved_at: now.getTime(),
          modseq,
          flags: r.flags,
          seen: r.seen,
          deleted: r.deleted,
          source: r.source,
        })
        .execute();
      pairs.push([Number(r.uid), uid]);
      uid++;
    }
    await tx.db
      .updateTable('accounts')
      .set((eb) => ({ used_bytes: eb('used_bytes', '+', bytes) }))
      .where('id', '=', dest.account_id)
      .execute();
    events.push({
      kind: 'exists',
      accountId: dest.account_id,
      folderId: dest.id,
      uids: pairs.map((p) => p[1]),
      modseq,
    });
    return { uidValidity, pairs };
  });
  for (const e of events) deps.feed.publish(e);
  return result;
}

/** Move rows inside the caller's transaction; returns the events to publish after commit. */
async function moveRows(
  tx: Tx,
  source: FolderRow,
  dest: FolderRow,
  rows: Array<{ id: number; uid: number }>,
): Promise<{ pairs: Array<[number, number]>; uidValidity: number; events: MailboxEvent[] }> {
  if (rows.length === 0) return { pairs: [], uidValidity: Number(dest.uid_validity), events: [] };
  const { firstUid, modseq, uidValidity } = await allocate(tx, dest.id, rows.length);
  const src = await tx.db
    .updateTable('folders')
    .set((eb) => ({ highest_modseq: eb('highest_modseq', '+', 1) }))
    .where('id', '=', source.id)
    .returning('highest_modseq')
    .executeTakeFirstOrThrow();
  const srcModseq = Number(src.highest_modseq);
  const pairs: Array<[number, number]> = [];
  let uid = firstUid;
  for (const r of rows) {
    await tx.db
      .updateTable('messages')
      .set({ folder_id: dest.id, uid, modseq })
      .where('id', '=', r.id)
      .execute();
    await tx.db
      .insertInto('expunged')
      .values({ folder_id: source.id, uid: r.uid, modseq: srcModseq })
      .execute();
    pairs.push([Number(r.uid), uid]);
    uid++;
  }
  const events: MailboxEvent[] = [
    {
      kind: 'expunge',
      accountId: source.account_id,
      folderId: source.id,
      uids: pairs.map((p) => p[0]),
      modseq: srcModseq,
    },
    { kind: 'exists', accountId: dest.account_id, folderId: dest.id, uids: pairs.map((p) => p[1]), modseq },
  ];
  return { pairs, uidValidity, events };
}

export async function moveMessages(
  deps: CopyMoveDeps,
  source: FolderRow,
  uids: number[],
  dest: FolderRow,
): Promise<CopyResult> {
  let events: MailboxEvent[] = [];
  const result = await deps.store.write(async (tx) => {
    const selected = await selectRows(tx, source.id, uids);
    const rows = selected.map((r) => ({ id: Number(r.id), uid: Number(r.uid) }));
    if (source.account_id !== dest.account_id && selected.length > 0) {
      // Between two mailboxes (a delegate filing from or into an agency mailbox, Điều 10.1): the
      // bytes change owner, and the destination's quota holds.
      const bytes = selected.reduce((s, r) => s + Number(r.size), 0);
      await checkQuota(tx, deps.settings, dest.account_id, bytes);
      await tx.db
        .updateTable('accounts')
        .set((eb) => ({ used_bytes: eb('used_bytes', '+', bytes) }))
        .where('id', '=', dest.account_id)
        .execute();
      await tx.db
        .updateTable('accounts')
        .set((eb) => ({ used_bytes: eb('used_bytes', '-', bytes) }))
        .where('id', '=', source.account_id)
        .execute();
    }
    const moved = await moveRows(tx, source, dest, rows);
    events = moved.events;
    return { uidValidity: moved.uidValidity, pairs: moved.pairs };
  });
  for (const e of events) deps.feed.publish(e);
  return result;
}

/** Every message of `source` into `dest`, inside the caller's transaction (RENAME INBOX). */
export async function moveAllMessages(tx: Tx, source: FolderRow, dest: FolderRow): Promise<MailboxEvent[]> {
  const rows = await tx.db
    .selectFrom('messages')
    .select(['id', 'uid'])
    .where('folder_id', '=', source.id)
    .orderBy('uid')
    .execute();
  const moved = await moveRows(
    tx,
    source,
    dest,
    rows.map((r) => ({ id: Number(r.id), uid: Number(r.uid) })),
  );
  return moved.events;
}
