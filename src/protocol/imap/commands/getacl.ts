/** GETACL (RFC 4314 §3.3): `getacl = "GETACL" SP mailbox`. */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface GetaclCommand {
  readonly name: 'GETACL';
  readonly tag: string;
  readonly mailbox: string;
}

export const getacl: CommandSpec<GetaclCommand> = {
  name: 'GETACL',
  states: AUTHENTICATED,
  rfc: 'RFC 4314 §3.3',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    r.end();
    return { name: 'GETACL', tag: head.tag, mailbox };
  },
};
