/** LSUB (RFC 3501 §6.3.9; IMAP4rev1 only): `lsub = "LSUB" SP mailbox SP list-mailbox`. */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface LsubCommand {
  readonly name: 'LSUB';
  readonly tag: string;
  readonly reference: string;
  readonly pattern: string;
}

export const lsub: CommandSpec<LsubCommand> = {
  name: 'LSUB',
  states: AUTHENTICATED,
  rfc: 'RFC 3501 §6.3.9',
  parse(r, head) {
    r.sp();
    const reference = r.mailbox();
    r.sp();
    const pattern = r.listMailbox();
    r.end();
    return { name: 'LSUB', tag: head.tag, reference, pattern };
  },
};
