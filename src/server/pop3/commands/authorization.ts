/**
 * Commands of the AUTHORIZATION state: USER, PASS (RFC 1939 §7), APOP (refused, POP-04),
 * STLS (RFC 2595 §4), AUTH with SASL PLAIN (RFC 5034, RFC 4616).
 *
 * USER always answers +OK, whether the account exists or not (no user enumeration, AUTH-02).
 * USER, PASS and AUTH PLAIN are refused with -ERR [AUTH] unless the connection is encrypted, or
 * it is a loopback connection in development (AUTH-08, RFC 8314 §3).
 */
import {
  continuationLine,
  decodeSaslPlain,
  isSaslCancel,
  multiLine,
  okLine,
  type Pop3Command,
} from '../../../protocol/pop3/index.ts';
import { errors } from '../errors.ts';
import type { SessionContext } from '../context.ts';
import { signIn } from './sign-in.ts';

type Cmd<N extends Pop3Command['name']> = Extract<Pop3Command, { name: N }>;

function authorization(ctx: SessionContext) {
  if (ctx.state.phase !== 'authorization') throw errors.wrongState();
  return ctx.state;
}

export async function user(ctx: SessionContext, cmd: Cmd<'USER'>): Promise<void> {
  authorization(ctx);
  if (!ctx.plaintextAllowed()) throw errors.privacyRequired();
  ctx.transition({ phase: 'authorization', user: cmd.user, sasl: null });
  await ctx.send(okLine('send PASS'));
}

export async function pass(ctx: SessionContext, cmd: Cmd<'PASS'>): Promise<void> {
  const state = authorization(ctx);
  if (!ctx.plaintextAllowed()) throw errors.privacyRequired();
  if (state.user === null) throw errors.userFirst();
  await signIn(ctx, state.user, cmd.password);
}

export async function apop(ctx: SessionContext): Promise<void> {
  authorization(ctx);
  throw errors.apop();
}

export async function stls(ctx: SessionContext): Promise<void> {
  authorization(ctx);
  if (ctx.secure) throw errors.alreadySecure();
  if (!ctx.tlsAvailable()) throw errors.noTls();
  await ctx.send(okLine('Begin TLS negotiation'));
  await ctx.startTls();
}

/** SASL mechanisms offered now (none before TLS outside loopback development). */
export function mechanisms(ctx: SessionContext): string[] {
  return ctx.plaintextAllowed() ? ['PLAIN'] : [];
}

export async function auth(ctx: SessionContext, cmd: Cmd<'AUTH'>): Promise<void> {
  authorization(ctx);
  if (cmd.mechanism === null) {
    // Not in RFC 5034, but sent by some clients (RFC 1734 era): list the mechanisms.
    await ctx.send(multiLine('SASL mechanisms follow', mechanisms(ctx)));
    return;
  }
  if (cmd.mechanism !== 'PLAIN') throw errors.unknownMechanism();
  if (!ctx.plaintextAllowed()) throw errors.privacyRequired();
  if (cmd.initialResponse === null) {
    ctx.transition({ phase: 'authorization', user: null, sasl: { mechanism: 'PLAIN' } });
    await ctx.send(continuationLine());
    return;
  }
  await plainResponse(ctx, cmd.initialResponse);
}

/** A line received while a SASL exchange is open: the client's response, or "*" to cancel. */
export async function saslContinuation(ctx: SessionContext, line: string): Promise<void> {
  ctx.transition({ phase: 'authorization', user: null, sasl: null });
  if (isSaslCancel(line)) throw errors.saslCancelled();
  await plainResponse(ctx, line);
}

async function plainResponse(ctx: SessionContext, base64: string): Promise<void> {
  const decoded = decodeSaslPlain(base64);
  if (!decoded.ok) {
    if (decoded.reason === 'bad-base64') throw errors.saslBadBase64();
    if (decoded.reason === 'authzid-mismatch') throw errors.authzidRefused();
    throw errors.saslMalformed();
  }
  await signIn(ctx, decoded.authcid, decoded.password);
}
