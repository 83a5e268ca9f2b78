/**
 * The grammar cursor: reads the productions of RFC 9051 §9 (and RFC 3501 §9 where IMAP4rev1
 * differs) from a framed command, one octet at a time, with no backtracking beyond one token.
 *
 * A violation throws `GrammarError`, which `parseCommandFrame` (commands.ts) turns into a typed
 * `tag BAD` error: the exception never leaves the codec. Recursion is bounded: nested constructs
 * go through `enter()`/`leave()` (maxNesting), and every item read counts against maxArguments.
 */
import type { CommandFrame, FramedLiteral } from './frame.ts';
import { decodeMailboxName, decodeMutf7Result, latin1 } from './mutf7.ts';
import { parseSequenceSet, type SequenceParseOptions, type SequenceSet } from './sequence.ts';
import { isValidDate, monthNumber, toEpochMs, type ImapDate, type ImapDateTime } from './datetime.ts';

export type GrammarErrorReason = 'syntax' | 'nesting' | 'too-many-arguments' | 'literal-too-large';

export class GrammarError extends Error {
  readonly reason: GrammarErrorReason;
  constructor(message: string, reason: GrammarErrorReason = 'syntax') {
    super(message);
    this.name = 'GrammarError';
    this.reason = reason;
  }
}

export interface ReaderContext {
  readonly utf8: boolean;
  readonly maxNesting: number;
  readonly maxArguments: number;
}

// Character classes of RFC 9051 §9 as bit flags.
const ATOM = 1; // ATOM-CHAR: CHAR except atom-specials ( ) { SP CTL % * " \ ]
const ASTRING = 2; // ATOM-CHAR / resp-specials "]"
const TAG = 4; // ASTRING-CHAR except "+"
const LIST = 8; // list-char = ATOM-CHAR / list-wildcards / resp-specials
const WORD = 16; // letters, digits, "." "-" "_": keywords such as RFC822.SIZE, SPECIAL-USE
const CLASS = new Uint8Array(256);
for (let c = 0x21; c <= 0x7e; c++) {
  const ch = String.fromCharCode(c);
  if (!'(){%*"\\]'.includes(ch)) CLASS[c]! |= ATOM | ASTRING | TAG | LIST;
  if (/[A-Za-z0-9._-]/.test(ch)) CLASS[c]! |= WORD;
}
CLASS[0x5d]! |= ASTRING | TAG | LIST; // ]
CLASS[0x2b]! &= ~TAG; // +
CLASS[0x25]! |= LIST; // %
CLASS[0x2a]! |= LIST; // *

export const isAtomChar = (c: number): boolean => c >= 0 && (CLASS[c]! & ATOM) !== 0;
export const isTagChar = (c: number): boolean => c >= 0 && (CLASS[c]! & TAG) !== 0;
export const isAstringChar = (c: number): boolean => c >= 0 && (CLASS[c]! & ASTRING) !== 0;

const SP = 0x20;
const DQUOTE = 0x22;
const MAX_NUMBER = 4294967295;
const MAX_NUMBER64 = 9223372036854775807n;

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** System flags of RFC 9051 §2.3.2, in canonical case, keyed by lower-case name without "\". */
const SYSTEM_FLAGS = new Map(
  ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'].map((f) => [f.slice(1).toLowerCase(), f]),
);

export class CommandReader {
  private seg = 0;
  private pos = 0;
  private args = 0;
  private depth = 0;

  constructor(
    private readonly frame: CommandFrame,
    readonly ctx: ReaderContext,
  ) {}

  private get line(): Uint8Array {
    return this.frame.lines[this.seg]!;
  }

  // ---- low level -------------------------------------------------------------------------

  /** The octet at the cursor, or -1 at the end of a line. */
  peek(offset = 0): number {
    const l = this.line;
    const i = this.pos + offset;
    return i < l.length ? l[i]! : -1;
  }

  atEnd(): boolean {
    return this.seg === this.frame.lines.length - 1 && this.pos >= this.line.length;
  }

  /** Where the cursor is, for error messages: "line 0, octet 12". */
  where(): string {
    return this.frame.lines.length > 1 ? `line ${this.seg + 1}, octet ${this.pos}` : `octet ${this.pos}`;
  }

  fail(message: string, reason: GrammarErrorReason = 'syntax'): never {
    throw new GrammarError(reason === 'syntax' ? `${message} at ${this.where()}` : message, reason);
  }

  skip(n = 1): void {
    this.pos += n;
  }

  expect(octet: number, what: string): void {
    if (this.peek() !== octet) this.fail(`expected ${what}`);
    this.pos++;
  }

  sp(): void {
    if (this.peek() !== SP) this.fail(this.atEnd() ? 'missing argument' : 'expected a single space');
    this.pos++;
  }

  trySp(): boolean {
    if (this.peek() !== SP) return false;
    this.pos++;
    return true;
  }

  /** The command must end here. */
  end(): void {
    if (!this.atEnd()) this.fail(this.peek() === SP ? 'unexpected extra argument' : 'unexpected characters');
  }

  /** Count one argument against maxArguments. */
  arg(): void {
    if (++this.args > this.ctx.maxArguments) {
      this.fail(`more than ${this.ctx.maxArguments} arguments`, 'too-many-arguments');
    }
  }

  enter(): void {
    if (++this.depth > this.ctx.maxNesting) this.fail(`nested deeper than ${this.ctx.maxNesting}`, 'nesting');
  }

  leave(): void {
    this.depth--;
  }

  private run(mask: number): Uint8Array {
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length && (CLASS[l[i]!]! & mask) !== 0) i++;
    this.pos = i;
    return l.subarray(start, i);
  }

  // ---- atoms and keywords ------------------------------------------------------------------

  /** atom = 1*ATOM-CHAR */
  atom(what = 'atom'): string {
    const bytes = this.run(ATOM);
    if (bytes.length === 0) this.fail(`expected ${what}`);
    return latin1(bytes);
  }

  /** A keyword (letters, digits, . - _), upper-cased. Empty when none is at the cursor. */
  word(): string {
    return latin1(this.run(WORD)).toUpperCase();
  }

  /** Is the next token exactly `w` (case-insensitive), followed by SP, ")", "(" or the end? */
  peekWord(w: string): boolean {
    for (let i = 0; i < w.length; i++) {
      const c = this.peek(i);
      if (c < 0 || String.fromCharCode(c).toUpperCase() !== w[i]) return false;
    }
    const after = this.peek(w.length);
    return after === -1 || after === SP || after === 0x28 || after === 0x29;
  }

  /** Consume `w` if it is the next token. */
  tryWord(w: string): boolean {
    if (!this.peekWord(w)) return false;
    this.pos += w.length;
    return true;
  }

  // ---- numbers -----------------------------------------------------------------------------

  private digits(what: string): string {
    const l = this.line;
    const start = this.pos;
    while (this.pos < l.length && l[this.pos]! >= 0x30 && l[this.pos]! <= 0x39) {
      this.pos++;
      if (this.pos - start > 20) this.fail(`${what} is too large`);
    }
    if (this.pos === start) this.fail(`expected ${what}`);
    return latin1(l.subarray(start, this.pos));
  }

  /** number = 1*DIGIT, 0 .. 4294967295 */
  number(what = 'number'): number {
    const d = this.digits(what);
    const n = Number(d);
    if (n > MAX_NUMBER) this.fail(`${what} exceeds 4294967295`);
    return n;
  }

  /** nz-number = digit-nz *DIGIT, 1 .. 4294967295 */
  nzNumber(what = 'non-zero number'): number {
    if (this.peek() === 0x30) this.fail(`${what} must not start with 0`);
    return this.number(what);
  }

  /**
   * number64 (RFC 9051): 0 .. 2^63-1. Returned as a JS number; values above 2^53-1 (no message
   * or offset is that large) are clamped to Number.MAX_SAFE_INTEGER.
   */
  number64(what = 'number'): number {
    const v = BigInt(this.digits(what));
    if (v > MAX_NUMBER64) this.fail(`${what} exceeds 2^63-1`);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }

  nzNumber64(what = 'non-zero number'): number {
    if (this.peek() === 0x30) this.fail(`${what} must not start with 0`);
    return this.number64(what);
  }

  /** mod-sequence-value (1 .. 2^63-1) or, with allowZero, mod-sequence-valzer (RFC 7162 §7). */
  modSeq(allowZero: boolean): bigint {
    const v = BigInt(this.digits('mod-sequence'));
    if (v > MAX_NUMBER64) this.fail('mod-sequence exceeds 2^63-1');
    if (v === 0n && !allowZero) this.fail('mod-sequence must not be 0');
    return v;
  }

  // ---- strings -----------------------------------------------------------------------------

  /** quoted = DQUOTE *QUOTED-CHAR DQUOTE; escapes only \\ and \" (8-bit allowed: RFC 9051, RFC 6855). */
  quoted(): Uint8Array {
    this.expect(DQUOTE, 'a quoted string');
    const l = this.line;
    const start = this.pos;
    let escaped = false;
    let i = start;
    for (; i < l.length; i++) {
      const c = l[i]!;
      if (c === 0x5c) {
        escaped = true;
        const next = l[i + 1];
        if (next !== DQUOTE && next !== 0x5c) {
          this.pos = i;
          this.fail('invalid escape in quoted string');
        }
        i++;
        continue;
      }
      if (c === DQUOTE) break;
      if (c === 0 || c === 0x0d || c === 0x0a) {
        this.pos = i;
        this.fail('control character in quoted string');
      }
    }
    if (i >= l.length) {
      this.pos = i;
      this.fail('unterminated quoted string');
    }
    this.pos = i + 1;
    const raw = l.subarray(start, i);
    if (!escaped) return raw;
    const out = new Uint8Array(raw.length);
    let n = 0;
    for (let k = 0; k < raw.length; k++) {
      if (raw[k] === 0x5c) k++;
      out[n++] = raw[k]!;
    }
    return out.subarray(0, n);
  }

  /** Is a literal (`{` or `~{`) at the cursor? */
  atLiteral(): boolean {
    const c = this.peek();
    return c === 0x7b || (c === 0x7e && this.peek(1) === 0x7b);
  }

  /**
   * A literal or literal8 announcement, which the framer guarantees ends the line; returns its
   * octets and moves the cursor to the start of the next line.
   */
  literal(options: { readonly binary?: boolean; readonly streamed?: boolean } = {}): FramedLiteral {
    const binary = this.peek() === 0x7e;
    if (binary && !options.binary) this.fail('literal8 is not allowed here');
    const l = this.line;
    const brace = this.pos + (binary ? 1 : 0);
    let i = brace + 1;
    while (i < l.length && l[i]! >= 0x30 && l[i]! <= 0x39) i++;
    if (l[i] === 0x2b) i++;
    if (i === brace + 1 || l[i] !== 0x7d || i + 1 !== l.length || this.seg >= this.frame.literals.length) {
      this.fail('malformed literal');
    }
    const lit = this.frame.literals[this.seg]!;
    if (lit.data === null && !options.streamed)
      this.fail('literal too large for this argument', 'literal-too-large');
    if (lit.hasNul && !lit.binary) this.fail('NUL in a literal; use literal8 (~{n})');
    this.seg++;
    this.pos = 0;
    return lit;
  }

  /** string = quoted / literal */
  string(): Uint8Array {
    this.arg();
    if (this.peek() === DQUOTE) return this.quoted();
    if (this.atLiteral()) return this.literal().data!;
    this.fail('expected a string');
  }

  /** astring = 1*ASTRING-CHAR / string */
  astring(what = 'string'): Uint8Array {
    const c = this.peek();
    if (c === DQUOTE || this.atLiteral()) return this.string();
    this.arg();
    const bytes = this.run(ASTRING);
    if (bytes.length === 0) this.fail(`expected ${what}`);
    return bytes;
  }

  /** nstring = string / nil */
  nstring(): Uint8Array | null {
    if (this.tryWord('NIL')) return null;
    return this.string();
  }

  /** An astring decoded as strict UTF-8 (user names, passwords, ID values, quota roots…). */
  text(bytes: Uint8Array, what: string): string {
    try {
      return utf8Strict.decode(bytes);
    } catch {
      this.fail(`${what} is not valid UTF-8`);
    }
  }

  astringText(what = 'string'): string {
    return this.text(this.astring(what), what);
  }

  /** mailbox = "INBOX" / astring, decoded from modified UTF-7 (or UTF-8 under UTF8=ACCEPT). */
  mailbox(): string {
    const r = decodeMailboxName(this.astring('mailbox name'), { utf8: this.ctx.utf8 });
    if (!r.ok) this.fail(r.error);
    return r.value;
  }

  /** list-mailbox = 1*list-char / string (RFC 9051 §9), decoded like a mailbox name. */
  listMailbox(): string {
    let raw: Uint8Array;
    if (this.peek() === DQUOTE || this.atLiteral()) {
      raw = this.string();
    } else {
      this.arg();
      raw = this.run(LIST);
      if (raw.length === 0) this.fail('expected a mailbox pattern');
    }
    if (this.ctx.utf8) return this.text(raw, 'mailbox pattern');
    for (const b of raw) if (b >= 0x80) this.fail('mailbox pattern contains 8-bit data');
    const r = decodeMutf7Result(latin1(raw));
    if (!r.ok) this.fail(`invalid modified UTF-7: ${r.error}`);
    return r.value;
  }

  /** charset = atom / quoted (RFC 9051); RFC 3501 allowed an astring. */
  charset(): string {
    const bytes = this.astring('charset');
    for (const b of bytes) if (b < 0x21 || b > 0x7e) this.fail('invalid charset name');
    return latin1(bytes);
  }

  // ---- sets, flags, dates ------------------------------------------------------------------

  sequenceSet(options: SequenceParseOptions = {}): SequenceSet {
    const l = this.line;
    const start = this.pos;
    let i = start;
    while (i < l.length) {
      const c = l[i]!;
      if ((c >= 0x30 && c <= 0x39) || c === 0x3a || c === 0x2c || c === 0x2a || c === 0x24) i++;
      else break;
    }
    if (i === start) this.fail('expected a sequence set');
    const r = parseSequenceSet(latin1(l.subarray(start, i)), options);
    if (!r.ok) this.fail(r.error);
    this.pos = i;
    return r.value;
  }

  /**
   * flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword / flag-extension
   * System flags come back in canonical case. "\Recent" cannot be stored or appended
   * (RFC 9051 §2.3.2, IMAP-09) and "\*" is only for PERMANENTFLAGS, so both are refused here.
   */
  flag(): string {
    this.arg();
    if (this.peek() === 0x5c) {
      this.pos++;
      const name = this.atom('flag name');
      const system = SYSTEM_FLAGS.get(name.toLowerCase());
      if (system) return system;
      if (name.toLowerCase() === 'recent') this.fail('\\Recent cannot be set by a client');
      return `\\${name}`;
    }
    return this.atom('flag');
  }

  /** flag-list = "(" [flag *(SP flag)] ")" */
  flagList(): string[] {
    this.expect(0x28, '"(" of a flag list');
    const flags: string[] = [];
    if (this.peek() !== 0x29) {
      flags.push(this.flag());
      while (this.trySp()) flags.push(this.flag());
    }
    this.expect(0x29, '")" closing the flag list');
    return flags;
  }

  private fixedDigits(n: number, what: string): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const c = this.peek();
      if (c < 0x30 || c > 0x39) this.fail(`expected ${what}`);
      v = v * 10 + (c - 0x30);
      this.pos++;
    }
    return v;
  }

  private monthName(): number {
    const bytes = this.line.subarray(this.pos, this.pos + 3);
    const m = monthNumber(latin1(bytes));
    if (m === 0) this.fail('expected a month name (Jan … Dec)');
    this.pos += 3;
    return m;
  }

  /** date = date-text / DQUOTE date-text DQUOTE (SEARCH BEFORE/ON/SINCE…) */
  date(): ImapDate {
    this.arg();
    const quotedDate = this.peek() === DQUOTE;
    if (quotedDate) this.pos++;
    const d1 = this.fixedDigits(1, 'day of month');
    const c = this.peek();
    const day = c >= 0x30 && c <= 0x39 ? d1 * 10 + this.fixedDigits(1, 'day of month') : d1;
    this.expect(0x2d, '"-" in date');
    const month = this.monthName();
    this.expect(0x2d, '"-" in date');
    const year = this.fixedDigits(4, 'four-digit year');
    if (quotedDate) this.expect(DQUOTE, 'closing quote of date');
    if (!isValidDate(year, month, day)) this.fail('no such calendar date');
    return { year, month, day };
  }

  /** date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE */
  dateTime(): ImapDateTime {
    this.arg();
    this.expect(DQUOTE, 'a quoted date-time');
    let day: number;
    if (this.peek() === SP) {
      this.pos++;
      day = this.fixedDigits(1, 'day of month');
    } else {
      day = this.fixedDigits(1, 'day of month');
      const c = this.peek();
      if (c >= 0x30 && c <= 0x39) day = day * 10 + this.fixedDigits(1, 'day of month');
    }
    this.expect(0x2d, '"-" in date-time');
    const month = this.monthName();
    this.expect(0x2d, '"-" in date-time');
    const year = this.fixedDigits(4, 'four-digit year');
    this.sp();
    const hour = this.fixedDigits(2, 'hour');
    this.expect(0x3a, '":" in time');
    const minute = this.fixedDigits(2, 'minute');
    this.expect(0x3a, '":" in time');
    const second = this.fixedDigits(2, 'second');
    this.sp();
    const sign = this.peek();
    if (sign !== 0x2b && sign !== 0x2d) this.fail('expected "+" or "-" of the time zone');
    this.pos++;
    const zh = this.fixedDigits(2, 'zone hours');
    const zm = this.fixedDigits(2, 'zone minutes');
    this.expect(DQUOTE, 'closing quote of date-time');
    if (!isValidDate(year, month, day)) this.fail('no such calendar date');
    if (hour > 23 || minute > 59 || second > 60) this.fail('no such time of day');
    if (zh > 23 || zm > 59) this.fail('no such time zone');
    const zoneMinutes = (sign === 0x2d ? -1 : 1) * (zh * 60 + zm);
    const base = { year, month, day, hour, minute, second };
    return { ...base, zoneMinutes, epochMs: toEpochMs(base, zoneMinutes) };
  }

  /** The rest of the current line (for AUTHENTICATE initial responses). */
  restOfLine(): Uint8Array {
    const bytes = this.line.subarray(this.pos);
    this.pos = this.line.length;
    return bytes;
  }
}
