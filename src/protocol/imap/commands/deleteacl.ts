/** DELETEACL (RFC 4314 §3.2): `deleteacl = "DELETEACL" SP mailbox SP identifier`. */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface DeleteaclCommand {
  readonly name: 'DELETEACL';
  readonly tag: string;
  readonly mailbox: string;
  readonly identifier: string;
}

export const deleteacl: CommandSpec<DeleteaclCommand> = {
  name: 'DELETEACL',
  states: AUTHENTICATED,
  rfc: 'RFC 4314 §3.2',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    r.sp();
    const identifier = r.astringText('identifier');
    r.end();
    return { name: 'DELETEACL', tag: head.tag, mailbox, identifier };
  },
};
