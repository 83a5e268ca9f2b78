/** SUBSCRIBE (RFC 9051 §6.3.7): `subscribe = "SUBSCRIBE" SP mailbox`. */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface SubscribeCommand {
  readonly name: 'SUBSCRIBE';
  readonly tag: string;
  readonly mailbox: string;
}

export const subscribe: CommandSpec<SubscribeCommand> = {
  name: 'SUBSCRIBE',
  states: AUTHENTICATED,
  rfc: 'RFC 9051 §6.3.7',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    r.end();
    return { name: 'SUBSCRIBE', tag: head.tag, mailbox };
  },
};
