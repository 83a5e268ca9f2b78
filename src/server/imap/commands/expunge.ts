/**
 * EXPUNGE (RFC 9051 §6.4.3): removes the messages flagged \Deleted and says `* n EXPUNGE` for
 * each (descending, so every number is right when sent); changes of other sessions follow.
 */
import type { ExpungeCommand } from '../../../protocol/imap/index.ts';
import { expunge as expungeMessages } from '../../../mailbox/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { SELECTED } from '../state.ts';
import { requireRights } from '../access.ts';

export const expunge = defineHandler<ExpungeCommand>({
  name: 'EXPUNGE',
  states: SELECTED,
  async run(ctx) {
    const state = ctx.state;
    if (state.kind !== 'selected') throw errors.wrongState();
    if (state.mailbox.readOnly) throw errors.readOnly();
    requireRights(state.mailbox, 'e'); // RFC 4314 §4
    const gone = await expungeMessages(ctx.deps, state.mailbox.folder);
    for (const r of state.mailbox.expungeOwn(gone, { qresync: ctx.qresync })) await ctx.untagged(r);
    return ok('EXPUNGE completed');
  },
});
