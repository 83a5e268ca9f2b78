/**
 * Changing messages that are stored: flags (RFC 9051 §6.4.6, with RFC 7162 UNCHANGEDSINCE) and
 * expunge (RFC 9051 §6.4.3), which leaves a tombstone per UID for QRESYNC (RFC 7162 §3.2.5),
 * releases the blob references and gives the bytes back to the quota. Each is one transaction;
 * the change is published after the commit. `removeMessageRows` is the same removal inside a
 * caller's transaction, across folders and accounts (incident containment, src/governance).
 */
import type { Clock } from '../util/clock.ts';
import { releaseBlob, type BlobStore, type DataStore, type Tx } from '../store/index.ts';
import type { ChangeFeed, MailboxEvent } from './events.ts';
import { flagString, hasFlag, parseFlagString } from './flags.ts';
import type { FolderRow } from './folders.ts';

/** Rows per UPDATE … WHERE id IN (…): well under SQLite's 32,766 bound parameters. */
const UPDATE_CHUNK = 500;

export interface MessageDeps {
  store: DataStore;
  blobs: BlobStore;
  clock: Clock;
  feed: ChangeFeed;
}

export interface MessageRow {
  uid: number;
  blobId: string;
  size: number;
  internalDate: Date;
  modseq: number;
  flags: string[];
}

export async function listMessages(store: DataStore, folderId: string): Promise<MessageRow[]> {
  const rows = await store.db
    .selectFrom('messages')
    .select(['uid', 'blob_id', 'size', 'internal_date', 'modseq', 'flags'])
    .where('folder_id', '=', folderId)
    .orderBy('uid')
    .execute();
  return rows.map((r) => ({
    uid: Number(r.uid),
    blobId: r.blob_id,
    size: Number(r.size),
    internalDate: new Date(Number(r.internal_date)),
    modseq: Number(r.modseq),
    flags: parseFlagString(r.flags),
  }));
}

export type FlagMode = 'add' | 'remove' | 'replace';

export interface StoreFlagsResult {
  /** UIDs whose flags changed, with their new flags and MODSEQ. */
  changed: Array<{ uid: number; flags: string[]; modseq: number }>;
  /** UIDs not changed because their MODSEQ was above UNCHANGEDSINCE (RFC 7162 §3.1.3). */
  modified: number[];
}

export async function storeFlags(
  deps: MessageDeps,
  folder: FolderRow,
  uids: number[],
  mode: FlagMode,
  flags: string[],
  options: { unchangedSince?: number } = {},
): Promise<StoreFlagsResult> {
  const given = flagString(flags); // validates before anything changes
  const events: MailboxEvent[] = [];
  const result = await deps.store.write(async (tx) => {
    const out: StoreFlagsResult = { changed: [], modified: [] };
    const rows = await tx.db
      .selectFrom('messages')
      .select(['id', 'uid', 'flags', 'modseq'])
      .where('folder_id', '=', folder.id)
      .where('uid', 'in', uids.length > 0 ? uids : [-1])
      .orderBy('uid')
      .execute();
    // The new flags of each row; rows that start alike end alike, so each distinct string is
    // computed once (a STORE on 10,000 messages usually has a handful).
    const wanted = parseFlagString(given);
    const nextOf = new Map<string, string>();
    const next = (current: string): string => {
      let n = nextOf.get(current);
      if (n === undefined) {
        const have = parseFlagString(current);
        if (mode === 'replace') n = given;
        else if (mode === 'add') n = flagString([...have, ...wanted]);
        else n = flagString(have.filter((f) => !wanted.some((w) => w.toLowerCase() === f.toLowerCase())));
        nextOf.set(current, n);
      }
      return n;
    };
    const byFlags = new Map<string, Array<{ id: number; uid: number }>>();
    for (const r of rows) {
      if (options.unchangedSince !== undefined && Number(r.modseq) > options.unchangedSince) {
        out.modified.push(Number(r.uid));
        continue;
      }
      const s = next(r.flags);
      if (s === r.flags) continue;
      let group = byFlags.get(s);
      if (!group) byFlags.set(s, (group = []));
      group.push({ id: Number(r.id), uid: Number(r.uid) });
    }
    if (byFlags.size > 0) {
      // RFC 7162 §3.1: every STORE command gets its own, higher mod-sequence; the messages it
      // changes share it. One bump of HIGHESTMODSEQ and one UPDATE per distinct result.
      const bumped = await tx.db
        .updateTable('folders')
        .set((eb) => ({ highest_modseq: eb('highest_modseq', '+', 1) }))
        .where('id', '=', folder.id)
        .returning('highest_modseq')
        .executeTakeFirstOrThrow();
      const modseq = Number(bumped.highest_modseq);
      for (const [s, group] of byFlags) {
        for (let i = 0; i < group.length; i += UPDATE_CHUNK) {
          await tx.db
            .updateTable('messages')
            .set({
              flags: s,
              modseq,
              seen: hasFlag(s, '\\Seen') ? 1 : 0,
              deleted: hasFlag(s, '\\Deleted') ? 1 : 0,
            })
            .where(
              'id',
              'in',
              group.slice(i, i + UPDATE_CHUNK).map((g) => g.id),
            )
            .execute();
        }
        const parsed = parseFlagString(s);
        for (const g of group) out.changed.push({ uid: g.uid, flags: parsed, modseq });
      }
      out.changed.sort((a, b) => a.uid - b.uid);
    }
    if (out.changed.length > 0)
      events.push({
        kind: 'flags',
        accountId: folder.account_id,
        folderId: folder.id,
        uids: out.changed.map((c) => c.uid),
        modseq: out.changed[out.changed.length - 1]!.modseq,
      });
    return out;
  });
  for (const e of events) deps.feed.publish(e);
  return result;
}

/**
 * Remove messages flagged \Deleted (only those among `uids` when given: UID EXPUNGE, RFC 4315).
 * Returns the expunged UIDs in ascending order.
 */
export async function expunge(deps: MessageDeps, folder: FolderRow, uids?: number[]): Promise<number[]> {
  const events: MailboxEvent[] = [];
  const gone = await deps.store.write(async (tx) => {
    let q = tx.db
      .selectFrom('messages')
      .select(['id', 'uid', 'blob_id', 'size'])
      .where('folder_id', '=', folder.id)
      .where('deleted', '=', 1);
    if (uids) q = q.where('uid', 'in', uids.length > 0 ? uids : [-1]);
    const rows = await q.orderBy('uid').execute();
    if (rows.length === 0) return [];
    events.push(
      ...(await removeMessageRows(
        tx,
        rows.map((r) => ({
          id: Number(r.id),
          folderId: folder.id,
          accountId: folder.account_id,
          uid: Number(r.uid),
          blobId: r.blob_id,
          size: Number(r.size),
        })),
        deps.clock.now(),
      )),
    );
    return rows.map((r) => Number(r.uid));
  });
  for (const e of events) deps.feed.publish(e);
  return gone;
}

/** A stored message row to remove, with the folder and account it is in. */
export interface RemovableRow {
  id: number;
  folderId: string;
  accountId: string;
  uid: number;
  blobId: string;
  size: number;
}

/**
 * Expunge `rows` (any folders of any accounts) inside the caller's transaction, with EXPUNGE's
 * semantics: per folder one new MODSEQ and a tombstone per UID (RFC 7162 §3.2.5), the bytes given
 * back to each account's quota, the blob references released, unless `keepBlobReferences`: the
 * caller then takes them over (the incident quarantine holds one reference per removed row).
 * Returns the 'expunge' events, one per folder, for the caller to publish after the commit.
 */
export async function removeMessageRows(
  tx: Tx,
  rows: readonly RemovableRow[],
  now: Date,
  options: { keepBlobReferences?: boolean } = {},
): Promise<MailboxEvent[]> {
  const byFolder = new Map<string, RemovableRow[]>();
  for (const r of rows) {
    let list = byFolder.get(r.folderId);
    if (!list) byFolder.set(r.folderId, (list = []));
    list.push(r);
  }
  const events: MailboxEvent[] = [];
  const bytesOf = new Map<string, number>();
  const perBlob = new Map<string, number>();
  for (const [folderId, list] of byFolder) {
    list.sort((a, b) => a.uid - b.uid);
    const bumped = await tx.db
      .updateTable('folders')
      .set((eb) => ({ highest_modseq: eb('highest_modseq', '+', 1) }))
      .where('id', '=', folderId)
      .returning('highest_modseq')
      .executeTakeFirstOrThrow();
    const modseq = Number(bumped.highest_modseq);
    for (let i = 0; i < list.length; i += UPDATE_CHUNK) {
      const chunk = list.slice(i, i + UPDATE_CHUNK);
      await tx.db
        .deleteFrom('messages')
        .where(
          'id',
          'in',
          chunk.map((r) => r.id),
        )
        .execute();
      await tx.db
        .insertInto('expunged')
        .values(chunk.map((r) => ({ folder_id: folderId, uid: r.uid, modseq })))
        .execute();
    }
    for (const r of list) {
      bytesOf.set(r.accountId, (bytesOf.get(r.accountId) ?? 0) + r.size);
      perBlob.set(r.blobId, (perBlob.get(r.blobId) ?? 0) + 1);
    }
    events.push({
      kind: 'expunge',
      accountId: list[0]!.accountId,
      folderId,
      uids: list.map((r) => r.uid),
      modseq,
    });
  }
  if (!options.keepBlobReferences) for (const [blobId, n] of perBlob) await releaseBlob(tx, blobId, now, n);
  for (const [accountId, bytes] of bytesOf)
    await tx.db
      .updateTable('accounts')
      .set((eb) => ({ used_bytes: eb('used_bytes', '-', bytes) }))
      .where('id', '=', accountId)
      .execute();
  return events;
}
