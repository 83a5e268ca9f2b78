/**
 * QUOTA (RFC 9208): one quota root "" per account with the STORAGE resource in KiB — used bytes
 * against the regulation's quota (2 GB personal, 5 GB agency, or the operator's override; Điều 9.1).
 * GETQUOTAROOT of any of the account's folders names that root (a missing folder: NO [NONEXISTENT],
 * IMAP-15); SETQUOTA is the operator's business (NO [NOPERM]).
 */
import { atom, list, mailboxValue, num, str } from '../../../protocol/imap/index.ts';
import type { GetquotaCommand, GetquotarootCommand, SetquotaCommand } from '../../../protocol/imap/index.ts';
import { findFolder } from '../../../mailbox/index.ts';
import { effectiveQuota } from '../../../directory/index.ts';
import { ok, type SessionContext } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

async function quotaLine(ctx: SessionContext) {
  const account = accountOf(ctx.state)!;
  const row = await ctx.deps.store.db
    .selectFrom('accounts')
    .select(['kind', 'quota_bytes', 'used_bytes'])
    .where('id', '=', account.id)
    .executeTakeFirstOrThrow();
  const limit = effectiveQuota(row, ctx.deps.directorySettings);
  // RFC 9208 §5.1: STORAGE is in units of 1024 octets.
  return [
    atom('QUOTA'),
    str(''),
    list([atom('STORAGE'), num(Math.ceil(Number(row.used_bytes) / 1024)), num(Math.floor(limit / 1024))]),
  ];
}

export const getquotaroot = defineHandler<GetquotarootCommand>({
  name: 'GETQUOTAROOT',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const account = accountOf(ctx.state)!;
    const folder = await findFolder(ctx.deps.store.db, account.id, cmd.mailbox).catch(() => undefined);
    if (!folder) throw errors.noSuchMailbox();
    await ctx.untagged([atom('QUOTAROOT'), mailboxValue(folder.name, { utf8: ctx.utf8 }), str('')]);
    await ctx.untagged(await quotaLine(ctx));
    return ok('GETQUOTAROOT completed');
  },
});

export const getquota = defineHandler<GetquotaCommand>({
  name: 'GETQUOTA',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    if (cmd.root !== '') throw errors.quotaRoot();
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
