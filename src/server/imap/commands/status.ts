/**
 * STATUS (RFC 9051 §6.3.11) with SIZE (RFC 8438). RFC 9051 allows it on the selected mailbox too.
 * A missing folder (or another account's, IMAP-15) is NO [NONEXISTENT].
 */
import type { StatusCommand } from '../../../protocol/imap/index.ts';
import { findFolder } from '../../../mailbox/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { statusResponse } from '../folder-status.ts';
import { defineHandler } from '../handler.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

export const status = defineHandler<StatusCommand>({
  name: 'STATUS',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const account = accountOf(ctx.state)!;
    // RFC 7162 §3.1: STATUS … (HIGHESTMODSEQ) is a CONDSTORE-enabling command.
    if (cmd.items.includes('HIGHESTMODSEQ')) ctx.enable('CONDSTORE');
    const folder = await findFolder(ctx.deps.store.db, account.id, cmd.mailbox).catch(() => undefined);
    if (!folder) throw errors.noSuchMailbox();
    await ctx.untagged(await statusResponse(ctx.deps.store, folder, cmd.items, { utf8: ctx.utf8 }));
    return ok('STATUS completed');
  },
});
