/**
 * One POP3 connection: bytes in through the codec's line reader, commands dispatched through the
 * registry, responses out with backpressure (RFC 1939, RFC 2449, RFC 2595, RFC 5034).
 *
 * Invariants:
 * - Lines are handled one at a time, in order (PIPELINING, RFC 2449 §6.6). Queued lines are
 *   bounded: past HIGH_WATER the socket is paused until the session catches up.
 * - Every error of a command is caught here and answered through `errorToWire`; nothing a client
 *   sends can throw out of a session (G2). An error after a multi-line response has started
 *   cannot be told in-band, so the connection is closed instead.
 * - Sends wait for 'drain' when the socket buffer is full: a slow reader slows RETR, never grows
 *   memory.
 * - The maildrop lease is released on every way out; only QUIT in TRANSACTION removes messages
 *   (UPDATE). A dropped connection or the autologout timer (RFC 1939 §3) removes nothing.
 * - After STLS, input buffered before the handshake is discarded (RFC 2595 §4; CVE-2011-0411).
 */
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Logger } from '../../telemetry/index.ts';
import {
  errLine,
  LineReader,
  MAX_SASL_LINE_OCTETS,
  okLine,
  parseCommand,
  type LineEvent,
  type Pop3ParseError,
} from '../../protocol/pop3/index.ts';
import { errors, errorToWire, Pop3Error, type Pop3ErrorKind } from './errors.ts';
import { lookup } from './registry.ts';
import { canTransition, initialState, leaseOf, type SessionState } from './state.ts';
import type { Pop3Deps, Pop3Settings, SessionContext } from './context.ts';
import { saslContinuation } from './commands/authorization.ts';
import { writeWithBackpressure } from '../socket-write.ts';

const HIGH_WATER = 64;
const LOW_WATER = 8;
const CLOSE_GRACE_MS = 5000;
const COUNTED: ReadonlySet<Pop3ErrorKind> = new Set(['syntax', 'wrong-state', 'privacy-required', 'auth']);

class ConnectionClosed extends Error {
  constructor() {
    super('connection closed');
  }
}

export function isLoopback(ip: string | null): boolean {
  if (ip === null) return false;
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

function parseErrorToPop3(e: Pop3ParseError): Pop3Error {
  switch (e.reason) {
    case 'too-long':
      return errors.tooLong();
    case 'unknown-command':
    case 'empty':
      return errors.unknownCommand();
    default:
      return errors.syntax(e.detail);
  }
}

let nextSessionId = 1;

export interface SessionOptions {
  deps: Pop3Deps;
  settings: Pop3Settings;
  secureContext: SecureContext | null;
  /** True for a connection on the implicit-TLS port (already encrypted). */
  secure: boolean;
  onClosed: (s: Pop3Session) => void;
}

export class Pop3Session implements SessionContext {
  state: SessionState = initialState();
  secure: boolean;
  readonly deps: Pop3Deps;
  readonly settings: Pop3Settings;
  readonly clientIp: string | null;
  readonly log: Logger;
  private socket: Socket;
  private readonly secureContext: SecureContext | null;
  private reader = new LineReader({ maxLineOctets: MAX_SASL_LINE_OCTETS });
  private queue: LineEvent[] = [];
  private head = 0;
  private running = false;
  private paused = false;
  private closing = false;
  private finished = false;
  private responseStarted = false;
  private badCommands = 0;
  private authFailures = 0;
  private readonly onClosed: (s: Pop3Session) => void;

  constructor(socket: Socket, o: SessionOptions) {
    this.socket = socket;
    this.deps = o.deps;
    this.settings = o.settings;
    this.secureContext = o.secureContext;
    this.secure = o.secure;
    this.onClosed = o.onClosed;
    this.clientIp = socket.remoteAddress ?? null;
    this.log = o.deps.log.child({ pop3: nextSessionId++, ip: this.clientIp });
  }

  start(): void {
    this.attach(this.socket);
    this.socket.write(okLine(`${this.settings.hostname} Congthu POP3 ready`));
  }

  // ---- SessionContext -------------------------------------------------------------------------

  plaintextAllowed(): boolean {
    return this.secure || (this.settings.env === 'development' && isLoopback(this.clientIp));
  }

  tlsAvailable(): boolean {
    return !this.secure && this.secureContext !== null;
  }

  transition(next: SessionState): void {
    if (!canTransition(this.state.phase, next.phase)) {
      const offered = leaseOf(next);
      if (offered && offered !== leaseOf(this.state)) offered.release();
      throw new ConnectionClosed();
    }
    const old = leaseOf(this.state);
    if (old && old !== leaseOf(next)) old.release();
    this.state = next;
  }

  send(bytes: Buffer): Promise<void> {
    const socket = this.socket;
    if (this.finished || socket.destroyed) return Promise.reject(new ConnectionClosed());
    this.responseStarted = true;
    return writeWithBackpressure(socket, bytes, () => new ConnectionClosed());
  }

  async startTls(): Promise<void> {
    const raw = this.socket;
    // RFC 2595 §4: nothing the client pipelined after STLS may be acted on after the handshake.
    this.queue = [];
    this.head = 0;
    this.reader = new LineReader({ maxLineOctets: MAX_SASL_LINE_OCTETS });
    raw.removeListener('data', this.onData);
    raw.removeListener('timeout', this.onTimeout);
    raw.setTimeout(0);
    if (this.paused) {
      this.paused = false;
      raw.resume();
    }
    if (raw.writableLength > 0) await new Promise<void>((r) => raw.once('drain', () => r()));
    const secure = new TLSSocket(raw, { isServer: true, secureContext: this.secureContext! });
    this.socket = secure;
    this.secure = true;
    this.attach(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', () => resolve());
      secure.once('close', () => reject(new ConnectionClosed()));
    });
  }

  authFailed(): boolean {
    this.authFailures++;
    return this.authFailures >= this.settings.maxAuthFailures;
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (this.state.phase !== 'closed') this.transition({ phase: 'closed' });
    const socket = this.socket;
    socket.end();
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** Server shutdown: close now, without UPDATE. */
  abort(): void {
    if (!this.finished && !this.socket.destroyed)
      this.socket.write(errLine('Máy chủ đang dừng / Server shutting down', 'SYS/TEMP'));
    this.close();
    this.socket.destroy();
  }

  // ---- I/O ------------------------------------------------------------------------------------

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('error', (err) => this.log.debug({ err }, 'pop3: socket error'));
    socket.on('close', this.onClose);
    socket.setTimeout(this.settings.idleTimeoutMs);
    socket.on('timeout', this.onTimeout);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.closing) return;
    const events = this.reader.push(chunk);
    for (const e of events) this.queue.push(e);
    if (this.queue.length - this.head > HIGH_WATER && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    void this.pump();
  };

  private readonly onTimeout = (): void => {
    // RFC 1939 §3: autologout; the session ends without entering UPDATE.
    // A commit in progress (UPDATE) finishes and answers; it is not cut short.
    if (this.finished || this.state.phase === 'update') return;
    this.log.debug('pop3: idle timeout');
    if (!this.socket.destroyed)
      this.socket.write(errLine('Hết thời gian chờ; đóng kết nối / Idle timeout; closing', null));
    this.close();
  };

  private readonly onClose = (): void => {
    if (this.finished) return;
    this.finished = true;
    this.closing = true;
    if (this.state.phase !== 'closed') this.transition({ phase: 'closed' });
    this.queue = [];
    this.head = 0;
    this.onClosed(this);
  };

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.head < this.queue.length && !this.closing) {
        const event = this.queue[this.head++]!;
        if (this.head === this.queue.length) {
          this.queue = [];
          this.head = 0;
        }
        if (this.paused && this.queue.length - this.head < LOW_WATER) {
          this.paused = false;
          this.socket.resume();
        }
        await this.handle(event);
      }
    } finally {
      this.running = false;
    }
  }

  private async handle(event: LineEvent): Promise<void> {
    this.responseStarted = false;
    try {
      const state = this.state;
      if (state.phase === 'authorization' && state.sasl !== null) {
        if (event.kind === 'overlong') {
          this.transition({ phase: 'authorization', user: null, sasl: null });
          throw errors.tooLong();
        }
        await saslContinuation(this, event.line.toString('latin1'));
        return;
      }
      if (event.kind === 'overlong') throw errors.tooLong();
      const parsed = parseCommand(event.line);
      if (!parsed.ok) throw parseErrorToPop3(parsed.error);
      const spec = lookup(parsed.command.name);
      if (!spec.states.includes(this.state.phase)) throw errors.wrongState();
      await spec.run(this, parsed.command);
    } catch (e) {
      await this.fail(e);
    }
  }

  private async fail(e: unknown): Promise<void> {
    if (this.finished || this.socket.destroyed || e instanceof ConnectionClosed) {
      this.socket.destroy();
      return;
    }
    if (this.responseStarted) {
      this.log.error({ err: e }, 'pop3: failure during a multi-line response; closing');
      this.close();
      this.socket.destroy();
      return;
    }
    const { line, expected } = errorToWire(e);
    if (!expected) this.log.error({ err: e }, 'pop3: command failed');
    if (e instanceof Pop3Error && COUNTED.has(e.kind)) this.badCommands++;
    try {
      await this.send(line);
      if (this.badCommands >= this.settings.maxBadCommands) {
        await this.send(errorToWire(errors.tooManyErrors()).line);
        this.close();
      }
    } catch {
      this.socket.destroy();
    }
  }
}
