/**
 * CONDSTORE and QRESYNC (RFC 7162) reads shared by SELECT/EXAMINE, FETCH and SEARCH:
 * which UIDs changed or vanished since a client's mod-sequence.
 *
 * - Every change of a message takes a new modseq from `folders.highest_modseq` in the same
 *   transaction as the change (src/mailbox: ingest, storeFlags, expunge, copy, move), so
 *   `messages.modseq` and the tombstones in `expunged` (folder_id, uid, modseq) are exact.
 *   Tombstones are kept until the folder is deleted, so VANISHED (EARLIER) is exact after any
 *   absence; the seq-match data of QRESYNC (RFC 7162 §3.2.5.2) is checked but not needed.
 * - Both queries use the (folder_id, modseq) indexes and return only the changed rows: a client
 *   away for months gets the expunged UIDs and the changed flags, never the whole folder.
 */
import type { DataStore } from '../../store/index.ts';
import {
  intervalsContain,
  resolveSequenceSet,
  type Interval,
  type SequenceSet,
  type SearchKey,
} from '../../protocol/imap/index.ts';

/** Largest value a mod-sequence may have here (stored as a JavaScript number). */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
export const modseqNumber = (m: bigint): number => Number(m > MAX_SAFE ? MAX_SAFE : m);

/** The intervals of a UID set without `$`; `*` is `star`. */
export function uidIntervals(set: SequenceSet, star: number): Interval[] | null {
  return set.kind === 'set' ? resolveSequenceSet(set, { star }) : null;
}

/** UIDs expunged (or moved out) after `modseq`, ascending, limited to `within` when given. */
export async function vanishedSince(
  store: DataStore,
  folderId: string,
  modseq: number,
  within: readonly Interval[] | null,
): Promise<number[]> {
  const rows = await store.db
    .selectFrom('expunged')
    .select('uid')
    .where('folder_id', '=', folderId)
    .where('modseq', '>', modseq)
    .orderBy('uid')
    .execute();
  const uids = rows.map((r) => Number(r.uid));
  return within ? uids.filter((u) => intervalsContain(within, u)) : uids;
}

/** UIDs of the messages whose modseq is above `modseq`, ascending. */
export async function changedSince(store: DataStore, folderId: string, modseq: number): Promise<Set<number>> {
  const rows = await store.db
    .selectFrom('messages')
    .select('uid')
    .where('folder_id', '=', folderId)
    .where('modseq', '>', modseq)
    .execute();
  return new Set(rows.map((r) => Number(r.uid)));
}

/** Does a search program use the MODSEQ key (RFC 7162 §3.1.5)? */
export function usesModseq(keys: readonly SearchKey[]): boolean {
  const stack: SearchKey[] = [...keys];
  for (let k = stack.pop(); k; k = stack.pop()) {
    if (k.type === 'MODSEQ') return true;
    if (k.type === 'NOT') stack.push(k.key);
    else if (k.type === 'OR') stack.push(k.left, k.right);
    else if (k.type === 'AND') stack.push(...k.keys);
  }
  return false;
}
