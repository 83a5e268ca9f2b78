/** LOGIN (RFC 9051 §6.2.3): `login = "LOGIN" SP userid SP password`, both astrings. */
import { NOT_AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface LoginCommand {
  readonly name: 'LOGIN';
  readonly tag: string;
  readonly username: string;
  readonly password: string;
}

export const login: CommandSpec<LoginCommand> = {
  name: 'LOGIN',
  states: NOT_AUTHENTICATED,
  rfc: 'RFC 9051 §6.2.3',
  parse(r, head) {
    r.sp();
    const username = r.astringText('user name');
    r.sp();
    const password = r.astringText('password');
    r.end();
    return { name: 'LOGIN', tag: head.tag, username, password };
  },
};
