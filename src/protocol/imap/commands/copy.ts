/** COPY and UID COPY (RFC 9051 §6.4.7): `copy = "COPY" SP sequence-set SP mailbox`. */
import type { SequenceSet } from '../sequence.ts';
import { SELECTED, type CommandSpec } from './spec.ts';

export interface CopyCommand {
  readonly name: 'COPY';
  readonly tag: string;
  readonly uid: boolean;
  readonly set: SequenceSet;
  readonly mailbox: string;
}

export const copy: CommandSpec<CopyCommand> = {
  name: 'COPY',
  states: SELECTED,
  uid: true,
  rfc: 'RFC 9051 §6.4.7',
  parse(r, head) {
    r.sp();
    const set = r.sequenceSet();
    r.sp();
    const mailbox = r.mailbox();
    r.end();
    return { name: 'COPY', tag: head.tag, uid: head.uid, set, mailbox };
  },
};
