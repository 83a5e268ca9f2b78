/** DELETE (RFC 9051 §6.3.5): INBOX and folders with children are refused; messages go with the folder. */
import type { DeleteCommand } from '../../../protocol/imap/index.ts';
import { deleteFolder } from '../../../mailbox/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

export const deleteMailbox = defineHandler<DeleteCommand>({
  name: 'DELETE',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const account = accountOf(ctx.state)!;
    if (ctx.state.kind === 'selected' && ctx.state.mailbox.folder.name === cmd.mailbox.normalize('NFC'))
      throw errors.inUse(); // RFC 5530 INUSE: close it first
    await deleteFolder(ctx.deps, account.id, cmd.mailbox);
    return ok('DELETE completed');
  },
});
