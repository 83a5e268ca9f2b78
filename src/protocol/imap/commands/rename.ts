/** RENAME (RFC 9051 §6.3.6): `rename = "RENAME" SP mailbox SP mailbox`. */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface RenameCommand {
  readonly name: 'RENAME';
  readonly tag: string;
  readonly from: string;
  readonly to: string;
}

export const rename: CommandSpec<RenameCommand> = {
  name: 'RENAME',
  states: AUTHENTICATED,
  rfc: 'RFC 9051 §6.3.6',
  parse(r, head) {
    r.sp();
    const from = r.mailbox();
    r.sp();
    const to = r.mailbox();
    r.end();
    return { name: 'RENAME', tag: head.tag, from, to };
  },
};
