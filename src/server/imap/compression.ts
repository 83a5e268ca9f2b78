/**
 * COMPRESS=DEFLATE (RFC 4978) for one connection: raw deflate (RFC 1951, no zlib or gzip
 * wrapper) in both directions, below the IMAP codec and above TLS.
 *
 * Invariants:
 * - Output: what the session sends is written into one deflate stream piped to the socket, so
 *   the socket's backpressure reaches `write()` (it waits for 'drain'). Writes made within one
 *   turn of the event loop are flushed together with Z_SYNC_FLUSH, so every response reaches the
 *   client without waiting for more (RFC 4978 §4: the server flushes after each response).
 * - Input: the socket's octets are inflated and handed to the parser. Inflating is bounded
 *   (IMAP-06, "zip bomb"): the inflated total may exceed the compressed total at most
 *   MAX_INFLATE_RATIO times plus INFLATE_SLACK; past that the connection is closed. Each
 *   inflated chunk is at most INFLATE_CHUNK octets and is checked before the parser sees it, and
 *   `pause()` stops the inflater (with the socket) while the parser's input is full, so memory
 *   stays bounded whatever the ratio.
 * - Corrupt deflate data is fatal for the connection (there is no way to resynchronise).
 */
import type { Socket } from 'node:net';
import { constants, createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib';

/** Largest ratio of inflated to compressed octets accepted over a connection. */
export const MAX_INFLATE_RATIO = 100;
/** Octets that may be inflated beyond the ratio (a small command compresses badly). */
export const INFLATE_SLACK = 1024 * 1024;
/** Largest inflated chunk handed on at once. */
export const INFLATE_CHUNK = 16 * 1024;

export interface CompressionHandlers {
  /** Inflated input for the parser. */
  onInput(plain: Buffer): void;
  /** The client broke the ratio cap or sent corrupt data; the connection must close. */
  onAbuse(reason: 'ratio' | 'corrupt'): void;
}

export class DeflateChannel {
  private readonly deflate: DeflateRaw;
  private readonly inflate: InflateRaw;
  private compressedIn = 0;
  private inflatedIn = 0;
  private flushQueued = false;
  private ended = false;
  private failed = false;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: CompressionHandlers,
  ) {
    this.deflate = createDeflateRaw({ level: constants.Z_DEFAULT_COMPRESSION });
    this.deflate.on('error', () => socket.destroy());
    this.deflate.pipe(socket);
    this.inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK });
    this.inflate.on('data', (plain: Buffer) => {
      if (this.failed) return;
      this.inflatedIn += plain.length;
      if (this.inflatedIn > this.compressedIn * MAX_INFLATE_RATIO + INFLATE_SLACK) return this.fail('ratio');
      handlers.onInput(plain);
    });
    this.inflate.on('error', () => this.fail('corrupt'));
  }

  private fail(reason: 'ratio' | 'corrupt'): void {
    if (this.failed) return;
    this.failed = true;
    this.inflate.pause();
    this.inflate.removeAllListeners('data');
    this.handlers.onAbuse(reason);
  }

  /** Compressed octets from the socket. */
  input(chunk: Buffer): void {
    if (this.failed) return;
    this.compressedIn += chunk.length;
    this.inflate.write(chunk);
  }

  pause(): void {
    this.inflate.pause();
  }

  resume(): void {
    if (!this.failed) this.inflate.resume();
  }

  /** Octets accepted but not yet written to the socket. */
  get pendingBytes(): number {
    return this.deflate.writableLength + this.deflate.readableLength;
  }

  /** Compress and send; resolves when the deflater can take more. */
  write(bytes: Uint8Array, onClosed: () => Error): Promise<void> {
    if (this.ended || this.socket.destroyed) return Promise.reject(onClosed());
    const ready = bytes.length === 0 ? !this.deflate.writableNeedDrain : this.deflate.write(bytes);
    this.queueFlush();
    if (ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.deflate.off('drain', onDrain);
        this.socket.off('close', onClose);
      };
      const onDrain = (): void => {
        done();
        resolve();
      };
      const onClose = (): void => {
        done();
        reject(onClosed());
      };
      this.deflate.on('drain', onDrain);
      this.socket.on('close', onClose);
    });
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      if (!this.ended && !this.deflate.destroyed) this.deflate.flush(constants.Z_SYNC_FLUSH);
    });
  }

  /** Finish the deflate stream; the pipe then ends the socket. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.deflate.end();
    this.inflate.destroy();
  }
}
