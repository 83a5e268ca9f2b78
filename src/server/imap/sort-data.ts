/**
 * What SORT and THREAD (RFC 5256) work on: the messages of the selected mailbox that match a
 * search program, each with its size, dates, envelope and References (the small columns stored at
 * ingest, never the whole MIME index). The search runs as SEARCH does (the
 * index narrows, search-eval.ts confirms, 200 rows a read) under the same per-command time budget
 * (IMAP-16): past it the command ends NO [LIMIT].
 */
import type { Envelope } from '../../mail/index.ts';
import type { SearchKey } from '../../protocol/imap/index.ts';
import type { SessionContext } from './context.ts';
import { errors } from './errors.ts';
import { needs, type SearchScope } from './search-eval.ts';
import { matchingRows } from './search-rows.ts';
import { exactAnswers } from './search-narrow.ts';
import type { SelectedMailbox } from './selected.ts';

export interface SortMessage {
  seq: number;
  uid: number;
  blobId: string;
  size: number;
  internalDate: number;
  /** The Date: header in ms since the epoch; null when absent or unparsable. */
  sentAt: number | null;
  envelope: Envelope | null;
  /** The References field stored at ingest ('' when none); null for messages stored before it was (read the header then). */
  refs: string | null;
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
  const deadline = Date.now() + ctx.settings.searchTimeBudgetMs;
  const scope: SearchScope = {
    count: view.count,
    lastUid: view.lastUid,
    blobs: ctx.deps.blobs,
    deadline,
    exact: await exactAnswers(ctx.deps.store, view, keys, deadline),
  };
  const out: SortMessage[] = [];
  const rows = matchingRows(ctx, view, keys, scope, {
    withIndex: needs(keys).index,
    withSortData: true,
    stopAtDeadline: true,
  });
  for await (const row of rows) {
    out.push({
      seq: row.seq,
      uid: row.uid,
      blobId: row.blobId,
      size: row.size,
      internalDate: row.internalDate,
      sentAt: row.sentAt,
      envelope: row.envelopeJson ? (JSON.parse(row.envelopeJson) as Envelope | null) : null,
      refs: row.refs ?? null,
    });
  }
  return { messages: out, deadline: scope.deadline };
}
