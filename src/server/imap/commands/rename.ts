/** RENAME (RFC 9051 §6.3.6): the whole subtree moves; RENAME INBOX moves its messages, INBOX stays. */
import type { RenameCommand } from '../../../protocol/imap/index.ts';
import { renameFolder } from '../../../mailbox/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

export const rename = defineHandler<RenameCommand>({
  name: 'RENAME',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const account = accountOf(ctx.state)!;
    await renameFolder(ctx.deps, account.id, cmd.from, cmd.to);
    return ok('RENAME completed');
  },
});
