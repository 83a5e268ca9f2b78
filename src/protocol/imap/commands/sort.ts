/**
 * SORT and UID SORT (RFC 5256 §3) with ESORT return options (RFC 5267 §3) and the DISPLAYFROM /
 * DISPLAYTO keys of SORT=DISPLAY (RFC 5957 §3):
 *   sort          = ["UID" SP] "SORT" [sort-return-opts] SP sort-criteria SP search-charset
 *                   1*(SP search-key)
 *   sort-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
 *   sort-criteria = "(" sort-criterion *(SP sort-criterion) ")"
 *   sort-criterion = ["REVERSE" SP] sort-key
 *   sort-key      = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" / "SUBJECT" / "TO" /
 *                   "DISPLAYFROM" / "DISPLAYTO"
 * The charset is required (RFC 5256 §3); the search keys are those of SEARCH.
 */
import { SELECTED, type CommandSpec } from './spec.ts';
import { parseSearchKeys, type SearchKey } from './search-key.ts';
import type { SearchReturnOption } from './search.ts';
import type { CommandReader } from '../reader.ts';

export type SortKey =
  'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';
const SORT_KEYS: ReadonlySet<string> = new Set<SortKey>([
  'ARRIVAL',
  'CC',
  'DATE',
  'FROM',
  'SIZE',
  'SUBJECT',
  'TO',
  'DISPLAYFROM',
  'DISPLAYTO',
]);
const RETURN_OPTIONS: ReadonlySet<string> = new Set(['MIN', 'MAX', 'ALL', 'COUNT']);

export interface SortCriterion {
  readonly key: SortKey;
  readonly reverse: boolean;
}

export interface SortCommand {
  readonly name: 'SORT';
  readonly tag: string;
  readonly uid: boolean;
  /** undefined: answer `* SORT`; otherwise `* ESEARCH` (RFC 5267); `RETURN ()` means ALL. */
  readonly returnOptions?: readonly Exclude<SearchReturnOption, 'SAVE'>[];
  readonly criteria: readonly SortCriterion[];
  /** Upper case. */
  readonly charset: string;
  readonly search: readonly SearchKey[];
}

/** `SP charset SP search-key…` after the algorithm or the sort criteria (shared with THREAD). */
export function parseCharsetAndKeys(r: CommandReader): { charset: string; search: SearchKey[] } {
  r.sp();
  const charset = r.charset().toUpperCase();
  r.sp();
  return { charset, search: parseSearchKeys(r) };
}

export const sort: CommandSpec<SortCommand> = {
  name: 'SORT',
  states: SELECTED,
  uid: true,
  rfc: 'RFC 5256 §3, RFC 5267 §3, RFC 5957 §3',
  parse(r, head) {
    r.sp();
    let returnOptions: Array<Exclude<SearchReturnOption, 'SAVE'>> | undefined;
    if (r.tryWord('RETURN')) {
      r.sp();
      r.expect(0x28, '"(" of return options');
      returnOptions = [];
      if (r.peek() !== 0x29) {
        do {
          r.arg();
          const opt = r.word();
          if (!RETURN_OPTIONS.has(opt))
            r.fail(opt ? `unknown sort return option ${opt}` : 'expected a return option');
          const o = opt as Exclude<SearchReturnOption, 'SAVE'>;
          if (!returnOptions.includes(o)) returnOptions.push(o);
        } while (r.trySp());
      }
      r.expect(0x29, '")" closing return options');
      r.sp();
    }
    r.expect(0x28, '"(" of sort criteria');
    const criteria: SortCriterion[] = [];
    do {
      r.arg();
      const reverse = r.tryWord('REVERSE');
      if (reverse) r.sp();
      const key = r.word();
      if (!SORT_KEYS.has(key)) r.fail(key ? `unknown sort key ${key}` : 'expected a sort key');
      criteria.push({ key: key as SortKey, reverse });
    } while (r.trySp());
    r.expect(0x29, '")" closing sort criteria');
    const { charset, search } = parseCharsetAndKeys(r);
    return {
      name: 'SORT',
      tag: head.tag,
      uid: head.uid,
      ...(returnOptions ? { returnOptions } : {}),
      criteria,
      charset,
      search,
    };
  },
};
