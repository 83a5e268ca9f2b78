/**
 * Signing in: the directory decides, this maps its answer to POP3 (RFC 1939 §7, RFC 3206 §5).
 *
 * - ok: take the maildrop lock ([IN-USE] when another session has it, RFC 2449 §8.1.1), snapshot
 *   INBOX, enter TRANSACTION. The directory has recorded the sign-in access event, which counts
 *   as a check of the inbox for Điều 12.
 * - invalid, throttled: -ERR [AUTH] with the directory's text: the same for an unknown user and a
 *   wrong password (AUTH-02); the failure counts toward maxAuthFailures.
 * - locked, suspended, password-change-required, password-expired: the password was right, so
 *   the reason is told, Vietnamese first, then English, with where to change the password.
 */
import { okLine } from '../../../protocol/pop3/index.ts';
import { errors, errorToWire } from '../errors.ts';
import { openMaildrop } from '../maildrop.ts';
import type { SessionContext } from '../context.ts';

export async function signIn(ctx: SessionContext, username: string, password: string): Promise<void> {
  const { deps } = ctx;
  const result = await deps.authenticate({
    username,
    password,
    protocol: 'pop3',
    clientIp: ctx.clientIp,
  });
  deps.onAuth?.(result.status);
  ctx.transition({ phase: 'authorization', user: null, sasl: null });
  if (result.status !== 'ok' || !result.account) {
    const failure = result.status === 'invalid' || result.status === 'throttled';
    const close = failure && ctx.authFailed();
    await ctx.send(errorToWire(errors.signIn(result.message)).line);
    if (close) {
      await ctx.send(errorToWire(errors.tooManyAuthFailures()).line);
      ctx.close();
    }
    return;
  }
  const account = result.account;
  const lease = await deps.locks.tryAcquire(account.id);
  if (!lease) throw errors.inUse();
  let maildrop;
  try {
    maildrop = await openMaildrop(deps, account.id);
  } catch (e) {
    lease.release();
    ctx.log.error({ err: e, accountId: account.id }, 'pop3: opening the maildrop failed');
    throw errors.maildropUnavailable();
  }
  ctx.transition({ phase: 'transaction', account, maildrop, lease });
  ctx.log.debug({ accountId: account.id }, 'pop3: signed in');
  const { count, octets } = maildrop.stat();
  const warning =
    result.passwordExpiresInDays !== undefined
      ? ` Mật khẩu hết hạn sau ${result.passwordExpiresInDays} ngày / password expires in ${result.passwordExpiresInDays} days.`
      : '';
  await ctx.send(okLine(`maildrop has ${count} messages (${octets} octets).${warning}`));
}
