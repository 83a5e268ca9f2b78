/**
 * QUOTA (RFC 9208): one quota root "" per account with the STORAGE resource in KiB — used bytes
 * against the regulation's quota (2 GB personal, 5 GB agency, or the operator's override; Điều 9.1).
 * GETQUOTAROOT of any of the account's folders names that root (a missing folder: NO [NONEXISTENT],
 * IMAP-15); SETQUOTA is the operator's business (NO [NOPERM]). A delegated mailbox (Điều 10.1) has
 * its own root, `Shared/<address>`, with that mailbox's figures, while the grant lasts.
 */
import { atom, list, mailboxValue, num, str } from '../../../protocol/imap/index.ts';
import type { GetquotaCommand, GetquotarootCommand, SetquotaCommand } from '../../../protocol/imap/index.ts';
import { folderOf, resolveTarget, sharedName, splitShared } from '../access.ts';
import { effectiveQuota } from '../../../directory/index.ts';
import { ok, type SessionContext } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

async function quotaLine(ctx: SessionContext, root = '', ownerId = accountOf(ctx.state)!.id) {
  const row = await ctx.deps.store.db
    .selectFrom('accounts')
    .select(['kind', 'quota_bytes', 'used_bytes'])
    .where('id', '=', ownerId)
    .executeTakeFirstOrThrow();
  const limit = effectiveQuota(row, ctx.deps.directorySettings);
  // RFC 9208 §5.1: STORAGE is in units of 1024 octets.
  return [
    atom('QUOTA'),
    str(root),
    list([atom('STORAGE'), num(Math.ceil(Number(row.used_bytes) / 1024)), num(Math.floor(limit / 1024))]),
  ];
}

export const getquotaroot = defineHandler<GetquotarootCommand>({
  name: 'GETQUOTAROOT',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const target = await resolveTarget(ctx, cmd.mailbox);
    const folder = await folderOf(ctx, target);
    if (!folder) throw errors.noSuchMailbox();
    const name = target.shared ? target.displayName : folder.name;
    const root = target.shared ? sharedName(target.shared.address, '') : '';
    await ctx.untagged([atom('QUOTAROOT'), mailboxValue(name, { utf8: ctx.utf8 }), str(root)]);
    await ctx.untagged(await quotaLine(ctx, root, target.ownerId));
    return ok('GETQUOTAROOT completed');
  },
});

export const getquota = defineHandler<GetquotaCommand>({
  name: 'GETQUOTA',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    if (cmd.root !== '') {
      const split = splitShared(cmd.root);
      const target = split && split.rest === '' ? await resolveTarget(ctx, cmd.root) : null;
      if (!target?.shared) throw errors.quotaRoot();
      await ctx.untagged(await quotaLine(ctx, target.displayName, target.ownerId));
      return ok('GETQUOTA completed');
    }
    await ctx.untagged(await quotaLine(ctx));
    return ok('GETQUOTA completed');
  },
});

export const setquota = defineHandler<SetquotaCommand>({
  name: 'SETQUOTA',
  states: AUTHENTICATED,
  async run() {
    throw errors.setQuota();
  },
});
