/**
 * STARTTLS (RFC 9051 §6.2.1): only before sign-in and before TLS. After the tagged OK the session
 * negotiates TLS on the same connection and throws away anything the client pipelined.
 */
import type { StarttlsCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { NOT_AUTHENTICATED } from '../state.ts';

export const starttls = defineHandler<StarttlsCommand>({
  name: 'STARTTLS',
  states: NOT_AUTHENTICATED,
  async run(ctx) {
    if (ctx.secure) throw errors.alreadySecure();
    if (!ctx.tlsAvailable()) throw errors.noTls();
    return { ...ok('Begin TLS negotiation now'), after: () => ctx.startTls() };
  },
});
