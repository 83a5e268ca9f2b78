/** UID EXPUNGE (RFC 4315 §2.1, RFC 9051 §6.4.9): `uid-expunge = "EXPUNGE" SP sequence-set` after UID. */
import type { SequenceSet } from '../sequence.ts';
import { SELECTED, type CommandSpec } from './spec.ts';

export interface UidExpungeCommand {
  readonly name: 'UID EXPUNGE';
  readonly tag: string;
  readonly set: SequenceSet;
}

export const uidExpunge: CommandSpec<UidExpungeCommand> = {
  name: 'UID EXPUNGE',
  states: SELECTED,
  uid: true,
  rfc: 'RFC 4315 §2.1, RFC 9051 §6.4.9',
  parse(r, head) {
    r.sp();
    const set = r.sequenceSet();
    r.end();
    return { name: 'UID EXPUNGE', tag: head.tag, set };
  },
};
