/**
 * THREAD and UID THREAD (RFC 5256 §3):
 *   thread     = ["UID" SP] "THREAD" SP thread-alg SP search-charset 1*(SP search-key)
 *   thread-alg = "ORDEREDSUBJECT" / "REFERENCES" / atom
 * Any atom parses; the server refuses algorithms it does not offer.
 */
import { SELECTED, type CommandSpec } from './spec.ts';
import type { SearchKey } from './search-key.ts';
import { parseCharsetAndKeys } from './sort.ts';

export interface ThreadCommand {
  readonly name: 'THREAD';
  readonly tag: string;
  readonly uid: boolean;
  /** Upper case. */
  readonly algorithm: string;
  readonly charset: string;
  readonly search: readonly SearchKey[];
}

export const thread: CommandSpec<ThreadCommand> = {
  name: 'THREAD',
  states: SELECTED,
  uid: true,
  rfc: 'RFC 5256 §3',
  parse(r, head) {
    r.sp();
    const algorithm = r.atom('thread algorithm').toUpperCase();
    const { charset, search } = parseCharsetAndKeys(r);
    return { name: 'THREAD', tag: head.tag, uid: head.uid, algorithm, charset, search };
  },
};
