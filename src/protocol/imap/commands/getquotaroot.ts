/** GETQUOTAROOT (RFC 9208 §4.3): `getquotaroot = "GETQUOTAROOT" SP mailbox`. */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface GetquotarootCommand {
  readonly name: 'GETQUOTAROOT';
  readonly tag: string;
  readonly mailbox: string;
}

export const getquotaroot: CommandSpec<GetquotarootCommand> = {
  name: 'GETQUOTAROOT',
  states: AUTHENTICATED,
  rfc: 'RFC 9208 §4.3',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    r.end();
    return { name: 'GETQUOTAROOT', tag: head.tag, mailbox };
  },
};
