/** MYRIGHTS (RFC 4314 §3.5): `myrights = "MYRIGHTS" SP mailbox`. */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface MyrightsCommand {
  readonly name: 'MYRIGHTS';
  readonly tag: string;
  readonly mailbox: string;
}

export const myrights: CommandSpec<MyrightsCommand> = {
  name: 'MYRIGHTS',
  states: AUTHENTICATED,
  rfc: 'RFC 4314 §3.5',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    r.end();
    return { name: 'MYRIGHTS', tag: head.tag, mailbox };
  },
};
