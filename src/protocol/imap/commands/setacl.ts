/**
 * SETACL (RFC 4314 §3.1):
 *   setacl     = "SETACL" SP mailbox SP identifier SP mod-rights
 *   mod-rights = astring      ; +rights to add, -rights to remove, rights to replace
 */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface SetaclCommand {
  readonly name: 'SETACL';
  readonly tag: string;
  readonly mailbox: string;
  readonly identifier: string;
  readonly rights: string;
}

export const setacl: CommandSpec<SetaclCommand> = {
  name: 'SETACL',
  states: AUTHENTICATED,
  rfc: 'RFC 4314 §3.1',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    r.sp();
    const identifier = r.astringText('identifier');
    r.sp();
    const rights = r.astringText('rights');
    r.end();
    return { name: 'SETACL', tag: head.tag, mailbox, identifier, rights };
  },
};
