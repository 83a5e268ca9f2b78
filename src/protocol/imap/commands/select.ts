/**
 * SELECT (RFC 9051 §6.3.2) with select-params (RFC 4466 §2.1) CONDSTORE and QRESYNC
 * (RFC 7162 §3.1.8, §3.2.5):
 *   select          = "SELECT" SP mailbox [select-params]
 *   select-params   = SP "(" select-param *(SP select-param) ")"
 *   select-param    =/ "CONDSTORE"
 *                    / "QRESYNC" SP "(" uidvalidity SP mod-sequence-value [SP known-uids]
 *                      [SP seq-match-data] ")"
 *   seq-match-data  = "(" known-sequence-set SP known-uid-set ")"      ; no "*" in any of them
 * EXAMINE (examine.ts) has the same arguments.
 */
import type { CommandReader } from '../reader.ts';
import type { SequenceSet } from '../sequence.ts';
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface QresyncParams {
  readonly uidValidity: number;
  readonly modSeq: bigint;
  readonly knownUids?: SequenceSet;
  readonly seqMatch?: { readonly sequenceNumbers: SequenceSet; readonly uids: SequenceSet };
}

export interface SelectArguments {
  readonly mailbox: string;
  readonly condstore: boolean;
  readonly qresync?: QresyncParams;
}

export interface SelectCommand extends SelectArguments {
  readonly name: 'SELECT';
  readonly tag: string;
}

const NO_STAR = { allowStar: false, allowSaved: false } as const;

function qresyncParams(r: CommandReader): QresyncParams {
  r.sp();
  r.expect(0x28, '"(" of QRESYNC parameters');
  const uidValidity = r.nzNumber('UIDVALIDITY');
  r.sp();
  const modSeq = r.modSeq(false);
  let knownUids: SequenceSet | undefined;
  let seqMatch: QresyncParams['seqMatch'];
  if (r.trySp()) {
    if (r.peek() !== 0x28) {
      knownUids = r.sequenceSet(NO_STAR);
      if (r.trySp() && r.peek() !== 0x28) r.fail('expected "(" of seq-match-data');
    }
    if (r.peek() === 0x28) {
      r.skip();
      const sequenceNumbers = r.sequenceSet(NO_STAR);
      r.sp();
      const uids = r.sequenceSet(NO_STAR);
      r.expect(0x29, '")" closing seq-match-data');
      seqMatch = { sequenceNumbers, uids };
    }
  }
  r.expect(0x29, '")" closing QRESYNC parameters');
  return {
    uidValidity,
    modSeq,
    ...(knownUids ? { knownUids } : {}),
    ...(seqMatch ? { seqMatch } : {}),
  };
}

/** mailbox [select-params], shared by SELECT and EXAMINE. */
export function parseSelectArguments(r: CommandReader): SelectArguments {
  r.sp();
  const mailbox = r.mailbox();
  let condstore = false;
  let qresync: QresyncParams | undefined;
  if (r.trySp()) {
    r.expect(0x28, '"(" of select parameters');
    do {
      r.arg();
      const param = r.word();
      if (param === 'CONDSTORE' && !condstore) condstore = true;
      else if (param === 'QRESYNC' && !qresync) qresync = qresyncParams(r);
      else
        r.fail(param ? `unsupported or repeated select parameter ${param}` : 'expected a select parameter');
    } while (r.trySp());
    r.expect(0x29, '")" closing select parameters');
  }
  r.end();
  return { mailbox, condstore, ...(qresync ? { qresync } : {}) };
}

export const select: CommandSpec<SelectCommand> = {
  name: 'SELECT',
  states: AUTHENTICATED,
  rfc: 'RFC 9051 §6.3.2, RFC 7162 §3.1.8, §3.2.5',
  parse(r, head) {
    return { name: 'SELECT', tag: head.tag, ...parseSelectArguments(r) };
  },
};
