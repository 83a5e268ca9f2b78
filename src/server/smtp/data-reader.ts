/**
 * Reading the DATA of one transaction from smtp-server's stream (already dot-unstuffed; only
 * `CRLF.CRLF` ends it, so `\n.\n`, `\r.\r` and friends are content: catalogue SMTP-01).
 *
 * While the bytes stream in, and without ever holding more than `maxBytes` (RFC 1870; SMTP-12):
 * - past `maxBytes` the collected chunks are dropped and the rest is only counted and drained, so
 *   the client still reads a 552 after its end of data and memory stays bounded;
 * - bare CR or bare LF anywhere (RFC 5321 §2.3.8: "CR and LF MUST only occur together as CRLF") is
 *   noted, so the message is refused instead of being stored with a smuggled second message in it
 *   (SMTP-01/02: 0 stored messages, never 2);
 * - NUL bytes are noted (no BINARYMIME is offered);
 * - data that arrived in the same event-loop turn as the DATA command was sent before the client
 *   could read our 354: unauthenticated pipelining past DATA (RFC 2920 §3.1; SMTP-04).
 * Call `readMessage` synchronously from onData, so the turn it starts in is the DATA command's.
 */
import type { SMTPServerDataStream } from 'smtp-server';

export interface ReadResult {
  /** The whole message; null when it went over the limit. */
  content: Buffer | null;
  bytes: number;
  oversize: boolean;
  bareLineEnd: boolean;
  nul: boolean;
  pipelined: boolean;
}

const CR = 0x0d;
const LF = 0x0a;

export class LineEndScanner {
  bare = false;
  nul = false;
  private last = -1;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (!this.nul && chunk.indexOf(0) !== -1) this.nul = true;
    if (this.bare) return;
    if (this.last === CR && chunk[0] !== LF) this.bare = true;
    for (let i = chunk.indexOf(LF); i !== -1 && !this.bare; i = chunk.indexOf(LF, i + 1)) {
      const prev = i === 0 ? this.last : chunk[i - 1];
      if (prev !== CR) this.bare = true;
    }
    for (let i = chunk.indexOf(CR); i !== -1 && !this.bare; i = chunk.indexOf(CR, i + 1)) {
      if (i + 1 < chunk.length && chunk[i + 1] !== LF) this.bare = true;
    }
    this.last = chunk[chunk.length - 1]!;
  }

  end(): void {
    if (this.last === CR) this.bare = true;
  }
}

export function readMessage(stream: SMTPServerDataStream, maxBytes: number): Promise<ReadResult> {
  let early = true;
  setImmediate(() => (early = false));
  let pipelined = false;
  let seen = false;
  let chunks: Buffer[] | null = [];
  let bytes = 0;
  const scan = new LineEndScanner();
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      if (!seen) {
        seen = true;
        if (early) pipelined = true;
      }
      bytes += chunk.length;
      scan.push(chunk);
      if (chunks !== null) {
        if (bytes > maxBytes) chunks = null;
        else chunks.push(chunk);
      }
    });
    stream.once('error', reject);
    stream.once('end', () => {
      scan.end();
      const oversize = bytes > maxBytes || stream.sizeExceeded;
      resolve({
        content: oversize || chunks === null ? null : Buffer.concat(chunks, bytes),
        bytes,
        oversize,
        bareLineEnd: scan.bare,
        nul: scan.nul,
        pipelined,
      });
    });
  });
}
