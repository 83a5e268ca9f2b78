/**
 * The search-key grammar (RFC 9051 §6.4.4, §9; RFC 3501 §6.4.4 for NEW/OLD/RECENT; RFC 7162
 * §3.1.5 for MODSEQ):
 *
 *   search-key = "ALL" / "ANSWERED" / "BCC" SP astring / "BEFORE" SP date / "BODY" SP astring /
 *                "CC" SP astring / "DELETED" / "FLAGGED" / "FROM" SP astring /
 *                "KEYWORD" SP flag-keyword / "ON" SP date / "SEEN" / "SINCE" SP date /
 *                "SUBJECT" SP astring / "TEXT" SP astring / "TO" SP astring / "UNANSWERED" /
 *                "UNDELETED" / "UNFLAGGED" / "UNKEYWORD" SP flag-keyword / "UNSEEN" / "DRAFT" /
 *                "HEADER" SP header-fld-name SP astring / "LARGER" SP number64 /
 *                "NOT" SP search-key / "OR" SP search-key SP search-key /
 *                "SENTBEFORE" SP date / "SENTON" SP date / "SENTSINCE" SP date /
 *                "SMALLER" SP number64 / "UID" SP sequence-set / "UNDRAFT" / sequence-set /
 *                "(" search-key *(SP search-key) ")"
 *   search-key =/ "NEW" / "OLD" / "RECENT"                                   ; IMAP4rev1
 *   search-key =/ "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer
 *   entry-name = DQUOTE "/flags/" attr-flag DQUOTE;  entry-type-req = "priv" / "shared" / "all"
 *   search-key =/ "SAVEDBEFORE" SP date / "SAVEDON" SP date / "SAVEDSINCE" SP date   ; RFC 8514 §4.2
 *
 * The parser is iterative, with an explicit stack, so `OR OR OR … ` fifty thousand deep or
 * `((((…))))` cannot overflow the call stack; the stack depth is capped at maxNesting (IMAP-03).
 * Strings stay octets: their charset is the SEARCH CHARSET, which only the session can decode.
 */
import type { ImapDate } from '../datetime.ts';
import { latin1 } from '../mutf7.ts';
import type { CommandReader } from '../reader.ts';
import type { SequenceSet } from '../sequence.ts';

export type SearchFlagKey =
  | 'ALL'
  | 'ANSWERED'
  | 'DELETED'
  | 'DRAFT'
  | 'FLAGGED'
  | 'SEEN'
  | 'UNANSWERED'
  | 'UNDELETED'
  | 'UNDRAFT'
  | 'UNFLAGGED'
  | 'UNSEEN'
  | 'NEW'
  | 'OLD'
  | 'RECENT';
export type SearchStringKey = 'BCC' | 'BODY' | 'CC' | 'FROM' | 'SUBJECT' | 'TEXT' | 'TO';
export type SearchDateKey =
  | 'BEFORE'
  | 'ON'
  | 'SINCE'
  | 'SENTBEFORE'
  | 'SENTON'
  | 'SENTSINCE'
  | 'SAVEDBEFORE'
  | 'SAVEDON'
  | 'SAVEDSINCE';

export type SearchKey =
  | { readonly type: SearchFlagKey }
  | { readonly type: SearchStringKey; readonly value: Uint8Array }
  | { readonly type: SearchDateKey; readonly date: ImapDate }
  | { readonly type: 'KEYWORD' | 'UNKEYWORD'; readonly flag: string }
  | { readonly type: 'HEADER'; readonly field: string; readonly value: Uint8Array }
  | { readonly type: 'LARGER' | 'SMALLER'; readonly size: number }
  | { readonly type: 'UID'; readonly set: SequenceSet }
  /** A bare sequence set: message sequence numbers. */
  | { readonly type: 'SEQUENCE'; readonly set: SequenceSet }
  | { readonly type: 'NOT'; readonly key: SearchKey }
  | { readonly type: 'OR'; readonly left: SearchKey; readonly right: SearchKey }
  /** A parenthesised list: all of them. */
  | { readonly type: 'AND'; readonly keys: readonly SearchKey[] }
  | {
      readonly type: 'MODSEQ';
      readonly modSeq: bigint;
      readonly entry?: { readonly flag: string; readonly entryType: 'priv' | 'shared' | 'all' };
    };

const FLAG_KEYS: ReadonlySet<string> = new Set<SearchFlagKey>([
  'ALL',
  'ANSWERED',
  'DELETED',
  'DRAFT',
  'FLAGGED',
  'SEEN',
  'UNANSWERED',
  'UNDELETED',
  'UNDRAFT',
  'UNFLAGGED',
  'UNSEEN',
  'NEW',
  'OLD',
  'RECENT',
]);
const STRING_KEYS: ReadonlySet<string> = new Set<SearchStringKey>([
  'BCC',
  'BODY',
  'CC',
  'FROM',
  'SUBJECT',
  'TEXT',
  'TO',
]);
const DATE_KEYS: ReadonlySet<string> = new Set<SearchDateKey>([
  'BEFORE',
  'ON',
  'SINCE',
  'SENTBEFORE',
  'SENTON',
  'SENTSINCE',
  'SAVEDBEFORE',
  'SAVEDON',
  'SAVEDSINCE',
]);

const ARGUMENT_KEYS: ReadonlySet<string> = new Set([
  ...STRING_KEYS,
  ...DATE_KEYS,
  'KEYWORD',
  'UNKEYWORD',
  'HEADER',
  'LARGER',
  'SMALLER',
  'UID',
  'MODSEQ',
]);

const isSetStart = (c: number): boolean => (c >= 0x30 && c <= 0x39) || c === 0x2a || c === 0x24;

/** One key that contains no other key. */
function leafKey(r: CommandReader): SearchKey {
  if (isSetStart(r.peek())) return { type: 'SEQUENCE', set: r.sequenceSet() };
  const w = r.word();
  if (FLAG_KEYS.has(w)) return { type: w as SearchFlagKey };
  if (!ARGUMENT_KEYS.has(w)) r.fail(w ? `unknown search key ${w}` : 'expected a search key');
  r.sp();
  if (STRING_KEYS.has(w)) return { type: w as SearchStringKey, value: r.astring() };
  if (DATE_KEYS.has(w)) return { type: w as SearchDateKey, date: r.date() };
  switch (w) {
    case 'KEYWORD':
    case 'UNKEYWORD':
      r.arg();
      return { type: w, flag: r.atom('keyword') };
    case 'HEADER': {
      const field = r.astring('header field name');
      for (const b of field) if (b < 0x21 || b > 0x7e || b === 0x3a) r.fail('invalid header field name');
      r.sp();
      return { type: 'HEADER', field: latin1(field), value: r.astring() };
    }
    case 'LARGER':
    case 'SMALLER':
      r.arg();
      return { type: w, size: r.number64('size') };
    case 'UID':
      return { type: 'UID', set: r.sequenceSet() };
    case 'MODSEQ': {
      let entry: { flag: string; entryType: 'priv' | 'shared' | 'all' } | undefined;
      if (r.peek() === 0x22) {
        const name = latin1(r.quoted());
        if (!/^\/flags\/\\?[\x21-\x7e]+$/i.test(name) || /[(){%*"\]]/.test(name.slice(7))) {
          r.fail('invalid MODSEQ entry name');
        }
        r.sp();
        const t = r.word().toLowerCase();
        if (t !== 'priv' && t !== 'shared' && t !== 'all') r.fail('expected priv, shared or all');
        r.sp();
        entry = { flag: name.slice(7), entryType: t };
      }
      r.arg();
      const modSeq = r.modSeq(true);
      return entry ? { type: 'MODSEQ', modSeq, entry } : { type: 'MODSEQ', modSeq };
    }
    default:
      return r.fail(`unknown search key ${w}`); // not reached: ARGUMENT_KEYS lists every case
  }
}

type Frame =
  { readonly t: 'NOT' } | { readonly t: 'OR'; left?: SearchKey } | { readonly t: 'AND'; keys: SearchKey[] };

/** search-key *(SP search-key) up to the end of the command. */
export function parseSearchKeys(r: CommandReader): SearchKey[] {
  const top: SearchKey[] = [];
  const stack: Frame[] = [];
  for (;;) {
    // Read the start of one key; compound keys push a frame and go on to their first operand.
    r.arg();
    if (r.peek() === 0x28) {
      r.skip();
      r.enter();
      stack.push({ t: 'AND', keys: [] });
      continue;
    }
    if (r.tryWord('NOT')) {
      r.sp();
      r.enter();
      stack.push({ t: 'NOT' });
      continue;
    }
    if (r.tryWord('OR')) {
      r.sp();
      r.enter();
      stack.push({ t: 'OR' });
      continue;
    }
    let node = leafKey(r);
    // Complete every frame that this key finishes.
    for (;;) {
      const f = stack[stack.length - 1];
      if (!f) {
        top.push(node);
        if (r.atEnd()) return top;
        r.sp();
        break;
      }
      if (f.t === 'NOT') {
        stack.pop();
        r.leave();
        node = { type: 'NOT', key: node };
        continue;
      }
      if (f.t === 'OR') {
        if (!f.left) {
          f.left = node;
          r.sp();
          break;
        }
        stack.pop();
        r.leave();
        node = { type: 'OR', left: f.left, right: node };
        continue;
      }
      f.keys.push(node);
      if (r.peek() === 0x29) {
        r.skip();
        stack.pop();
        r.leave();
        node = { type: 'AND', keys: f.keys };
        continue;
      }
      r.sp();
      break;
    }
  }
}
