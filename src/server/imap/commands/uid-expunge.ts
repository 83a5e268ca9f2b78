/** UID EXPUNGE (RFC 4315 §2.1, RFC 9051 §6.4.9): only the \Deleted messages among the given UIDs. */
import type { UidExpungeCommand } from '../../../protocol/imap/index.ts';
import { expunge as expungeMessages } from '../../../mailbox/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { SELECTED } from '../state.ts';
import { requireRights } from '../access.ts';

export const uidExpunge = defineHandler<UidExpungeCommand>({
  name: 'UID EXPUNGE',
  states: SELECTED,
  async run(ctx, cmd) {
    const state = ctx.state;
    if (state.kind !== 'selected') throw errors.wrongState();
    if (state.mailbox.readOnly) throw errors.readOnly();
    requireRights(state.mailbox, 'e'); // RFC 4314 §4
    const uids = state.mailbox.resolve(cmd.set, true).map(([, uid]) => uid);
    if (uids.length > 0) {
      const gone = await expungeMessages(ctx.deps, state.mailbox.folder, uids);
      for (const r of state.mailbox.expungeOwn(gone, { qresync: ctx.qresync })) await ctx.untagged(r);
    }
    return ok('UID EXPUNGE completed');
  },
});
