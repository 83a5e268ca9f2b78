/**
 * The incremental line reader of the POP3 codec (RFC 1939 §3: commands are lines ended by CRLF).
 *
 * Bytes arrive in chunks of any size; `push` returns the events completed by the chunk, in order.
 * A line is delivered without its line end. CRLF is the terminator; a bare LF is accepted too
 * (liberal in what we accept), and a CR directly before the LF is removed.
 *
 * Memory is bounded: at most `maxLineOctets` octets of an unfinished line are kept. A longer line
 * is not buffered: its bytes are counted and dropped until its end, and then one `overlong` event
 * stands in its place, so every client line still gets exactly one answer (pipelining, RFC 2449 §6.6).
 * The limit includes the line end, as RFC 2449 §4 counts it. The reader never throws.
 */

export type LineEvent =
  | { kind: 'line'; line: Buffer }
  /** A line longer than the limit; `octets` counts it with its line end. */
  | { kind: 'overlong'; octets: number };

export interface LineReaderOptions {
  /** Longest accepted line including CRLF. */
  maxLineOctets: number;
}

const LF = 0x0a;
const CR = 0x0d;

export class LineReader {
  private readonly max: number;
  private parts: Buffer[] = [];
  private held = 0;
  /** Octets of the current line seen so far, kept or not. */
  private seen = 0;
  private discarding = false;

  constructor(options: LineReaderOptions) {
    this.max = Math.max(2, options.maxLineOctets);
  }

  /** Octets of an unfinished line currently held (never more than the limit). */
  get buffered(): number {
    return this.held;
  }

  push(chunk: Uint8Array): LineEvent[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const out: LineEvent[] = [];
    let start = 0;
    while (start < buf.length) {
      const lf = buf.indexOf(LF, start);
      const end = lf === -1 ? buf.length : lf + 1;
      const piece = buf.subarray(start, end);
      this.seen += piece.length;
      if (!this.discarding) {
        if (this.seen > this.max) {
          this.discarding = true;
          this.parts = [];
          this.held = 0;
        } else {
          this.parts.push(piece);
          this.held += piece.length;
        }
      }
      if (lf !== -1) out.push(this.finishLine());
      start = end;
    }
    return out;
  }

  private finishLine(): LineEvent {
    const octets = this.seen;
    const discarded = this.discarding;
    const parts = this.parts;
    this.parts = [];
    this.held = 0;
    this.seen = 0;
    this.discarding = false;
    if (discarded) return { kind: 'overlong', octets };
    const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    let n = whole.length - 1; // drop LF
    if (n > 0 && whole[n - 1] === CR) n--;
    return { kind: 'line', line: Buffer.from(whole.subarray(0, n)) };
  }
}
