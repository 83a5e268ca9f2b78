/**
 * CREATE (RFC 9051 §6.3.4) with CREATE-SPECIAL-USE (RFC 6154 §3): `CREATE name (USE (\Sent))`.
 * Names are checked by the mailbox layer (IMAP-07); an existing name is NO [ALREADYEXISTS].
 */
import type { CreateCommand } from '../../../protocol/imap/index.ts';
import { createFolder } from '../../../mailbox/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

export const create = defineHandler<CreateCommand>({
  name: 'CREATE',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const account = accountOf(ctx.state)!;
    if (cmd.specialUse.length > 1) throw new Error('unreachable: one USE attribute at most');
    await createFolder(ctx.deps, account.id, cmd.mailbox, { specialUse: cmd.specialUse[0] ?? null });
    return ok('CREATE completed');
  },
});
