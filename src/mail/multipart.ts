/**
 * Byte-level scanning of MIME bodies: multipart delimiters (RFC 2046 §5.1.1) and line endings.
 *
 * Delimiters: `--boundary` at the start of a line (or of the body), then either `--` (the close
 * delimiter; the rest of its line is ignored) or only transport padding (SP / HT) up to the line end.
 * `--boundary1` and `--boundary-x` are not delimiters of `boundary`. The CRLF (or bare LF) before a
 * delimiter belongs to it, so a part ends before that line break; a part between two adjacent
 * delimiter lines is empty. Preamble and epilogue belong to no part; a missing close delimiter is
 * tolerated (the last part runs to the end of the body).
 *
 * Line endings: `countLf` gives the IMAP line count (RFC 9051 §7.5.2 body lines, counted like Dovecot);
 * `normalizeCrlf` rewrites bare LF / CR as CRLF (RFC 5322 §2.3) for ingest paths.
 *
 * Invariants: every search is bounded by the range end (a view of the buffer, never the rest of the
 * message), so nested multiparts cost O(range) each; no allocation proportional to the input.
 */

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const DASH = 0x2d;

/** Number of LF octets in raw[start, end) (Dovecot's line count). */
export function countLf(raw: Buffer, start: number, end: number): number {
  const view = raw.subarray(0, end);
  let n = 0;
  let i = view.indexOf(LF, start);
  while (i >= 0) {
    n++;
    i = view.indexOf(LF, i + 1);
  }
  return n;
}

/** Whether some LF is not preceded by CR. */
export function hasBareLf(raw: Buffer): boolean {
  let i = raw.indexOf(LF);
  while (i >= 0) {
    if (i === 0 || raw[i - 1] !== CR) return true;
    i = raw.indexOf(LF, i + 1);
  }
  return false;
}

function hasBareCr(raw: Buffer): boolean {
  let i = raw.indexOf(CR);
  while (i >= 0) {
    if (raw[i + 1] !== LF) return true;
    i = raw.indexOf(CR, i + 1);
  }
  return false;
}

interface Delimiter {
  /** Where the delimiter starts, its preceding line break included (RFC 2046 §5.1.1). */
  readonly delimStart: number;
  /** Just past the delimiter line. */
  readonly lineEnd: number;
  readonly close: boolean;
}

/** The next delimiter line of `dash` ("--" boundary) in raw[pos, end), for a body starting at `start`. */
function nextDelimiter(raw: Buffer, dash: Buffer, start: number, pos: number, end: number): Delimiter | null {
  const view = raw.subarray(0, end);
  for (;;) {
    const q = view.indexOf(dash, pos);
    if (q < 0) return null;
    pos = q + 1;
    if (q !== start && raw[q - 1] !== LF) continue; // not at the start of a line
    let t = q + dash.length;
    const close = t + 1 < end && raw[t] === DASH && raw[t + 1] === DASH;
    if (close) t += 2;
    while (t < end && (raw[t] === SP || raw[t] === HT)) t++; // transport-padding
    let lineEnd: number;
    if (t >= end) lineEnd = end;
    else if (raw[t] === LF) lineEnd = t + 1;
    else if (raw[t] === CR && (t + 1 >= end || raw[t + 1] === LF)) lineEnd = Math.min(t + 2, end);
    else if (close) {
      const lf = view.indexOf(LF, t);
      lineEnd = lf < 0 ? end : lf + 1; // "--b--junk": still the close delimiter
    } else continue; // a lookalike such as --boundary1 or --boundary-x
    let delimStart = q;
    if (q > start) {
      delimStart = q - 1;
      if (delimStart > start && raw[delimStart - 1] === CR) delimStart--;
    }
    return { delimStart, lineEnd, close };
  }
}

/**
 * Finds the children of a multipart body raw[start, end) delimited by `--boundary`. At most
 * `maxChildren` ranges; when the last allowed child would be followed by another one, it runs to
 * `end` instead (`capped`).
 */
export function scanMultipart(
  raw: Buffer,
  boundary: Buffer,
  start: number,
  end: number,
  maxChildren: number,
): { ranges: Array<[number, number]>; capped: boolean } {
  const dash = Buffer.concat([Buffer.from('--'), boundary]);
  const ranges: Array<[number, number]> = [];
  const first = nextDelimiter(raw, dash, start, start, end);
  if (first === null || first.close) return { ranges, capped: false }; // preamble only
  let open = first.lineEnd;
  for (;;) {
    const d = nextDelimiter(raw, dash, start, open, end);
    if (d === null) {
      ranges.push([open, end]); // no close delimiter: tolerated
      return { ranges, capped: false };
    }
    if (!d.close && ranges.length + 1 >= maxChildren) {
      ranges.push([open, end]);
      return { ranges, capped: true };
    }
    ranges.push([open, Math.max(open, d.delimStart)]);
    if (d.close) return { ranges, capped: false };
    open = d.lineEnd;
  }
}

/**
 * The message with every bare LF (and bare CR) turned into CRLF (RFC 5322 §2.3), for ingest paths
 * that store what IMAP serves: index the normalised bytes so sizes equal what is sent. Returns `raw`
 * itself when it is already clean.
 */
export function normalizeCrlf(raw: Buffer): Buffer {
  if (!hasBareLf(raw) && !hasBareCr(raw)) return raw;
  const out = Buffer.allocUnsafe(raw.length * 2);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    if (b === CR) {
      out[n++] = CR;
      out[n++] = LF;
      if (raw[i + 1] === LF) i++;
    } else if (b === LF) {
      out[n++] = CR;
      out[n++] = LF;
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}
