/**
 * STORE and UID STORE (RFC 9051 §6.4.6) with UNCHANGEDSINCE (RFC 7162 §3.1.3):
 *   store           = "STORE" SP sequence-set [store-modifiers] SP store-att-flags
 *   store-modifiers = SP "(" store-modifier *(SP store-modifier) ")"
 *   store-modifier  =/ "UNCHANGEDSINCE" SP mod-sequence-valzer
 *   store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))
 */
import type { SequenceSet } from '../sequence.ts';
import { SELECTED, type CommandSpec } from './spec.ts';

export interface StoreCommand {
  readonly name: 'STORE';
  readonly tag: string;
  readonly uid: boolean;
  readonly set: SequenceSet;
  /** FLAGS replaces, +FLAGS adds, -FLAGS removes. */
  readonly operation: 'replace' | 'add' | 'remove';
  readonly silent: boolean;
  readonly flags: readonly string[];
  readonly unchangedSince?: bigint;
}

export const store: CommandSpec<StoreCommand> = {
  name: 'STORE',
  states: SELECTED,
  uid: true,
  rfc: 'RFC 9051 §6.4.6, RFC 7162 §3.1.3',
  parse(r, head) {
    r.sp();
    const set = r.sequenceSet();
    r.sp();
    let unchangedSince: bigint | undefined;
    if (r.peek() === 0x28) {
      r.skip();
      do {
        r.arg();
        const mod = r.word();
        if (mod !== 'UNCHANGEDSINCE' || unchangedSince !== undefined) {
          r.fail(mod ? `unsupported or repeated store modifier ${mod}` : 'expected a store modifier');
        }
        r.sp();
        unchangedSince = r.modSeq(true);
      } while (r.trySp());
      r.expect(0x29, '")" closing store modifiers');
      r.sp();
    }
    let operation: StoreCommand['operation'] = 'replace';
    if (r.peek() === 0x2b) operation = 'add';
    else if (r.peek() === 0x2d) operation = 'remove';
    if (operation !== 'replace') r.skip();
    const item = r.word();
    if (item !== 'FLAGS' && item !== 'FLAGS.SILENT') r.fail('expected FLAGS, +FLAGS or -FLAGS');
    r.sp();
    let flags: string[];
    if (r.peek() === 0x28) {
      flags = r.flagList();
    } else {
      flags = [r.flag()];
      while (r.trySp()) flags.push(r.flag());
    }
    r.end();
    return {
      name: 'STORE',
      tag: head.tag,
      uid: head.uid,
      set,
      operation,
      silent: item === 'FLAGS.SILENT',
      flags,
      ...(unchangedSince !== undefined ? { unchangedSince } : {}),
    };
  },
};
