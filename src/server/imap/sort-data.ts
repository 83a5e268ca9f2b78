/**
 * What SORT and THREAD (RFC 5256) work on: the messages of the selected mailbox that match a
 * search program, each with its size, dates and envelope. The search runs as SEARCH does (the
 * index narrows, search-eval.ts confirms, 200 rows a read) under the same per-command time budget
 * (IMAP-16): past it the command ends NO [LIMIT].
 */
import type { Envelope, MessageIndex } from '../../mail/index.ts';
import type { SearchKey } from '../../protocol/imap/index.ts';
import type { SessionContext } from './context.ts';
import { errors } from './errors.ts';
import { matches, type SearchRow, type SearchScope } from './search-eval.ts';
import { searchCandidates } from './search-narrow.ts';
import type { SelectedMailbox } from './selected.ts';

const BATCH = 200;

export interface SortMessage {
  seq: number;
  uid: number;
  blobId: string;
  size: number;
  internalDate: number;
  /** The Date: header in ms since the epoch; null when absent or unparsable. */
  sentAt: number | null;
  envelope: Envelope | null;
  /** Where the header ends (for reading References). */
  headerEnd: number;
}

export function checkCharset(charset: string): void {
  if (!['UTF-8', 'US-ASCII', 'UTF8'].includes(charset)) throw errors.badCharset();
}

/** The matching messages in ascending sequence order, and the deadline of the command. */
export async function matchingMessages(
  ctx: SessionContext,
  view: SelectedMailbox,
  keys: readonly SearchKey[],
): Promise<{ messages: SortMessage[]; deadline: number }> {
  const scope: SearchScope = {
    count: view.count,
    lastUid: view.lastUid,
    blobs: ctx.deps.blobs,
    deadline: Date.now() + ctx.settings.searchTimeBudgetMs,
  };
  const all = await searchCandidates(ctx.deps.store, view, keys);
  const out: SortMessage[] = [];
  for (let i = 0; i < all.length; i += BATCH) {
    if (Date.now() > scope.deadline) throw errors.searchBudget();
    const batch = all.slice(i, i + BATCH);
    const rows = await ctx.deps.store.db
      .selectFrom('messages')
      .leftJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
      .select([
        'messages.uid',
        'messages.blob_id',
        'messages.size',
        'messages.internal_date',
        'messages.saved_at',
        'messages.modseq',
        'messages.flags',
        'message_meta.sent_at',
        'message_meta.index_json',
      ])
      .where('messages.folder_id', '=', view.folder.id)
      .where('messages.uid', '>=', batch[0]![1])
      .where('messages.uid', '<=', batch[batch.length - 1]![1])
      .execute();
    const byUid = new Map(rows.map((r) => [Number(r.uid), r]));
    for (const [seq, uid] of batch) {
      const r = byUid.get(uid);
      if (!r) continue; // expunged meanwhile
      const row: SearchRow = {
        seq,
        uid,
        blobId: r.blob_id,
        size: Number(r.size),
        internalDate: Number(r.internal_date),
        savedAt: Number(r.saved_at),
        modseq: Number(r.modseq),
        flags: r.flags === '' ? [] : r.flags.split(' '),
        sentAt: r.sent_at === null ? null : Number(r.sent_at),
        indexJson: r.index_json ?? null,
      };
      if (!(await matches(keys, row, scope))) continue;
      const index = row.indexJson ? (JSON.parse(row.indexJson) as MessageIndex) : null;
      out.push({
        seq,
        uid,
        blobId: row.blobId,
        size: row.size,
        internalDate: row.internalDate,
        sentAt: row.sentAt,
        envelope: index?.root.envelope ?? null,
        headerEnd: index?.root.bodyStart ?? 0,
      });
    }
  }
  return { messages: out, deadline: scope.deadline };
}
