/**
 * The sign-in shared by LOGIN and AUTHENTICATE PLAIN, and the mapping of the directory's answer
 * to IMAP (RFC 5530 response codes; AUTH-02, AUTH-08):
 *   ok                                   → authenticated; the default folders exist; OK [CAPABILITY …]
 *   invalid, throttled                   → NO [AUTHENTICATIONFAILED], one identical text (no oracle)
 *   password-change-required, -expired   → NO [EXPIRED] "<vi> / <en>" saying where to change it
 *   suspended                            → NO [CONTACTADMIN] with the reason (Điều 8)
 *   locked                               → NO [AUTHORIZATIONFAILED] with the reason
 * The directory records the sign-in access event on ok (Điều 12).
 */
import { ensureDefaultFolders } from '../../../mailbox/index.ts';
import { authMessage } from '../../../directory/index.ts';
import type { SessionContext } from '../context.ts';
import { errors } from '../errors.ts';
import type { HandlerResult } from '../handler.ts';

export async function signIn(
  ctx: SessionContext,
  username: string,
  password: string,
): Promise<HandlerResult> {
  if (!ctx.plaintextAllowed()) throw errors.privacyRequired();
  const r = await ctx.deps.authenticate({ username, password, protocol: 'imap', clientIp: ctx.clientIp });
  ctx.deps.onAuth?.(r.status);
  if (r.status === 'ok' && r.account) {
    const account = r.account;
    await ctx.deps.store.write((tx) => ensureDefaultFolders(tx, account.id, ctx.deps.clock.now()));
    ctx.transition({ kind: 'authenticated', account });
    return {
      status: 'OK',
      text: `${r.message.vi} / ${r.message.en}`,
      code: { code: 'CAPABILITY', capabilities: ctx.capabilities() },
    };
  }
  switch (r.status) {
    case 'password-change-required':
    case 'password-expired':
      throw errors.signIn('EXPIRED', r.message);
    case 'suspended':
      throw errors.signIn('CONTACTADMIN', r.message);
    case 'locked':
      throw errors.signIn('AUTHORIZATIONFAILED', r.message);
    default: {
      ctx.authFailed();
      // invalid and throttled: one text, whatever the reason (AUTH-02).
      throw errors.signIn('AUTHENTICATIONFAILED', authMessage('invalid', ''));
    }
  }
}
