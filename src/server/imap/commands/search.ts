/**
 * SEARCH and UID SEARCH (RFC 9051 §6.4.4) with ESEARCH (RFC 4731; always for IMAP4rev2 sessions,
 * RFC 9051 §7.3.4) and CHARSET UTF-8 / US-ASCII (others: NO [BADCHARSET]). Keys: search-eval.ts.
 * Messages are read 200 at a time; the time budget is per command (IMAP-16). No EXPUNGE
 * responses follow SEARCH (RFC 9051 §7.5.1); UID SEARCH may send them.
 */
import { atom, compressNumbers, list, num, str, type ImapValue } from '../../../protocol/imap/index.ts';
import type { SearchCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { matches, needs, type SearchRow, type SearchScope } from '../search-eval.ts';
import { SELECTED } from '../state.ts';

const BATCH = 200;

export const search = defineHandler<SearchCommand>({
  name: 'SEARCH',
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(ctx, cmd) {
    const state = ctx.state;
    if (state.kind !== 'selected') throw errors.wrongState();
    if (cmd.charset !== undefined && !['UTF-8', 'US-ASCII', 'UTF8'].includes(cmd.charset))
      throw errors.badCharset();
    const view = state.mailbox;
    const need = needs(cmd.criteria);
    const scope: SearchScope = {
      count: view.count,
      lastUid: view.lastUid,
      blobs: ctx.deps.blobs,
      deadline: Date.now() + ctx.settings.searchTimeBudgetMs,
    };
    const found: number[] = [];
    const all = [...view.all()];
    for (let i = 0; i < all.length; i += BATCH) {
      const batch = all.slice(i, i + BATCH);
      let q = ctx.deps.store.db
        .selectFrom('messages')
        .leftJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
        .select([
          'messages.uid',
          'messages.blob_id',
          'messages.size',
          'messages.internal_date',
          'messages.modseq',
          'messages.flags',
          'message_meta.sent_at',
        ])
        .where('messages.folder_id', '=', view.folder.id)
        .where('messages.uid', '>=', batch[0]![1])
        .where('messages.uid', '<=', batch[batch.length - 1]![1]);
      if (need.index) q = q.select('message_meta.index_json') as typeof q;
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
          modseq: Number(r.modseq),
          flags: r.flags === '' ? [] : r.flags.split(' '),
          sentAt: r.sent_at === null ? null : Number(r.sent_at),
          indexJson: (r as { index_json?: string | null }).index_json ?? null,
        };
        if (await matches(cmd.criteria, row, scope)) found.push(cmd.uid ? uid : seq);
      }
      if (Date.now() > scope.deadline && i + BATCH < all.length && need.text) throw errors.searchBudget();
    }
    if (cmd.returnOptions === undefined && !ctx.rev2) {
      await ctx.untagged([atom('SEARCH'), ...found.map((n) => num(n))]);
      return ok(cmd.uid ? 'UID SEARCH completed' : 'SEARCH completed');
    }
    const opts = cmd.returnOptions && cmd.returnOptions.length > 0 ? cmd.returnOptions : ['ALL'];
    const out: ImapValue[] = [atom('ESEARCH'), list([atom('TAG'), str(cmd.tag)])];
    if (cmd.uid) out.push(atom('UID'));
    if (found.length > 0 && opts.includes('MIN')) out.push(atom('MIN'), num(found[0]!));
    if (found.length > 0 && opts.includes('MAX')) out.push(atom('MAX'), num(found[found.length - 1]!));
    if (found.length > 0 && opts.includes('ALL')) out.push(atom('ALL'), atom(compressNumbers(found)));
    if (opts.includes('COUNT')) out.push(atom('COUNT'), num(found.length));
    await ctx.untagged(out);
    return ok(cmd.uid ? 'UID SEARCH completed' : 'SEARCH completed');
  },
});
