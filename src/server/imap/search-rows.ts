/**
 * The rows of the selected folder that match a search program, read in batches of UIDs from the
 * candidates the full-text index leaves (search-narrow.ts), each confirmed exactly by the
 * evaluator (search-eval.ts). Shared by SEARCH and by SORT/THREAD. Between batches the command's
 * time budget is checked (IMAP-16): a pathological search ends with NO [LIMIT] instead of holding
 * the server.
 */
import { sql } from 'kysely';
import type { SearchKey } from '../../protocol/imap/index.ts';
import type { SessionContext } from './context.ts';
import { errors } from './errors.ts';
import { matches, type SearchRow, type SearchScope } from './search-eval.ts';
import { exactCandidates, searchCandidates } from './search-narrow.ts';
import type { SelectedMailbox } from './selected.ts';
import { denseUidRange } from './uid-range.ts';

const BATCH = 1000;

function usesSentDate(keys: readonly SearchKey[]): boolean {
  return keys.some((k) =>
    k.type === 'SENTBEFORE' || k.type === 'SENTON' || k.type === 'SENTSINCE'
      ? true
      : k.type === 'NOT'
        ? usesSentDate([k.key])
        : k.type === 'OR'
          ? usesSentDate([k.left, k.right])
          : k.type === 'AND'
            ? usesSentDate(k.keys)
            : false,
  );
}

export async function* matchingRows(
  ctx: SessionContext,
  view: SelectedMailbox,
  keys: readonly SearchKey[],
  scope: SearchScope,
  opts: {
    withIndex: boolean;
    stopAtDeadline: boolean;
    /** Also read the envelope and References columns (SORT and THREAD). */
    withSortData?: boolean;
  },
): AsyncGenerator<SearchRow> {
  const all = exactCandidates(view, keys, scope) ?? (await searchCandidates(ctx.deps.store, view, keys));
  const needSentAt = opts.withSortData === true || usesSentDate(keys);
  for (let i = 0; i < all.length; i += BATCH) {
    if (i > 0 && opts.stopAtDeadline && Date.now() > scope.deadline) throw errors.searchBudget();
    const batch = all.slice(i, i + BATCH);
    let q = ctx.deps.store.db
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
        // The Date: header only when a key or the sort needs it: the column sits behind the
        // MIME index in the row, and reading it costs an overflow-page walk per message.
        needSentAt ? 'message_meta.sent_at' : sql<number | null>`NULL`.as('sent_at'),
      ])
      .where('messages.folder_id', '=', view.folder.id);
    const uids = batch.map(([, uid]) => uid);
    const range = denseUidRange(uids);
    q = range
      ? q.where('messages.uid', '>=', range[0]).where('messages.uid', '<=', range[1])
      : q.where('messages.uid', 'in', uids);
    if (opts.withIndex) q = q.select('message_meta.index_json') as typeof q;
    if (opts.withSortData) q = q.select(['message_meta.envelope_json', 'message_meta.refs']) as typeof q;
    const rows = new Map((await q.execute()).map((r) => [Number(r.uid), r]));
    for (const [seq, uid] of batch) {
      const r = rows.get(uid);
      if (!r) continue; // expunged meanwhile: not a match
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
        indexJson: (r as { index_json?: string | null }).index_json ?? null,
        envelopeJson: (r as { envelope_json?: string | null }).envelope_json ?? null,
        refs: (r as { refs?: string | null }).refs ?? null,
      };
      if (await matches(keys, row, scope)) yield row;
    }
  }
}
