/**
 * SEARCH and UID SEARCH (RFC 9051 §6.4.4) with ESEARCH return options (RFC 4731, RFC 9051) and
 * SEARCHRES SAVE (RFC 5182):
 *   search             = "SEARCH" [search-return-opts] SP search-program
 *   search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
 *   search-return-opt  = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE"
 *   search-program     = ["CHARSET" SP charset SP] search-key *(SP search-key)
 * The keys are in search-key.ts.
 */
import { SELECTED, type CommandSpec } from './spec.ts';
import { parseSearchKeys, type SearchKey } from './search-key.ts';

export type SearchReturnOption = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE';
const RETURN_OPTIONS: ReadonlySet<string> = new Set<SearchReturnOption>([
  'MIN',
  'MAX',
  'ALL',
  'COUNT',
  'SAVE',
]);

export interface SearchCommand {
  readonly name: 'SEARCH';
  readonly tag: string;
  readonly uid: boolean;
  /**
   * undefined: no RETURN, answer with `* SEARCH`. Otherwise answer with `* ESEARCH`; an empty
   * list (`RETURN ()`) means ALL (RFC 4731 §3.1).
   */
  readonly returnOptions?: readonly SearchReturnOption[];
  /** Upper case; undefined when the client gave none (US-ASCII, or UTF-8 under IMAP4rev2). */
  readonly charset?: string;
  /** All must match (AND). */
  readonly criteria: readonly SearchKey[];
}

export const search: CommandSpec<SearchCommand> = {
  name: 'SEARCH',
  states: SELECTED,
  uid: true,
  rfc: 'RFC 9051 §6.4.4, RFC 4731, RFC 5182, RFC 7162 §3.1.5',
  parse(r, head) {
    r.sp();
    let returnOptions: SearchReturnOption[] | undefined;
    if (r.tryWord('RETURN')) {
      r.sp();
      r.expect(0x28, '"(" of return options');
      returnOptions = [];
      if (r.peek() !== 0x29) {
        do {
          r.arg();
          const opt = r.word();
          if (!RETURN_OPTIONS.has(opt))
            r.fail(opt ? `unknown search return option ${opt}` : 'expected a return option');
          if (!returnOptions.includes(opt as SearchReturnOption))
            returnOptions.push(opt as SearchReturnOption);
        } while (r.trySp());
      }
      r.expect(0x29, '")" closing return options');
      r.sp();
    }
    let charset: string | undefined;
    if (r.tryWord('CHARSET')) {
      r.sp();
      charset = r.charset().toUpperCase();
      r.sp();
    }
    const criteria = parseSearchKeys(r);
    return {
      name: 'SEARCH',
      tag: head.tag,
      uid: head.uid,
      ...(returnOptions ? { returnOptions } : {}),
      ...(charset !== undefined ? { charset } : {}),
      criteria,
    };
  },
};
