/**
 * ID (RFC 2971 §3.1): `id = "ID" SP id-params-list`,
 * `id-params-list = "(" *(string SP nstring) ")" / nil`. RFC 2971 §3.3: field names at most 30
 * octets, values at most 1024, at most 30 pairs; more is refused (huge ID, IMAP-06). Pairs stay
 * an array, never object keys (no `__proto__` surprises, IMAP-09).
 */
import { ANY_STATE, type CommandSpec } from './spec.ts';

export interface IdCommand {
  readonly name: 'ID';
  readonly tag: string;
  /** null for `ID NIL`. */
  readonly params: ReadonlyArray<readonly [field: string, value: string | null]> | null;
}

export const ID_MAX_PAIRS = 30;
export const ID_MAX_FIELD = 30;
export const ID_MAX_VALUE = 1024;

export const id: CommandSpec<IdCommand> = {
  name: 'ID',
  states: ANY_STATE,
  rfc: 'RFC 2971 §3.1',
  parse(r, head) {
    r.sp();
    if (r.tryWord('NIL')) {
      r.end();
      return { name: 'ID', tag: head.tag, params: null };
    }
    r.expect(0x28, '"(" or NIL');
    const params: [string, string | null][] = [];
    if (r.peek() !== 0x29) {
      do {
        if (params.length >= ID_MAX_PAIRS) r.fail(`more than ${ID_MAX_PAIRS} ID pairs`);
        const field = r.string();
        if (field.length > ID_MAX_FIELD) r.fail(`ID field longer than ${ID_MAX_FIELD} octets`);
        r.sp();
        const value = r.nstring();
        if (value && value.length > ID_MAX_VALUE) r.fail(`ID value longer than ${ID_MAX_VALUE} octets`);
        params.push([r.text(field, 'ID field'), value === null ? null : r.text(value, 'ID value')]);
      } while (r.trySp());
    }
    r.expect(0x29, '")" closing the ID list');
    r.end();
    return { name: 'ID', tag: head.tag, params };
  },
};
