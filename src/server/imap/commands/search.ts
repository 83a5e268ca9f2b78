/**
 * SEARCH and UID SEARCH (RFC 9051 §6.4.4) with ESEARCH (RFC 4731; always for IMAP4rev2 sessions,
 * RFC 9051 §7.3.4) and CHARSET UTF-8 / US-ASCII (others: NO [BADCHARSET]). Keys: search-eval.ts.
 * Messages are read 200 at a time; the time budget is per command (IMAP-16). No EXPUNGE
 * responses follow SEARCH (RFC 9051 §7.5.1); UID SEARCH may send them.
 *
 * RFC 7162 §3.1.5: the MODSEQ key enables CONDSTORE, and a non-empty result then carries the
 * highest modseq of the matched messages (`* SEARCH 2 5 (MODSEQ 917)`, or `MODSEQ 917` in
 * ESEARCH, RFC 4731 §3.2). SEARCHRES (RFC 5182): RETURN (SAVE) keeps the result (as UIDs) for
 * `$`; with MIN and/or MAX only those are kept (§2.4); SAVE alone sends no ESEARCH (§2.4); a
 * failing SAVE search leaves `$` empty (§2.1). `$` in the keys means the saved messages.
 */
import { atom, compressNumbers, list, num, str, type ImapValue } from '../../../protocol/imap/index.ts';
import type { SearchCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { needs, type SearchScope } from '../search-eval.ts';
import { matchingRows } from '../search-rows.ts';
import { exactAnswers } from '../search-narrow.ts';
import { SELECTED } from '../state.ts';
import { usesModseq } from '../condstore.ts';

export const search = defineHandler<SearchCommand>({
  name: 'SEARCH',
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(ctx, cmd) {
    const state = ctx.state;
    if (state.kind !== 'selected') throw errors.wrongState();
    const view = state.mailbox;
    const save = cmd.returnOptions?.includes('SAVE') ?? false;
    const saved = view.savedUids();
    if (save) view.saveResult([]); // RFC 5182 §2.1: a failing SAVE search leaves `$` empty
    if (cmd.charset !== undefined && !['UTF-8', 'US-ASCII', 'UTF8'].includes(cmd.charset))
      throw errors.badCharset();
    const withModseq = usesModseq(cmd.criteria);
    if (withModseq) ctx.enable('CONDSTORE');
    const need = needs(cmd.criteria);
    const deadline = Date.now() + ctx.settings.searchTimeBudgetMs;
    const scope: SearchScope = {
      count: view.count,
      lastUid: view.lastUid,
      blobs: ctx.deps.blobs,
      deadline,
      saved,
      exact: await exactAnswers(ctx.deps.store, view, cmd.criteria, deadline),
    };
    const found: number[] = [];
    const foundUids: number[] = [];
    let highestModseq = 0;
    // The index narrows (issue 5); each candidate is confirmed exactly.
    for await (const row of matchingRows(ctx, view, cmd.criteria, scope, {
      withIndex: need.index,
      stopAtDeadline: need.text,
    })) {
      found.push(cmd.uid ? row.uid : row.seq);
      foundUids.push(row.uid);
      if (row.modseq > highestModseq) highestModseq = row.modseq;
    }
    const modseqData = withModseq && found.length > 0;
    if (cmd.returnOptions === undefined && !ctx.rev2) {
      const tail = modseqData ? [list([atom('MODSEQ'), num(highestModseq)])] : [];
      await ctx.untagged([atom('SEARCH'), ...found.map((n) => num(n)), ...tail]);
      return ok(cmd.uid ? 'UID SEARCH completed' : 'SEARCH completed');
    }
    const opts = cmd.returnOptions && cmd.returnOptions.length > 0 ? cmd.returnOptions : ['ALL'];
    if (save) {
      const min = opts.includes('MIN');
      const max = opts.includes('MAX');
      const ends = [min ? foundUids[0] : undefined, max ? foundUids[foundUids.length - 1] : undefined];
      view.saveResult(
        min || max ? [...new Set(ends.filter((u): u is number => u !== undefined))] : foundUids,
      );
      if (opts.length === 1) return ok(cmd.uid ? 'UID SEARCH completed' : 'SEARCH completed');
    }
    const out: ImapValue[] = [atom('ESEARCH'), list([atom('TAG'), str(cmd.tag)])];
    if (cmd.uid) out.push(atom('UID'));
    if (found.length > 0 && opts.includes('MIN')) out.push(atom('MIN'), num(found[0]!));
    if (found.length > 0 && opts.includes('MAX')) out.push(atom('MAX'), num(found[found.length - 1]!));
    if (found.length > 0 && opts.includes('ALL')) out.push(atom('ALL'), atom(compressNumbers(found)));
    if (opts.includes('COUNT')) out.push(atom('COUNT'), num(found.length));
    if (modseqData) out.push(atom('MODSEQ'), num(highestModseq));
    await ctx.untagged(out);
    return ok(cmd.uid ? 'UID SEARCH completed' : 'SEARCH completed');
  },
});
