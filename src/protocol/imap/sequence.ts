/**
 * IMAP sequence sets: parse, resolve, iterate, test membership, and write back.
 *
 * Grammar (RFC 9051 §9, RFC 3501 §9):
 *   sequence-set = (seq-number / seq-range) ["," sequence-set] / seq-last-command
 *   seq-range    = seq-number ":" seq-number      ; "4:2" is the same as "2:4"
 *   seq-number   = nz-number / "*"                ; 1 .. 4294967295, "*" = the largest in use
 *   seq-last-command = "$"                        ; RFC 5182 / RFC 9051 §6.4.4.1 (SEARCH SAVE)
 *
 * Invariants:
 *   - numbers are 32-bit non-zero (`0` and `4294967296` are syntax errors; no leading zeros);
 *   - a set is never expanded into an array of numbers: `1:4294967295` is one interval, and
 *     iteration is lazy, so a million ranges cost a million intervals, never billions of numbers;
 *   - `$` is accepted only as the whole set (as Dovecot does); its meaning is the session's.
 */

/** Largest message sequence number or UID (RFC 9051 §2.3.1.1: 32-bit unsigned, non-zero). */
export const MAX_SEQ_NUMBER = 4294967295;

/** A sequence number as written: a number or `*` (the largest number in use). */
export type SeqNumber = number | '*';

export interface SeqRange {
  readonly start: SeqNumber;
  /** Equal to `start` for a single number. */
  readonly end: SeqNumber;
}

export type SequenceSet =
  | { readonly kind: 'set'; readonly ranges: readonly SeqRange[] }
  /** `$`: the result saved by the last SEARCH … RETURN (SAVE) (RFC 5182). */
  | { readonly kind: 'saved' };

/** A closed interval of numbers, `first <= last`. */
export type Interval = readonly [first: number, last: number];

export interface SequenceParseOptions {
  /** Accept `*` (default true). QRESYNC known-uids and seq-match-data forbid it (RFC 7162 §3.2.5). */
  readonly allowStar?: boolean;
  /** Accept `$` (default true). */
  readonly allowSaved?: boolean;
  /** Refuse sets of more ranges than this (default unlimited; the line length bounds it). */
  readonly maxRanges?: number;
}

export type SequenceParseResult =
  { readonly ok: true; readonly value: SequenceSet } | { readonly ok: false; readonly error: string };

function parseSeqNumber(text: string, allowStar: boolean): SeqNumber | string {
  if (text === '*') return allowStar ? '*' : '"*" is not allowed here';
  if (text.length === 0) return 'empty sequence number';
  if (text.length > 10) return `sequence number out of range: ${text.slice(0, 12)}`;
  const first = text.charCodeAt(0);
  if (first < 0x31 || first > 0x39) {
    return first === 0x30 ? 'sequence numbers start at 1' : `invalid sequence number: ${text}`;
  }
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return `invalid sequence number: ${text}`;
  }
  const n = Number(text);
  return n > MAX_SEQ_NUMBER ? `sequence number out of range: ${text}` : n;
}

/** Parse a sequence set written in the client's syntax. Never throws. */
export function parseSequenceSet(text: string, options: SequenceParseOptions = {}): SequenceParseResult {
  const allowStar = options.allowStar ?? true;
  if (text === '$') {
    return (options.allowSaved ?? true)
      ? { ok: true, value: { kind: 'saved' } }
      : { ok: false, error: '"$" is not allowed here' };
  }
  if (text.length === 0) return { ok: false, error: 'empty sequence set' };
  const maxRanges = options.maxRanges ?? Number.POSITIVE_INFINITY;
  const ranges: SeqRange[] = [];
  let start = 0;
  while (start <= text.length) {
    let comma = text.indexOf(',', start);
    if (comma < 0) comma = text.length;
    const item = text.slice(start, comma);
    const colon = item.indexOf(':');
    let range: SeqRange;
    if (colon < 0) {
      const n = parseSeqNumber(item, allowStar);
      if (typeof n === 'string' && n !== '*') return { ok: false, error: n };
      range = { start: n, end: n };
    } else {
      const a = parseSeqNumber(item.slice(0, colon), allowStar);
      const b = parseSeqNumber(item.slice(colon + 1), allowStar);
      if (typeof a === 'string' && a !== '*') return { ok: false, error: a };
      if (typeof b === 'string' && b !== '*') return { ok: false, error: b };
      range = { start: a, end: b };
    }
    if (ranges.length >= maxRanges) return { ok: false, error: 'too many ranges in sequence set' };
    ranges.push(range);
    start = comma + 1;
  }
  return { ok: true, value: { kind: 'set', ranges } };
}

/** Write a set back in the wire syntax (`1:3,5,7:*`). */
export function formatSequenceSet(set: SequenceSet): string {
  if (set.kind === 'saved') return '$';
  return set.ranges.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}:${r.end}`)).join(',');
}

export interface ResolveOptions {
  /** The value of `*`: the number of messages, or the largest UID in use (0 when empty). */
  readonly star: number;
  /** Keep only numbers ≤ max (message sequence numbers: the number of messages). */
  readonly max?: number;
}

/**
 * Turn a set into sorted, merged, non-overlapping intervals, with `*` replaced and reversed
 * ranges put right (RFC 9051 §9: "4:2" includes 2, 3 and 4). Work and memory are proportional to
 * the number of ranges written, never to the numbers they cover.
 */
export function resolveSequenceSet(set: SequenceSet & { kind: 'set' }, options: ResolveOptions): Interval[] {
  const star = options.star;
  const max = Math.min(options.max ?? MAX_SEQ_NUMBER, MAX_SEQ_NUMBER);
  const raw: [number, number][] = [];
  for (const r of set.ranges) {
    const a = r.start === '*' ? star : r.start;
    const b = r.end === '*' ? star : r.end;
    const lo = Math.max(1, Math.min(a, b));
    const hi = Math.min(max, Math.max(a, b));
    if (lo > hi) continue;
    raw.push([lo, hi]);
  }
  raw.sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const iv of raw) {
    const last = out[out.length - 1];
    if (last && iv[0] <= last[1] + 1) {
      if (iv[1] > last[1]) last[1] = iv[1];
    } else {
      out.push([iv[0], iv[1]]);
    }
  }
  return out;
}

/** Does the set contain `n`? `star` is the value of `*`. */
export function sequenceSetContains(set: SequenceSet & { kind: 'set' }, n: number, star: number): boolean {
  if (n < 1) return false;
  for (const r of set.ranges) {
    const a = r.start === '*' ? star : r.start;
    const b = r.end === '*' ? star : r.end;
    if (n >= Math.min(a, b) && n <= Math.max(a, b)) return true;
  }
  return false;
}

/** Binary search in resolved intervals. */
export function intervalsContain(intervals: readonly Interval[], n: number): boolean {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const iv = intervals[mid]!;
    if (n < iv[0]) hi = mid - 1;
    else if (n > iv[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** How many numbers the intervals cover. */
export function intervalsSize(intervals: readonly Interval[]): number {
  let total = 0;
  for (const [a, b] of intervals) total += b - a + 1;
  return total;
}

/** Lazily yield every number of the intervals in ascending order. */
export function* iterateIntervals(intervals: readonly Interval[]): Generator<number, void, undefined> {
  for (const [a, b] of intervals) {
    for (let n = a; n <= b; n++) yield n;
  }
}

/** Write intervals as a set string (`1:3,5`). */
export function formatIntervals(intervals: readonly Interval[]): string {
  return intervals.map(([a, b]) => (a === b ? `${a}` : `${a}:${b}`)).join(',');
}

/**
 * Compress numbers into a set string, keeping their order: each run of consecutive ascending
 * numbers becomes `a:b`. For sorted input this is the shortest form (ESEARCH ALL, RFC 4731);
 * the order-keeping matters for UIDPLUS COPYUID, whose two sets correspond element by element
 * (RFC 4315 §3). Returns '' for no numbers. Numbers must be integers in 1..4294967295.
 */
export function compressNumbers(numbers: Iterable<number>): string {
  const parts: string[] = [];
  let runStart = -1;
  let runEnd = -1;
  const flush = (): void => {
    if (runStart < 0) return;
    parts.push(runStart === runEnd ? `${runStart}` : `${runStart}:${runEnd}`);
  };
  for (const n of numbers) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_SEQ_NUMBER) {
      throw new RangeError(`not a valid sequence number or UID: ${n}`);
    }
    if (runStart >= 0 && n === runEnd + 1) {
      runEnd = n;
    } else {
      flush();
      runStart = n;
      runEnd = n;
    }
  }
  flush();
  return parts.join(',');
}

/** Build a set value from numbers (same compression as `compressNumbers`). */
export function sequenceSetFromNumbers(numbers: Iterable<number>): SequenceSet & { kind: 'set' } {
  const ranges: SeqRange[] = [];
  let last: { start: number; end: number } | null = null;
  for (const n of numbers) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_SEQ_NUMBER) {
      throw new RangeError(`not a valid sequence number or UID: ${n}`);
    }
    if (last && n === last.end + 1) {
      last.end = n;
    } else {
      last = { start: n, end: n };
      ranges.push(last);
    }
  }
  return { kind: 'set', ranges };
}

/** Does the set use `*` anywhere? (FETCH 1:* on an empty mailbox is an error, RFC 9051 §6.4.5.) */
export function sequenceSetUsesStar(set: SequenceSet): boolean {
  return set.kind === 'set' && set.ranges.some((r) => r.start === '*' || r.end === '*');
}
