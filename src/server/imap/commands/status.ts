/**
 * STATUS (RFC 9051 §6.3.11) with SIZE (RFC 8438). RFC 9051 allows it on the selected mailbox too.
 * A missing folder (or another account's, IMAP-15) is NO [NONEXISTENT]; a delegated mailbox needs
 * the right "r" (RFC 4314 §4), and without "l" it is missing.
 */
import type { StatusCommand } from '../../../protocol/imap/index.ts';
import { folderOf, requireRights, resolveTarget } from '../access.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { statusResponse } from '../folder-status.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

export const status = defineHandler<StatusCommand>({
  name: 'STATUS',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    // RFC 7162 §3.1: STATUS … (HIGHESTMODSEQ) is a CONDSTORE-enabling command.
    if (cmd.items.includes('HIGHESTMODSEQ')) ctx.enable('CONDSTORE');
    const target = await resolveTarget(ctx, cmd.mailbox);
    const folder = await folderOf(ctx, target);
    if (!folder) throw errors.noSuchMailbox();
    requireRights(target, 'r');
    const name = target.shared ? target.displayName : folder.name;
    await ctx.untagged(await statusResponse(ctx.deps.store, folder, cmd.items, { utf8: ctx.utf8 }, name));
    return ok('STATUS completed');
  },
});
