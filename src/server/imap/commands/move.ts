/**
 * MOVE and UID MOVE (RFC 6851, RFC 9051 §6.4.8): atomic in the mailbox layer; the untagged
 * `OK [COPYUID …]` comes first, then the EXPUNGE responses of the moved messages (RFC 6851 §4.3).
 * Out of a delegated mailbox it needs the rights "t" and "e" there (RFC 6851 §4.1: a MOVE is a
 * COPY, STORE \Deleted and EXPUNGE; RFC 4314 §4); into one, "i" (copy.ts).
 */
import { untaggedStatus } from '../../../protocol/imap/index.ts';
import type { MoveCommand } from '../../../protocol/imap/index.ts';
import { moveMessages } from '../../../mailbox/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { SELECTED } from '../state.ts';
import { copyUidCode, prepare } from './copy.ts';
import { requireRights } from '../access.ts';

export const move = defineHandler<MoveCommand>({
  name: 'MOVE',
  states: SELECTED,
  async run(ctx, cmd) {
    const state = ctx.state;
    if (state.kind === 'selected') requireRights(state.mailbox, 't', 'e');
    const { view, dest, uids } = await prepare(ctx, cmd);
    if (view.readOnly) throw errors.readOnly();
    const r = await moveMessages(
      { ...ctx.deps, settings: ctx.deps.directorySettings },
      view.folder,
      uids,
      dest,
    );
    const code = copyUidCode(r);
    if (code) await ctx.send(untaggedStatus('OK', 'Moved', { code }));
    for (const line of view.expungeOwn(
      r.pairs.map((p) => p[0]),
      { qresync: ctx.qresync },
    ))
      await ctx.untagged(line);
    return ok('MOVE completed');
  },
});
