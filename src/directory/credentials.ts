/**
 * Passwords (Điều 9.2, Điều 5.1): the policy, history, default passwords and expiry.
 *
 * - A password an operator sets is a default password: `password_must_change = 1`, and the
 *   account can do nothing but change it (Điều 9.2.a). Without a given password the operator gets
 *   a one-time password that satisfies the policy, printed once and never stored in clear.
 * - A password a user sets must pass the policy, differ from the last `historySize` passwords,
 *   and starts the expiry clock (`maxAgeDays`, at most 90: Điều 5.1).
 * - Passwords are NFC-normalised before hashing so that the same password typed on different
 *   systems (NFC or NFD keyboards) verifies.
 */
import { oneTimePassword } from '../util/ids.ts';
import { conflict, invalid, CongthuError } from '../util/errors.ts';
import { appendAudit, type Actor, type Tx } from '../store/index.ts';
import { assertPasswordAcceptable, normalisePassword } from './password-policy.ts';
import {
  authorise,
  agencyIdOf,
  findOrgById,
  requireAccount,
  type AccountRow,
  type Caller,
  type DirectoryContext,
} from './context.ts';

export interface SetPasswordResult {
  address: string;
  /** Present only when the system generated the password: show it once, never log it. */
  oneTimePassword?: string;
}

async function assertNotReused(
  ctx: DirectoryContext,
  tx: Tx,
  accountId: string,
  password: string,
): Promise<void> {
  if (ctx.settings.password.historySize === 0) return;
  const recent = await tx.db
    .selectFrom('password_history')
    .select('hash')
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(ctx.settings.password.historySize)
    .execute();
  for (const { hash } of recent) {
    if (await ctx.hasher.verify(hash, password))
      throw invalid(
        'password.reused',
        `Mật khẩu mới không được trùng với ${ctx.settings.password.historySize} mật khẩu gần nhất.`,
        `The new password may not be one of the last ${ctx.settings.password.historySize} passwords.`,
      );
  }
}

/** Write a new hash, keep it in the history. Caller holds the transaction. */
export async function storePassword(
  ctx: DirectoryContext,
  tx: Tx,
  account: AccountRow,
  password: string,
  opts: { mustChange: boolean },
): Promise<void> {
  const now = ctx.clock.now().getTime();
  const hash = await ctx.hasher.hash(normalisePassword(password));
  await tx.db
    .updateTable('accounts')
    .set({
      password_hash: hash,
      password_changed_at: now,
      password_must_change: opts.mustChange ? 1 : 0,
      failed_logins: 0,
      locked_until: null,
      updated_at: now,
    })
    .where('id', '=', account.id)
    .execute();
  await tx.db
    .insertInto('password_history')
    .values({ account_id: account.id, hash, created_at: now })
    .execute();
  // A new password ends every web and API session: whoever held the old one is signed out.
  await tx.db.deleteFrom('sessions').where('account_id', '=', account.id).execute();
}

function policyContext(account: AccountRow): { localPart: string; fullName: string } {
  return { localPart: account.local_part, fullName: account.display_name };
}

export class CredentialService {
  constructor(private readonly ctx: DirectoryContext) {}

  /**
   * An operator sets (or resets) someone's password. With `password` undefined a one-time
   * password is generated. Unless `mustChange` is false, it is a default password.
   */
  async setPassword(
    caller: Caller,
    address: string,
    input: { password?: string; mustChange?: boolean; reason?: string },
  ): Promise<SetPasswordResult> {
    const { ctx } = this;
    const generated = input.password === undefined ? oneTimePassword() : undefined;
    const password = input.password ?? generated!;
    return ctx.store.write(async (tx) => {
      const account = await requireAccount(tx.db, ctx.settings, address);
      authorise(caller, 'account.set-password', {
        agencyId: agencyIdOf(await findOrgById(tx.db, account.org_id)),
        accountId: account.id,
      });
      if (account.state === 'deleted')
        throw invalid('account.deleted', 'Hộp thư đã bị xóa.', 'The mailbox has been deleted.');
      assertPasswordAcceptable(password, policyContext(account));
      const mustChange = input.mustChange ?? true;
      await storePassword(ctx, tx, account, password, { mustChange });
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'account.password-set',
          targetType: 'account',
          targetId: account.id,
          reason: input.reason ?? null,
          details: {
            address: `${account.local_part}@${account.domain}`,
            default: mustChange,
            generated: !!generated,
          },
        },
        ctx.clock.now(),
      );
      return {
        address: `${account.local_part}@${account.domain}`,
        ...(generated ? { oneTimePassword: generated } : {}),
      };
    });
  }

  /**
   * Removes a mailbox's password in the caller's transaction (a compromised mailbox restored on
   * request, Điều 8.2.b, 8.3): the leaked password stops working at once, every session ends, and
   * the holder sets a new one through an activation link. Nobody is ever told a password.
   */
  async clearPassword(tx: Tx, actor: Actor, accountId: string, reason: string): Promise<void> {
    const now = this.ctx.clock.now();
    await tx.db
      .updateTable('accounts')
      .set({
        password_hash: null,
        password_changed_at: null,
        password_must_change: 1,
        updated_at: now.getTime(),
      })
      .where('id', '=', accountId)
      .execute();
    await tx.db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
    await appendAudit(
      tx,
      actor,
      { action: 'account.password-cleared', targetType: 'account', targetId: accountId, reason },
      now,
    );
  }

  /**
   * The first password of a mailbox created, or restored after a compromise, through a request
   * (Điều 9.2.a): its holder sets it through a one-time activation link, so nobody else ever knew
   * it and it is not a default password. It passes the policy and may not be one of the last
   * passwords (a leaked one stays refused). Runs in the caller's transaction, which uses up the
   * link in the same commit.
   */
  async setActivatedPassword(
    tx: Tx,
    actor: Actor,
    accountId: string,
    password: string,
  ): Promise<{ address: string }> {
    const { ctx } = this;
    const account = await tx.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!account || account.state !== 'active')
      throw conflict(
        'activation.account-not-active',
        'Hộp thư không ở trạng thái hoạt động; không thể kích hoạt.',
        'The mailbox is not active; it cannot be activated.',
      );
    assertPasswordAcceptable(password, policyContext(account));
    await assertNotReused(ctx, tx, account.id, normalisePassword(password));
    await storePassword(ctx, tx, account, password, { mustChange: false });
    const address = `${account.local_part}@${account.domain}`;
    await appendAudit(
      tx,
      actor,
      { action: 'account.activated', targetType: 'account', targetId: account.id, details: { address } },
      ctx.clock.now(),
    );
    return { address };
  }

  /**
   * The account holder changes its own password: the only thing a default or expired password
   * allows. Checks the current password first (a stolen session alone cannot change it).
   */
  async changeOwnPassword(
    caller: Caller,
    input: { accountId: string; current: string; next: string },
  ): Promise<void> {
    const { ctx } = this;
    authorise(caller, 'account.change-own-password', { accountId: input.accountId });
    await ctx.store.write(async (tx) => {
      const account = await tx.db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', input.accountId)
        .executeTakeFirst();
      if (!account || account.state !== 'active' || account.password_hash === null)
        throw new CongthuError('unauthenticated', 'auth.failed', {
          vi: 'Không thể đổi mật khẩu cho tài khoản này.',
          en: 'The password of this account cannot be changed.',
        });
      if (!(await ctx.hasher.verify(account.password_hash, normalisePassword(input.current))))
        throw invalid(
          'password.current-wrong',
          'Mật khẩu hiện tại không đúng.',
          'The current password is wrong.',
        );
      if (normalisePassword(input.current) === normalisePassword(input.next))
        throw invalid(
          'password.unchanged',
          'Mật khẩu mới phải khác mật khẩu hiện tại.',
          'The new password must differ from the current one.',
        );
      assertPasswordAcceptable(input.next, policyContext(account));
      await assertNotReused(ctx, tx, account.id, normalisePassword(input.next));
      await storePassword(ctx, tx, account, input.next, { mustChange: false });
      await appendAudit(
        tx,
        caller.actor,
        { action: 'account.password-changed', targetType: 'account', targetId: account.id },
        ctx.clock.now(),
      );
    });
  }
}
