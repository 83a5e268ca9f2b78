/**
 * Commands valid in more than one state: CAPA (RFC 2449 §5) and QUIT (RFC 1939 §6, §7).
 *
 * CAPA lists what can be used now: USER and SASL PLAIN only where sign-in without TLS is allowed
 * or TLS is active (AUTH-08: not advertised on a plain connection), STLS only before TLS.
 * QUIT in TRANSACTION enters UPDATE: exactly the messages marked by DELE are flagged \Deleted and
 * expunged, and "+OK" is sent only once that is committed (G1); if it fails, the answer is
 * "-ERR [SYS/TEMP] … some deleted messages not removed" (RFC 1939 §6). Either way the lock is
 * released and the connection closed.
 */
import { multiLine, okLine } from '../../../protocol/pop3/index.ts';
import { errors, errorToWire } from '../errors.ts';
import { commitDeletions } from '../maildrop.ts';
import type { SessionContext } from '../context.ts';
import { mechanisms } from './authorization.ts';

export function capabilities(ctx: SessionContext): string[] {
  const caps = ['TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING'];
  if (ctx.state.phase === 'authorization') {
    if (ctx.tlsAvailable()) caps.push('STLS');
    if (ctx.plaintextAllowed()) caps.push('USER');
    const mechs = mechanisms(ctx);
    if (mechs.length > 0) caps.push(`SASL ${mechs.join(' ')}`);
  }
  caps.push('IMPLEMENTATION Congthu');
  return caps;
}

export async function capa(ctx: SessionContext): Promise<void> {
  await ctx.send(multiLine('Capability list follows', capabilities(ctx)));
}

export async function quit(ctx: SessionContext): Promise<void> {
  const state = ctx.state;
  if (state.phase !== 'transaction') {
    await ctx.send(okLine('Tạm biệt / Goodbye'));
    ctx.close();
    return;
  }
  ctx.transition({ ...state, phase: 'update' });
  let reply: Buffer;
  try {
    const removed = await commitDeletions(ctx.deps, state.maildrop);
    reply = okLine(`Tạm biệt / Goodbye (${removed} messages deleted)`);
  } catch (e) {
    ctx.log.error({ err: e, accountId: state.account.id }, 'pop3: UPDATE failed');
    reply = errorToWire(errors.updateFailed()).line;
  }
  await ctx.send(reply);
  ctx.close();
}
