/**
 * DELETE (RFC 9051 §6.3.5): INBOX and folders with children are refused; messages go with the folder.
 * A folder of a delegated mailbox needs the right "x" there (RFC 4314 §4).
 */
import type { DeleteCommand } from '../../../protocol/imap/index.ts';
import { deleteFolder, findFolder } from '../../../mailbox/index.ts';
import { inTarget, requireRights, resolveTarget } from '../access.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

export const deleteMailbox = defineHandler<DeleteCommand>({
  name: 'DELETE',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const target = await resolveTarget(ctx, cmd.mailbox);
    if (target.shared) requireRights(target, 'x');
    if (ctx.state.kind === 'selected') {
      // RFC 5530 INUSE: close it first.
      const selected = ctx.state.mailbox.folder;
      const folder = await findFolder(ctx.deps.store.db, target.ownerId, target.ownerName).catch(
        () => undefined,
      );
      if (folder && folder.id === selected.id) throw errors.inUse();
    }
    await inTarget(target, () => deleteFolder(ctx.deps, target.ownerId, target.ownerName));
    return ok('DELETE completed');
  },
});
