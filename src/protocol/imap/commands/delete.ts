/** DELETE (RFC 9051 §6.3.5): `delete = "DELETE" SP mailbox`. */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface DeleteCommand {
  readonly name: 'DELETE';
  readonly tag: string;
  readonly mailbox: string;
}

export const deleteMailbox: CommandSpec<DeleteCommand> = {
  name: 'DELETE',
  states: AUTHENTICATED,
  rfc: 'RFC 9051 §6.3.5',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    r.end();
    return { name: 'DELETE', tag: head.tag, mailbox };
  },
};
