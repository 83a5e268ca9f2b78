/** LOGIN (RFC 9051 §6.2.3): refused with NO [PRIVACYREQUIRED] before TLS (loopback in development exempt). */
import type { LoginCommand } from '../../../protocol/imap/index.ts';
import { defineHandler } from '../handler.ts';
import { NOT_AUTHENTICATED } from '../state.ts';
import { signIn } from './sign-in.ts';

export const login = defineHandler<LoginCommand>({
  name: 'LOGIN',
  states: NOT_AUTHENTICATED,
  run: (ctx, cmd) => signIn(ctx, cmd.username, cmd.password),
});
