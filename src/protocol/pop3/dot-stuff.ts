/**
 * Byte-stuffing of multi-line responses (RFC 1939 §3), as incremental, streaming codecs.
 *
 * Encoding: every line that starts with "." gets another "." in front; the response ends with
 * CRLF "." CRLF. A message that does not end with CRLF gets one before the terminator (that is the
 * only change ever made to the bytes). A line starts at the beginning of the content and after
 * every LF (a bare LF included), because clients such as Python's poplib split lines on LF: stuffing
 * after a bare LF is what keeps their un-stuffing exact.
 *
 * `DotStuffer.push` takes chunks of any size and returns what can be sent; `end()` returns the
 * tail and the terminator. Memory is O(chunk): a 70 MB RETR never sits whole in memory.
 * `TopLimiter` cuts a message to its header, the blank line and the first n body lines (TOP,
 * RFC 1939 §7) before stuffing. `DotUnstuffer` is the client side, used by tests and tools.
 */
import { Transform, type TransformCallback } from 'node:stream';

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const DOT_BUF = Buffer.from('.');
const CRLF_BUF = Buffer.from('\r\n');
const TERMINATOR = Buffer.from('.\r\n');

/** One line of a short multi-line response (CAPA, LIST, UIDL), stuffed. */
export function dotStuffLine(line: string): string {
  return line.startsWith('.') ? `.${line}` : line;
}

const asBuffer = (chunk: Uint8Array): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);

export class DotStuffer {
  private atLineStart = true;
  private last = -1;
  private beforeLast = -1;

  push(chunk: Uint8Array): Buffer {
    const buf = asBuffer(chunk);
    if (buf.length === 0) return Buffer.alloc(0);
    const parts: Buffer[] = [];
    let from = 0;
    if (this.atLineStart && buf[0] === DOT) parts.push(DOT_BUF);
    let lf = buf.indexOf(LF);
    while (lf !== -1 && lf + 1 < buf.length) {
      if (buf[lf + 1] === DOT) {
        parts.push(buf.subarray(from, lf + 1), DOT_BUF);
        from = lf + 1;
      }
      lf = buf.indexOf(LF, lf + 1);
    }
    parts.push(buf.subarray(from));
    this.atLineStart = buf[buf.length - 1] === LF;
    this.beforeLast = buf.length >= 2 ? buf[buf.length - 2]! : this.last;
    this.last = buf[buf.length - 1]!;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** The end of the response: a CRLF when the content did not end with one, then ".CRLF". */
  end(): Buffer {
    const endsWithCrlf = this.last === LF && this.beforeLast === CR;
    const empty = this.last === -1;
    return endsWithCrlf || empty ? Buffer.from(TERMINATOR) : Buffer.concat([CRLF_BUF, TERMINATOR]);
  }
}

/** DotStuffer as a node stream Transform, terminator included at the end. */
export function dotStuffTransform(): Transform {
  const stuffer = new DotStuffer();
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      cb(null, stuffer.push(chunk));
    },
    flush(cb: TransformCallback) {
      cb(null, stuffer.end());
    },
  });
}

/**
 * Passes a message through up to the end of its header, the blank line, and `lines` lines of the
 * body (RFC 1939 §7, TOP). `done` turns true once nothing more will pass, so the reader of the
 * message can stop early.
 */
export class TopLimiter {
  private inBody = false;
  private bodyLines = 0;
  private lineOctets = 0;
  private lineFirst = -1;
  done = false;

  constructor(private readonly lines: number) {}

  push(chunk: Uint8Array): Buffer {
    const buf = asBuffer(chunk);
    if (this.done) return Buffer.alloc(0);
    let i = 0;
    while (i < buf.length) {
      if (this.inBody && this.bodyLines >= this.lines) {
        this.done = true;
        return buf.subarray(0, i);
      }
      const lf = buf.indexOf(LF, i);
      if (lf === -1) {
        if (this.lineOctets === 0 && i < buf.length) this.lineFirst = buf[i]!;
        this.lineOctets += buf.length - i;
        break;
      }
      if (this.lineOctets === 0 && lf > i) this.lineFirst = buf[i]!;
      const octets = this.lineOctets + (lf - i);
      const empty = octets === 0 || (octets === 1 && this.lineFirst === CR);
      if (this.inBody) this.bodyLines++;
      else if (empty) this.inBody = true;
      this.lineOctets = 0;
      this.lineFirst = -1;
      i = lf + 1;
    }
    if (this.inBody && this.bodyLines >= this.lines) this.done = true;
    return buf;
  }
}

/**
 * Client side: strips the stuffing of a multi-line response body (after the status line) and
 * finds its terminator. `push` returns the un-stuffed bytes available so far; `finished` turns
 * true at the terminator, and `rest` holds whatever followed it.
 */
export class DotUnstuffer {
  private pending = Buffer.alloc(0);
  finished = false;
  rest = Buffer.alloc(0);

  push(chunk: Uint8Array): Buffer {
    if (this.finished) {
      this.rest = Buffer.concat([this.rest, asBuffer(chunk)]);
      return Buffer.alloc(0);
    }
    const buf = Buffer.concat([this.pending, asBuffer(chunk)]);
    const out: Buffer[] = [];
    let start = 0;
    for (;;) {
      const lf = buf.indexOf(LF, start);
      if (lf === -1) break;
      const line = buf.subarray(start, lf + 1);
      if (line.length === 3 && line[0] === DOT && line[1] === CR) {
        this.finished = true;
        this.rest = Buffer.from(buf.subarray(lf + 1));
        this.pending = Buffer.alloc(0);
        return Buffer.concat(out);
      }
      out.push(line[0] === DOT ? line.subarray(1) : line);
      start = lf + 1;
    }
    this.pending = Buffer.from(buf.subarray(start));
    return Buffer.concat(out);
  }
}
