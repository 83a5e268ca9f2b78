/**
 * ACL (RFC 4314): GETACL, MYRIGHTS, LISTRIGHTS answer truthfully; SETACL and DELETEACL are refused.
 *
 * Rights are per mailbox (account), not per folder: every folder of a mailbox has the same ACL.
 * Identifiers are primary e-mail addresses. The owner holds "lrswipkxtea"; a delegate holds the
 * rights of its grant ("lrs" read, "lrswikxte" manage; src/directory/delegation.ts). Grants are
 * made only by the agency head or the operator through the administration (`congthu delegate`,
 * `/api/v1/delegations`), where they are checked against Điều 10.1 and audited, so SETACL and
 * DELETEACL answer NO [NOPERM] with that explanation even to the owner.
 *
 * RFC 4314 §4: GETACL and LISTRIGHTS need "a" (the owner has it; no delegate does); MYRIGHTS needs
 * any right. A name the session cannot see (no "l") is NO [NONEXISTENT], exactly as a missing one.
 * LISTRIGHTS tells what can be granted: for an agency or sub-unit mailbox the two presets as the
 * groups "lrs" and "wikxte" (a grant has all of a group or none); nothing for a personal mailbox.
 */
import { astr, atom, mailboxValue } from '../../../protocol/imap/index.ts';
import type {
  DeleteaclCommand,
  GetaclCommand,
  ListrightsCommand,
  MyrightsCommand,
  SetaclCommand,
} from '../../../protocol/imap/index.ts';
import { delegatesOf, OWNER_RIGHTS } from '../../../directory/index.ts';
import { folderOf, requireRights, resolveTarget, type FolderTarget } from '../access.ts';
import { ok, type SessionContext } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

/** The folder a command names, visible to the session (else NO [NONEXISTENT]). */
async function visible(ctx: SessionContext, name: string): Promise<{ target: FolderTarget; name: string }> {
  const target = await resolveTarget(ctx, name);
  const folder = await folderOf(ctx, target);
  if (!folder) throw errors.noSuchMailbox();
  return { target, name: target.shared ? target.displayName : folder.name };
}

async function owner(ctx: SessionContext, id: string) {
  return ctx.deps.store.db
    .selectFrom('accounts')
    .select(['local_part', 'domain', 'kind'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export const getacl = defineHandler<GetaclCommand>({
  name: 'GETACL',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const { target, name } = await visible(ctx, cmd.mailbox);
    requireRights(target, 'a');
    const o = await owner(ctx, target.ownerId);
    const entries = [astr(`${o.local_part}@${o.domain}`.toLowerCase()), astr(OWNER_RIGHTS)];
    for (const d of await delegatesOf(ctx.deps.store.db, target.ownerId))
      entries.push(astr(d.address), astr(d.rights));
    await ctx.untagged([atom('ACL'), mailboxValue(name, { utf8: ctx.utf8 }), ...entries]);
    return ok('GETACL completed');
  },
});

export const myrights = defineHandler<MyrightsCommand>({
  name: 'MYRIGHTS',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const { target, name } = await visible(ctx, cmd.mailbox);
    await ctx.untagged([atom('MYRIGHTS'), mailboxValue(name, { utf8: ctx.utf8 }), astr(target.rights)]);
    return ok('MYRIGHTS completed');
  },
});

export const listrights = defineHandler<ListrightsCommand>({
  name: 'LISTRIGHTS',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const { target, name } = await visible(ctx, cmd.mailbox);
    requireRights(target, 'a');
    const o = await owner(ctx, target.ownerId);
    const id = cmd.identifier.toLowerCase();
    const isOwner = id === `${o.local_part}@${o.domain}`.toLowerCase();
    // RFC 4314 §3.7: required rights first, then the groups that can be granted.
    const rights = isOwner
      ? [astr(OWNER_RIGHTS)]
      : o.kind === 'personal'
        ? [astr('')]
        : [astr(''), atom('lrs'), atom('wikxte')];
    await ctx.untagged([
      atom('LISTRIGHTS'),
      mailboxValue(name, { utf8: ctx.utf8 }),
      astr(cmd.identifier),
      ...rights,
    ]);
    return ok('LISTRIGHTS completed');
  },
});

export const setacl = defineHandler<SetaclCommand>({
  name: 'SETACL',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    await visible(ctx, cmd.mailbox);
    throw errors.aclByAdministration();
  },
});

export const deleteacl = defineHandler<DeleteaclCommand>({
  name: 'DELETEACL',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    await visible(ctx, cmd.mailbox);
    throw errors.aclByAdministration();
  },
});
