/** UNSUBSCRIBE (RFC 9051 §6.3.8): `unsubscribe = "UNSUBSCRIBE" SP mailbox`. */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface UnsubscribeCommand {
  readonly name: 'UNSUBSCRIBE';
  readonly tag: string;
  readonly mailbox: string;
}

export const unsubscribe: CommandSpec<UnsubscribeCommand> = {
  name: 'UNSUBSCRIBE',
  states: AUTHENTICATED,
  rfc: 'RFC 9051 §6.3.8',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    r.end();
    return { name: 'UNSUBSCRIBE', tag: head.tag, mailbox };
  },
};
