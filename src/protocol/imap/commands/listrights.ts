/**
 * LISTRIGHTS (RFC 4314 §3.4): `listrights = "LISTRIGHTS" SP mailbox SP identifier`, where
 * `identifier = astring`.
 */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface ListrightsCommand {
  readonly name: 'LISTRIGHTS';
  readonly tag: string;
  readonly mailbox: string;
  readonly identifier: string;
}

export const listrights: CommandSpec<ListrightsCommand> = {
  name: 'LISTRIGHTS',
  states: AUTHENTICATED,
  rfc: 'RFC 4314 §3.4',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    r.sp();
    const identifier = r.astringText('identifier');
    r.end();
    return { name: 'LISTRIGHTS', tag: head.tag, mailbox, identifier };
  },
};
