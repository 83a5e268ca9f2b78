/** MOVE and UID MOVE (RFC 6851 §3, RFC 9051 §6.4.8): `move = "MOVE" SP sequence-set SP mailbox`. */
import type { SequenceSet } from '../sequence.ts';
import { SELECTED, type CommandSpec } from './spec.ts';

export interface MoveCommand {
  readonly name: 'MOVE';
  readonly tag: string;
  readonly uid: boolean;
  readonly set: SequenceSet;
  readonly mailbox: string;
}

export const move: CommandSpec<MoveCommand> = {
  name: 'MOVE',
  states: SELECTED,
  uid: true,
  rfc: 'RFC 6851 §3, RFC 9051 §6.4.8',
  parse(r, head) {
    r.sp();
    const set = r.sequenceSet();
    r.sp();
    const mailbox = r.mailbox();
    r.end();
    return { name: 'MOVE', tag: head.tag, uid: head.uid, set, mailbox };
  },
};
