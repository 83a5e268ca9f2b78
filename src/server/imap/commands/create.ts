/**
 * CREATE (RFC 9051 §6.3.4) with CREATE-SPECIAL-USE (RFC 6154 §3): `CREATE name (USE (\Sent))`.
 * Names are checked by the mailbox layer (IMAP-07); an existing name is NO [ALREADYEXISTS].
 * Under a delegated mailbox (`Shared/<address>/…`) it needs the right "k" (RFC 4314 §4) and makes
 * the folder in that mailbox; a special-use attribute is not given there (only its owner's
 * clients decide which of its folders is Sent or Trash).
 */
import type { CreateCommand } from '../../../protocol/imap/index.ts';
import { createFolder } from '../../../mailbox/index.ts';
import { inTarget, requireRights, resolveTarget } from '../access.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

export const create = defineHandler<CreateCommand>({
  name: 'CREATE',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    if (cmd.specialUse.length > 1) throw new Error('unreachable: one USE attribute at most');
    const target = await resolveTarget(ctx, cmd.mailbox);
    if (target.shared) {
      requireRights(target, 'k');
      if (cmd.specialUse.length > 0) throw errors.noRight('a');
    }
    await inTarget(target, () =>
      createFolder(ctx.deps, target.ownerId, target.ownerName, { specialUse: cmd.specialUse[0] ?? null }),
    );
    return ok('CREATE completed');
  },
});
