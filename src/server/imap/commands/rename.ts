/**
 * RENAME (RFC 9051 §6.3.6): the whole subtree moves; RENAME INBOX moves its messages, INBOX stays.
 * Inside a delegated mailbox it needs "x" on the folder and "k" to make the new name (RFC 4314 §4);
 * a folder never moves from one mailbox to another (NO [CANNOT]).
 */
import type { RenameCommand } from '../../../protocol/imap/index.ts';
import { renameFolder } from '../../../mailbox/index.ts';
import { inTarget, requireRights, resolveTarget } from '../access.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

export const rename = defineHandler<RenameCommand>({
  name: 'RENAME',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const from = await resolveTarget(ctx, cmd.from);
    const to = await resolveTarget(ctx, cmd.to);
    if (from.shared) requireRights(from, 'x', 'k');
    if (from.ownerId !== to.ownerId) {
      // A name the session cannot see stays "missing", as for any folder that is not there.
      if (from.shared || to.shared) throw errors.crossMailboxRename();
    }
    await inTarget(from, () => renameFolder(ctx.deps, from.ownerId, from.ownerName, to.ownerName));
    return ok('RENAME completed');
  },
});
