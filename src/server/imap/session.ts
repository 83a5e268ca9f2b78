/**
 * One IMAP connection: bytes in through the codec's incremental parser, commands dispatched
 * through the registry, responses out with backpressure (RFC 9051 §2.2, §5.5; RFC 7888).
 *
 * Invariants:
 * - Events are handled one at a time, in order, through one serial chain (commands, and changes
 *   pushed during IDLE), so responses never interleave. Dispatch is a loop, never recursion.
 * - Backpressure (IMAP-02): input the parser has not consumed is bounded (the socket is paused
 *   above INPUT_HIGH_WATER) and no further command is read while the socket's write buffer is
 *   above OUTPUT_HIGH_WATER; writes wait for 'drain'. A slow reader slows its own session only.
 * - Every error of a command is caught here and answered through `errorToResult` (G2). An error
 *   after a FETCH literal has started cannot be told in-band: the connection is closed instead.
 * - After STARTTLS, input buffered before the handshake is discarded (RFC 9051 §6.2.1).
 * - An idle connection holds its socket, this object and a parser with a 256-octet line buffer.
 * - A delegated mailbox (Điều 10.1, RFC 4314) stays selected only while its grant lasts: before
 *   every command but LOGOUT, SELECT, EXAMINE and UNSELECT, and before changes are pushed during
 *   IDLE, the grant is read again; when it is gone (or lost "r") the session says
 *   `* BYE` and closes, as Dovecot does when a selected mailbox disappears: the client reconnects
 *   and no longer sees the folder. Changed rights apply to that command (`mailbox.rights`).
 *   While such a folder is selected the session also listens to its owner's change feed.
 */
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Logger } from '../../telemetry/index.ts';
import {
  ImapCommandParser,
  continuation,
  errorResponse,
  taggedResponse,
  untaggedData,
  untaggedStatus,
  type ImapCommand,
  type ImapParserOptions,
  type ImapValue,
  type LiteralAnnouncement,
  type ParseEvent,
} from '../../protocol/imap/index.ts';
import type { MailboxEvent } from '../../mailbox/index.ts';
import { delegationFor } from '../../directory/index.ts';
import { capabilityList } from './capabilities.ts';
import type { ImapDeps, ImapSettings, SessionContext } from './context.ts';
import { ConnectionClosed, errors, errorToResult, ImapError } from './errors.ts';

export { ConnectionClosed };
import type { HandlerResult } from './handler.ts';
import { lookupHandler } from './registry.ts';
import { accountOf, canTransition, initialState, type SessionState } from './state.ts';
import { completeSasl } from './commands/authenticate.ts';
import { DeflateChannel } from './compression.ts';
import { writeWithBackpressure } from '../socket-write.ts';

/** Commands that run without re-reading the grant of a selected delegated mailbox. */
const NO_GRANT_CHECK: ReadonlySet<string> = new Set(['LOGOUT', 'SELECT', 'EXAMINE', 'UNSELECT']);

const INPUT_HIGH_WATER = 1024 * 1024;
const OUTPUT_HIGH_WATER = 256 * 1024;
/** Gathered response bytes that are written at once without waiting for the end of the turn. */
const OUTPUT_COALESCE = 64 * 1024;
const CLOSE_GRACE_MS = 5000;

export function isLoopback(ip: string | null): boolean {
  if (ip === null) return false;
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

let nextSessionId = 1;

export interface SessionOptions {
  deps: ImapDeps;
  settings: ImapSettings;
  secureContext: SecureContext | null;
  /** A connection on the implicit-TLS port. */
  secure: boolean;
  onClosed: (s: ImapSession) => void;
}

export class ImapSession implements SessionContext {
  state: SessionState = initialState();
  secure: boolean;
  utf8 = false;
  rev2 = false;
  condstore = false;
  qresync = false;
  readonly deps: ImapDeps;
  readonly settings: ImapSettings;
  readonly clientIp: string | null;
  readonly log: Logger;
  private socket: Socket;
  private readonly secureContext: SecureContext | null;
  private parser: ImapCommandParser;
  private running = false;
  private paused = false;
  private closing = false;
  private finished = false;
  private badCommands = 0;
  private authFailures = 0;
  private closeAfterReply = false;
  private idling: string | null = null;
  private idleFlushQueued = false;
  private chain: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  /** Listening to the owner of a selected delegated mailbox. */
  private unsubscribeOwner: (() => void) | null = null;
  /** Delegated mailboxes whose INBOX this session has opened (audited once per session). */
  readonly delegationUses = new Set<string>();
  private compression: DeflateChannel | null = null;
  /** Responses gathered for one socket write (see `send`). */
  private output: Uint8Array[] = [];
  private outputBytes = 0;
  private outputFlushQueued = false;
  private readonly onClosed: (s: ImapSession) => void;

  constructor(socket: Socket, o: SessionOptions) {
    this.socket = socket;
    this.deps = o.deps;
    this.settings = o.settings;
    this.secureContext = o.secureContext;
    this.secure = o.secure;
    this.onClosed = o.onClosed;
    this.clientIp = socket.remoteAddress ?? null;
    this.log = o.deps.log.child({ imap: nextSessionId++, ip: this.clientIp });
    this.parser = new ImapCommandParser(this.parserOptions());
  }

  start(): void {
    this.attach(this.socket);
    this.socket.write(
      untaggedStatus('OK', `${this.settings.hostname} Congthu IMAP ready`, {
        code: { code: 'CAPABILITY', capabilities: this.capabilities() },
      }),
    );
  }

  // ---- SessionContext -------------------------------------------------------------------------

  plaintextAllowed(): boolean {
    return this.secure || (this.settings.env === 'development' && isLoopback(this.clientIp));
  }

  tlsAvailable(): boolean {
    return !this.secure && this.secureContext !== null;
  }

  capabilities(): string[] {
    return capabilityList({
      authenticated: accountOf(this.state) !== null,
      secure: this.secure,
      tlsAvailable: this.tlsAvailable(),
      plaintextAllowed: this.plaintextAllowed(),
      appendLimit: this.settings.appendLimit,
    });
  }

  private parserOptions(): Partial<ImapParserOptions> {
    if (accountOf(this.state) === null) {
      // IMAP-01/06: tiny literals and lines before sign-in.
      return {
        maxLineLength: 8 * 1024,
        maxLiteralSize: 8 * 1024,
        maxCommandSize: 64 * 1024,
        maxAppendLiteralSize: 0,
        maxAppendCommandSize: 64 * 1024,
        maxSkipLiteralSize: 64 * 1024,
        nonSyncLiterals: 'plus',
        utf8: this.utf8,
      };
    }
    return {
      maxLineLength: 256 * 1024,
      maxLiteralSize: 64 * 1024,
      maxCommandSize: 2 * 1024 * 1024,
      maxAppendLiteralSize: this.settings.appendLimit,
      maxAppendCommandSize: this.settings.appendLimit * 2,
      maxSkipLiteralSize: 8 * 1024 * 1024,
      nonSyncLiterals: 'plus',
      utf8: this.utf8,
    };
  }

  transition(next: SessionState): void {
    if (!canTransition(this.state.kind, next.kind)) throw new ConnectionClosed();
    const wasAuthenticated = accountOf(this.state) !== null;
    this.state = next;
    const account = accountOf(next);
    if (account && !wasAuthenticated) {
      this.parser.setOptions(this.parserOptions());
      this.unsubscribe = this.deps.feed.subscribe(account.id, this.onMailboxEvent);
    }
    this.unsubscribeOwner?.();
    this.unsubscribeOwner = null;
    if (next.kind === 'selected' && next.mailbox.shared)
      this.unsubscribeOwner = this.deps.feed.subscribe(next.mailbox.shared.ownerId, this.onMailboxEvent);
    if (next.kind === 'logout') this.stopListening();
  }

  /**
   * RFC 4314, Điều 10.1: is the selected delegated mailbox still granted (with "r")? Refreshes the
   * rights; when the grant is gone says `* BYE` and closes. True for a session's own folders.
   */
  private async grantHolds(): Promise<boolean> {
    const state = this.state;
    if (state.kind !== 'selected' || !state.mailbox.shared) return true;
    const grant = await delegationFor(this.deps.store.db, state.account.id, state.mailbox.shared.ownerId);
    if (grant && grant.rights.includes('r')) {
      state.mailbox.rights = grant.rights;
      return true;
    }
    await this.send(
      untaggedStatus(
        'BYE',
        'Quyền sử dụng hộp thư được ủy quyền đã bị thu hồi / Access to the delegated mailbox has been revoked',
        { utf8: this.utf8 },
      ),
    );
    this.close();
    return false;
  }

  enable(capability: 'UTF8=ACCEPT' | 'IMAP4REV2' | 'CONDSTORE' | 'QRESYNC'): void {
    // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE.
    if (capability === 'QRESYNC') this.qresync = true;
    if (capability === 'CONDSTORE' || capability === 'QRESYNC') {
      this.condstore = true;
      return;
    }
    if (capability === 'IMAP4REV2') this.rev2 = true;
    // RFC 9051 §6.3.1 and RFC 6855 §3: both make mailbox names and quoted strings UTF-8.
    this.utf8 = true;
    this.parser.setOptions({ utf8: true });
  }

  get compressed(): boolean {
    return this.compression !== null;
  }

  startCompression(): void {
    // RFC 4978 §3: the client sends compressed data only after the tagged OK; nothing it sent
    // before that may be read as compressed, so the parser starts afresh. The OK itself (still
    // gathered in `output`) leaves uncompressed.
    this.flushOutput().catch(() => undefined);
    this.parser = new ImapCommandParser(this.parserOptions());
    this.compression = new DeflateChannel(this.socket, {
      onInput: (plain) => this.feed(plain),
      onAbuse: (reason) => {
        this.log.warn({ reason }, 'imap: COMPRESS input refused; closing');
        this.writeNow(untaggedStatus('BYE', 'Du lieu nen khong hop le / Compressed input refused'));
        this.close(); // ends the deflate stream after the BYE; input is ignored from now on
      },
    });
  }

  /** Write without waiting (BYE on timeout or shutdown), through COMPRESS when active. */
  private writeNow(bytes: Uint8Array): void {
    if (this.finished || this.socket.destroyed) return;
    this.flushOutput().catch(() => undefined);
    if (this.compression) this.compression.write(bytes, () => new ConnectionClosed()).catch(() => undefined);
    else this.socket.write(bytes);
  }

  /**
   * Responses are coalesced: small writes (one `* n FETCH` line each) gather in `output` and go to
   * the socket as one write when OUTPUT_COALESCE bytes are waiting or at the end of this turn of
   * the event loop, whichever is first. A 100,000-line FETCH then costs a few hundred socket
   * writes instead of 100,000. Backpressure is unchanged: a full buffer is written and waited for.
   */
  send(bytes: Uint8Array): Promise<void> {
    if (this.finished || this.socket.destroyed) return Promise.reject(new ConnectionClosed());
    if (bytes.length === 0) return this.flushOutput(); // "wait until the socket has room"
    this.output.push(bytes);
    this.outputBytes += bytes.length;
    if (this.outputBytes >= OUTPUT_COALESCE) return this.flushOutput();
    if (!this.outputFlushQueued) {
      this.outputFlushQueued = true;
      setImmediate(this.onOutputTimer);
    }
    return Promise.resolve();
  }

  private readonly onOutputTimer = (): void => {
    this.outputFlushQueued = false;
    this.flushOutput().catch(() => undefined); // a closed socket is noticed by the next send
  };

  /** Hand everything gathered to the socket (or COMPRESS) now; resolves when it has room again. */
  private flushOutput(): Promise<void> {
    if (this.finished || this.socket.destroyed) {
      this.output = [];
      this.outputBytes = 0;
      return Promise.reject(new ConnectionClosed());
    }
    const chunks = this.output;
    const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.outputBytes);
    this.output = [];
    this.outputBytes = 0;
    if (this.compression) return this.compression.write(data, () => new ConnectionClosed());
    return writeWithBackpressure(this.socket, data, () => new ConnectionClosed());
  }

  async untagged(values: readonly ImapValue[]): Promise<void> {
    for (const chunk of untaggedData(values, { utf8: this.utf8 })) await this.send(chunk);
  }

  async flushUpdates(options: { expunge: boolean }): Promise<void> {
    const state = this.state;
    if (state.kind !== 'selected' || !state.mailbox.hasPending()) return;
    const responses = await state.mailbox.collect(this.deps.store, {
      expunge: options.expunge,
      rev2: this.rev2,
      condstore: this.condstore,
      qresync: this.qresync,
    });
    for (const r of responses) await this.untagged(r);
  }

  async startTls(): Promise<void> {
    const raw = this.socket;
    this.flushOutput().catch(() => undefined); // the tagged OK goes out in clear, before the handshake
    // RFC 9051 §6.2.1: nothing the client pipelined after STARTTLS may be acted on.
    this.parser = new ImapCommandParser(this.parserOptions());
    raw.removeListener('data', this.onData);
    raw.removeListener('timeout', this.onTimeout);
    raw.removeListener('close', this.onClose);
    raw.setTimeout(0);
    if (this.paused) {
      this.paused = false;
      raw.resume();
    }
    const secure = new TLSSocket(raw, { isServer: true, secureContext: this.secureContext! });
    this.socket = secure;
    this.secure = true;
    this.attach(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', () => resolve());
      secure.once('close', () => reject(new ConnectionClosed()));
    });
  }

  beginIdle(tag: string): void {
    this.idling = tag;
    this.parser.beginIdle(tag);
    this.queueIdleFlush();
  }

  beginSasl(tag: string): void {
    this.parser.beginSaslResponse(tag);
  }

  authFailed(): boolean {
    this.authFailures++;
    if (this.authFailures >= this.settings.maxAuthFailures) this.closeAfterReply = true;
    return this.closeAfterReply;
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (this.state.kind !== 'logout') this.transition({ kind: 'logout' });
    const socket = this.socket;
    if (this.outputBytes > 0) this.flushOutput().catch(() => undefined);
    if (this.compression) this.compression.end();
    else socket.end();
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** Server shutdown. */
  abort(): void {
    this.writeNow(untaggedStatus('BYE', 'May chu dang dung / Server shutting down'));
    this.close();
    this.socket.destroy();
  }

  // ---- I/O ------------------------------------------------------------------------------------

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('error', (err) => this.log.debug({ err }, 'imap: socket error'));
    socket.on('close', this.onClose);
    socket.setTimeout(this.settings.idleTimeoutMs);
    socket.on('timeout', this.onTimeout);
  }

  private stopListening(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.unsubscribeOwner?.();
    this.unsubscribeOwner = null;
  }

  private readonly onMailboxEvent = (e: MailboxEvent): void => {
    const state = this.state;
    if (state.kind !== 'selected') return;
    if (state.mailbox.onEvent(e) && this.idling !== null) this.queueIdleFlush();
  };

  /** RFC 2177: while idling, changes are pushed at once (coalesced within one turn). */
  private queueIdleFlush(): void {
    if (this.idleFlushQueued) return;
    this.idleFlushQueued = true;
    setImmediate(() => {
      this.idleFlushQueued = false;
      void this.serial(async () => {
        if (this.idling === null || this.closing) return;
        if (!(await this.grantHolds())) return;
        await this.flushUpdates({ expunge: true });
      });
    });
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(fn);
    this.chain = run.catch((err: unknown) => {
      if (!(err instanceof ConnectionClosed)) this.log.error({ err }, 'imap: session failure');
      this.socket.destroy();
    });
    return this.chain;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.closing) return;
    if (this.compression) this.compression.input(chunk);
    else this.feed(chunk);
  };

  /** Octets for the parser (inflated when COMPRESS is active). */
  private feed(chunk: Buffer): void {
    if (this.closing) return;
    this.parser.push(chunk);
    if (this.parser.bufferedBytes > INPUT_HIGH_WATER && !this.paused) {
      this.paused = true;
      this.socket.pause();
      this.compression?.pause();
    }
    void this.pump();
  }

  private readonly onTimeout = (): void => {
    // RFC 9051 §5.4: autologout after at least 30 minutes of inactivity.
    if (this.finished) return;
    this.writeNow(untaggedStatus('BYE', 'Het thoi gian cho / Autologout; idle for too long'));
    this.close();
  };

  private readonly onClose = (): void => {
    if (this.finished) return;
    this.finished = true;
    this.closing = true;
    this.stopListening();
    if (this.state.kind !== 'logout') this.state = { kind: 'logout' };
    this.onClosed(this);
  };

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closing) {
        const queued = this.socket.writableLength + (this.compression?.pendingBytes ?? 0);
        if (queued > OUTPUT_HIGH_WATER) await this.send(new Uint8Array(0));
        const event = this.parser.next();
        if (event.kind === 'needs-more-data') break;
        await this.serial(() => this.handle(event));
      }
    } catch {
      this.socket.destroy();
    } finally {
      this.running = false;
      if (this.paused && !this.closing && this.parser.bufferedBytes < INPUT_HIGH_WATER / 2) {
        this.paused = false;
        this.socket.resume();
        this.compression?.resume();
      }
    }
  }

  private async handle(event: ParseEvent): Promise<void> {
    switch (event.kind) {
      case 'command':
        return this.dispatch(event.command);
      case 'needs-literal': {
        const refusal = this.literalRefusal(event.literal);
        if (refusal) {
          this.parser.rejectLiteral();
          return this.reply(event.literal.tag, refusal);
        }
        this.parser.acceptLiteral();
        return this.send(continuation('Ready for literal data'));
      }
      case 'literal-announced': {
        const refusal = this.literalRefusal(event.literal);
        if (refusal) {
          this.parser.rejectLiteral();
          return this.reply(event.literal.tag, refusal);
        }
        return;
      }
      case 'literal-data':
        return; // APPEND literals are buffered (streamAppendLiteralsOver is not set)
      case 'error': {
        const e = event.error;
        if (this.idling !== null && e.tag === this.idling) this.idling = null;
        if (this.state.kind === 'not-authenticated' && this.state.sasl) this.state.sasl = null;
        await this.send(errorResponse(e, { utf8: this.utf8 }));
        if (e.fatal) return this.close();
        if (e.status === 'BAD') return this.countBad();
        return;
      }
      case 'idle-done': {
        const tag = this.idling;
        this.idling = null;
        if (tag === null) return;
        if (!(await this.grantHolds())) return;
        await this.flushUpdates({ expunge: true });
        return this.reply(tag, { status: 'OK', text: 'IDLE terminated' });
      }
      case 'sasl-response':
      case 'sasl-cancel': {
        const state = this.state;
        if (state.kind !== 'not-authenticated' || !state.sasl) return;
        const tag = state.sasl.tag;
        state.sasl = null;
        try {
          if (event.kind === 'sasl-cancel') throw errors.saslCancelled();
          return await this.reply(tag, await completeSasl(this, event.data));
        } catch (e) {
          return this.fail(tag, e);
        }
      }
    }
  }

  /** Whether a literal of this command may be sent now; the refusal otherwise. */
  private literalRefusal(lit: LiteralAnnouncement): HandlerResult | null {
    const name = lit.command?.startsWith('UID ') ? lit.command.slice(4) : lit.command;
    const handler = name ? lookupHandler(name === 'EXPUNGE' ? 'UID EXPUNGE' : name) : undefined;
    if (!handler) return errorToResult(errors.unknownCommand(lit.command ?? '')).result;
    if (!handler.states.includes(this.state.kind)) return errorToResult(errors.wrongState()).result;
    if ((name === 'LOGIN' || name === 'AUTHENTICATE') && !this.plaintextAllowed())
      return errorToResult(errors.privacyRequired()).result;
    return null;
  }

  private async dispatch(command: ImapCommand): Promise<void> {
    try {
      if (command.name === 'unknown') throw errors.unknownCommand(command.verb);
      const handler = lookupHandler(command.name);
      if (!handler) throw errors.unknownCommand(command.name);
      if (!handler.states.includes(this.state.kind)) throw errors.wrongState();
      if (!NO_GRANT_CHECK.has(command.name) && !(await this.grantHolds())) return;
      const result = await handler.run(this, command);
      if (result === null) return;
      if (this.state.kind === 'selected')
        await this.flushUpdates({ expunge: handler.expungeAllowed?.(command) ?? true });
      await this.reply(command.tag, result);
      if (result.after) await result.after();
    } catch (e) {
      await this.fail(command.tag, e);
    }
  }

  private async fail(tag: string, e: unknown): Promise<void> {
    if (e instanceof ConnectionClosed || this.finished || this.socket.destroyed) {
      this.socket.destroy();
      return;
    }
    const { result, expected, counted } = errorToResult(e);
    if (!expected) this.log.error({ err: e }, 'imap: command failed');
    await this.reply(tag, result);
    if (counted || (e instanceof ImapError && e.status === 'BAD')) await this.countBad();
  }

  private async reply(tag: string, r: HandlerResult): Promise<void> {
    await this.send(
      taggedResponse(tag, r.status, r.text, { utf8: this.utf8, ...(r.code ? { code: r.code } : {}) }),
    );
    if (this.closeAfterReply) {
      await this.send(untaggedStatus('BYE', 'Dang nhap sai qua nhieu lan / Too many failed sign-ins'));
      this.close();
    }
  }

  private async countBad(): Promise<void> {
    this.badCommands++;
    if (this.badCommands >= this.settings.maxBadCommands && !this.closing) {
      await this.send(untaggedStatus('BYE', 'Qua nhieu lenh sai / Too many bad commands; closing'));
      this.close();
    }
  }
}
