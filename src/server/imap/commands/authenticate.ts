/**
 * AUTHENTICATE PLAIN (RFC 9051 §6.2.2, RFC 4616) with SASL-IR (RFC 4959): the initial response may
 * come with the command; otherwise the server sends an empty challenge `+ ` and the next line is
 * the base64 response (or `*` to cancel, answered BAD). The message is
 * `[authzid] NUL authcid NUL passwd`; an authzid other than the authcid is refused (AUTH-05).
 */
import type { AuthenticateCommand } from '../../../protocol/imap/index.ts';
import { continuationBase64 } from '../../../protocol/imap/index.ts';
import type { SessionContext } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler, type HandlerResult } from '../handler.ts';
import { NOT_AUTHENTICATED } from '../state.ts';
import { signIn } from './sign-in.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export const authenticate = defineHandler<AuthenticateCommand>({
  name: 'AUTHENTICATE',
  states: NOT_AUTHENTICATED,
  async run(ctx, cmd) {
    if (cmd.mechanism.toUpperCase() !== 'PLAIN') throw errors.mechanism();
    if (!ctx.plaintextAllowed()) throw errors.privacyRequired();
    if (cmd.initialResponse !== null) return completeSasl(ctx, cmd.initialResponse);
    const state = ctx.state;
    if (state.kind !== 'not-authenticated') throw errors.wrongState();
    state.sasl = { tag: cmd.tag };
    await ctx.send(continuationBase64(new Uint8Array(0)));
    ctx.beginSasl(cmd.tag);
    return null;
  },
});

/** The PLAIN message, from SASL-IR or the continuation line. */
export async function completeSasl(ctx: SessionContext, data: Uint8Array): Promise<HandlerResult> {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    throw errors.saslMalformed();
  }
  const parts = text.split('\u0000');
  if (parts.length !== 3) throw errors.saslMalformed();
  const [authzid, authcid, password] = parts as [string, string, string];
  if (authcid === '' || password === '') throw errors.saslMalformed();
  if (authzid !== '' && authzid.toLowerCase() !== authcid.toLowerCase()) throw errors.authzid();
  return signIn(ctx, authcid, password);
}
