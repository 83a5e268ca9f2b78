/**
 * The incremental IMAP command parser: bytes in, typed events out, no I/O (DESIGN.md convention 3).
 *
 * Use:
 *   parser.push(chunk);                       // as bytes arrive, in any chunking
 *   for (let ev = parser.next(); ev.kind !== 'needs-more-data'; ev = parser.next()) { … }
 *
 * Events:
 *   command            a complete command (commands.ts)
 *   needs-literal      a synchronising literal `{n}` / `~{n}` was announced (RFC 9051 §4.3): the
 *                      session answers `+ …` and calls acceptLiteral(), or answers `tag NO/BAD`
 *                      and calls rejectLiteral(); until then next() repeats this event
 *   literal-announced  a non-synchronising literal `{n+}` (RFC 7888) within the limits: the
 *                      session may refuse it with rejectLiteral() (the parser then reads and drops
 *                      its octets and the rest of the command) or just go on with next()
 *   literal-data       octets of an APPEND literal streamed out (option streamAppendLiteralsOver)
 *   error              an ImapProtocolError: answer with its tag/status/code/text; if `fatal`,
 *                      answer and close (the parser then ignores further input)
 *   idle-done / sasl-response / sasl-cancel   after beginIdle() / beginSaslResponse()
 *
 * Framing: a command is lines plus literals. A line ending (outside a quoted string) in
 * `{n}`, `{n+}`, `~{n}` or `~{n+}` announces a literal of n octets, after which the command goes
 * on with the next line; anything else ends the command. Lines end at LF (a preceding CR is
 * dropped). After an error the parser resynchronises at the end of that command — including
 * reading past the octets of any non-synchronising literal the client is sending, so that literal
 * data is never taken for commands (CRLF/command injection).
 *
 * Bounds: at most maxLineLength octets of an unfinished line are held (a longer line is scanned
 * and dropped in constant memory), a command's lines and literals are capped, literal buffers
 * grow with the octets actually received (at most twice those), and nothing recurses.
 */
import { decodeBase64Strict } from './base64.ts';
import { parseCommandFrame, readCommandHead } from './commands.ts';
import { ImapProtocolError, type ImapProtocolErrorInit } from './errors.ts';
import { literalSpecAtEnd, scanQuotes, type FramedLiteral, type LiteralSpec } from './frame.ts';
import type { LiteralAnnouncement, ParseEvent } from './events.ts';
import { LITERAL_MINUS_MAX, resolveParserOptions, type ImapParserOptions } from './limits.ts';
import { latin1 } from './mutf7.ts';

export type { LiteralAnnouncement, ParseEvent } from './events.ts';

type Phase = 'line' | 'decision' | 'literal' | 'skip' | 'discard-line' | 'dead';

interface MutableLiteral {
  id: number;
  size: number;
  binary: boolean;
  synchronizing: boolean;
  data: Uint8Array | null;
  hasNul: boolean;
  streamed: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const NEEDS_MORE: ParseEvent = Object.freeze({ kind: 'needs-more-data' });
const SMALL_LINE = 256;
const EMPTY = new Uint8Array(0);
const TAIL = 32;

export class ImapCommandParser {
  private opts: ImapParserOptions;
  private readonly input: Uint8Array[] = [];
  private inputHead = 0;
  private inputOffset = 0;
  private inputBytes = 0;

  private phase: Phase = 'line';
  private mode: 'command' | 'idle' | 'sasl' = 'command';
  private modeTag: string | null = null;

  private lineBuf = new Uint8Array(SMALL_LINE);
  private lineLen = 0;

  private discardQuote = 0;
  private readonly tail = new Uint8Array(TAIL);
  private tailLen = 0;

  private lines: Uint8Array[] = [];
  private literals: MutableLiteral[] = [];
  private commandBytes = 0;
  private head: { tag: string | null; verb: string | null } = { tag: null, verb: null };
  private discarding = false;

  private current: MutableLiteral | null = null;
  private fill = 0;
  private remaining = 0;
  private announced: LiteralAnnouncement | null = null;
  private announcedUntouched = false;
  private nextLiteralId = 1;

  constructor(options: Partial<ImapParserOptions> = {}) {
    this.opts = resolveParserOptions(options);
  }

  get options(): Readonly<ImapParserOptions> {
    return this.opts;
  }

  /** Change limits or switches (e.g. after LOGIN, ENABLE UTF8=ACCEPT); applies to what comes next. */
  setOptions(partial: Partial<ImapParserOptions>): void {
    this.opts = resolveParserOptions(partial, this.opts);
  }

  /** Octets pushed but not yet parsed: the session should stop reading the socket above a cap. */
  get bufferedBytes(): number {
    return this.inputBytes;
  }

  /** Memory the parser holds for the current line and command (excluding unparsed input). */
  get retainedBytes(): number {
    let n = this.lineBuf.length;
    for (const l of this.lines) n += l.length;
    for (const l of this.literals) n += l.data?.length ?? 0;
    return n;
  }

  /** A fatal error happened: the connection must be closed; input is ignored. */
  get closed(): boolean {
    return this.phase === 'dead';
  }

  push(chunk: Uint8Array): void {
    if (this.phase === 'dead' || chunk.length === 0) return;
    this.input.push(chunk);
    this.inputBytes += chunk.length;
  }

  /** The next event; 'needs-more-data' when the input so far holds no more. Never throws. */
  next(): ParseEvent {
    try {
      return this.step();
    } catch {
      return this.fatal({
        reason: 'internal',
        tag: this.head.tag,
        status: 'BYE',
        code: 'SERVERBUG',
        message: 'Internal error in the command parser',
      });
    }
  }

  /** After 'needs-literal': the session sent `+ …`; read the literal. */
  acceptLiteral(): boolean {
    if (this.phase !== 'decision' || !this.current) return false;
    this.startLiteral(this.current);
    return true;
  }

  /**
   * Refuse the literal just announced. For a synchronising literal the client sends nothing more
   * of this command; for a non-synchronising one the parser reads and drops its octets and the
   * rest of the command. The session sends the tagged answer itself.
   */
  rejectLiteral(): boolean {
    if (this.phase === 'decision') {
      this.endCommand();
      return true;
    }
    const lit = this.current;
    if (this.phase === 'literal' && this.announcedUntouched && lit && !lit.synchronizing) {
      this.resetCommand();
      this.discarding = true;
      this.startSkip(lit.size);
      return true;
    }
    return false;
  }

  /** After answering IDLE with `+ idling`: the next line must be DONE (RFC 2177). */
  beginIdle(tag: string): boolean {
    return this.beginMode('idle', tag);
  }

  /** After a `+ challenge` to AUTHENTICATE: the next line is a base64 response or "*". */
  beginSaslResponse(tag: string): boolean {
    return this.beginMode('sasl', tag);
  }

  private beginMode(mode: 'idle' | 'sasl', tag: string): boolean {
    if (this.phase !== 'line' || this.lines.length > 0 || this.discarding || this.lineLen > 0) return false;
    this.mode = mode;
    this.modeTag = tag;
    return true;
  }

  // ---- input -------------------------------------------------------------------------------

  private chunk(): Uint8Array | null {
    const first = this.input[this.inputHead];
    if (!first) return null;
    return this.inputOffset === 0 ? first : first.subarray(this.inputOffset);
  }

  private consume(n: number): void {
    this.inputBytes -= n;
    const first = this.input[this.inputHead]!;
    this.inputOffset += n;
    if (this.inputOffset >= first.length) {
      this.input[this.inputHead] = EMPTY;
      this.inputHead++;
      this.inputOffset = 0;
      // Drop consumed chunks in bulk rather than shifting one by one (no quadratic queue).
      if (this.inputHead === this.input.length) {
        this.input.length = 0;
        this.inputHead = 0;
      } else if (this.inputHead > 1024) {
        this.input.splice(0, this.inputHead);
        this.inputHead = 0;
      }
    }
  }

  private dropInput(): void {
    this.input.length = 0;
    this.inputHead = 0;
    this.inputOffset = 0;
    this.inputBytes = 0;
  }

  // ---- the state machine -------------------------------------------------------------------

  private step(): ParseEvent {
    for (;;) {
      switch (this.phase) {
        case 'dead':
          this.dropInput();
          return NEEDS_MORE;
        case 'decision':
          return { kind: 'needs-literal', literal: this.announced! };
        case 'literal': {
          if (this.remaining > 0 && !this.chunk()) return NEEDS_MORE;
          const ev = this.readLiteral();
          if (ev) return ev;
          break;
        }
        case 'skip': {
          if (this.remaining === 0) {
            this.phase = 'line';
            break;
          }
          const c = this.chunk();
          if (!c) return NEEDS_MORE;
          const n = Math.min(this.remaining, c.length);
          this.consume(n);
          this.remaining -= n;
          break;
        }
        case 'line': {
          const c = this.chunk();
          if (!c) return NEEDS_MORE;
          const lf = c.indexOf(LF);
          const take = lf < 0 ? c.length : lf;
          if (this.lineLen + take > this.opts.maxLineLength + 1) {
            const ev = this.overflow(c, take);
            if (ev) return ev;
            break;
          }
          this.appendLine(c.subarray(0, take));
          this.consume(lf < 0 ? take : take + 1);
          if (lf < 0) break;
          let len = this.lineLen;
          if (len > 0 && this.lineBuf[len - 1] === CR) len--;
          this.lineLen = 0;
          const ev = this.onLine(this.lineBuf.subarray(0, len));
          // onLine copied what it keeps: give back a large line buffer (idle connections stay small).
          if (this.lineBuf.length > 4096) this.lineBuf = new Uint8Array(SMALL_LINE);
          if (ev) return ev;
          break;
        }
        case 'discard-line': {
          const c = this.chunk();
          if (!c) return NEEDS_MORE;
          const lf = c.indexOf(LF);
          const take = lf < 0 ? c.length : lf;
          const part = c.subarray(0, take);
          this.discardQuote = scanQuotes(part, this.discardQuote);
          this.pushTail(part);
          this.consume(lf < 0 ? take : take + 1);
          if (lf < 0) break;
          let len = this.tailLen;
          if (len > 0 && this.tail[len - 1] === CR) len--;
          const spec = this.discardQuote === 0 ? literalSpecAtEnd(this.tail, len) : null;
          this.tailLen = 0;
          this.discardQuote = 0;
          this.phase = 'line';
          this.mode = 'command';
          this.modeTag = null;
          const ev = this.afterDiscardedLine(spec);
          if (ev) return ev;
          break;
        }
      }
    }
  }

  private appendLine(bytes: Uint8Array): void {
    const need = this.lineLen + bytes.length;
    if (need > this.lineBuf.length) {
      let size = this.lineBuf.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(Math.min(size, this.opts.maxLineLength + 2));
      grown.set(this.lineBuf.subarray(0, this.lineLen));
      this.lineBuf = grown;
    }
    this.lineBuf.set(bytes, this.lineLen);
    this.lineLen = need;
  }

  private pushTail(bytes: Uint8Array): void {
    if (bytes.length >= TAIL) {
      this.tail.set(bytes.subarray(bytes.length - TAIL));
      this.tailLen = TAIL;
      return;
    }
    const keep = Math.min(this.tailLen, TAIL - bytes.length);
    this.tail.copyWithin(0, this.tailLen - keep, this.tailLen);
    this.tail.set(bytes, keep);
    this.tailLen = keep + bytes.length;
  }

  /** The current line is longer than maxLineLength: answer now, drop the rest of the line. */
  private overflow(c: Uint8Array, take: number): ParseEvent | null {
    const held = this.lineBuf.subarray(0, this.lineLen);
    let ev: ParseEvent | null = null;
    if (!this.discarding) {
      if (this.mode !== 'command') {
        ev = this.errorEvent({
          reason: 'line-too-long',
          tag: this.modeTag,
          status: 'BAD',
          code: 'TOOBIG',
          message: 'Line too long',
        });
      } else {
        if (this.lines.length === 0) {
          const prefix = new Uint8Array(Math.min(1100, held.length + take));
          prefix.set(held.subarray(0, prefix.length));
          if (held.length < prefix.length)
            prefix.set(c.subarray(0, prefix.length - held.length), held.length);
          this.head = readCommandHead(prefix);
        }
        ev = this.errorEvent({
          reason: 'line-too-long',
          tag: this.head.tag,
          status: 'BAD',
          code: 'TOOBIG',
          message: `Command line too long (more than ${this.opts.maxLineLength} octets)`,
        });
      }
    }
    this.resetCommand();
    this.discarding = true;
    this.discardQuote = scanQuotes(held, 0);
    this.tailLen = 0;
    this.pushTail(held);
    this.lineLen = 0;
    this.lineBuf = new Uint8Array(SMALL_LINE);
    this.phase = 'discard-line';
    return ev;
  }

  /** A whole line (CRLF removed) in 'line' phase. */
  private onLine(line: Uint8Array): ParseEvent | null {
    if (this.mode !== 'command') return this.onModeLine(line);
    const first = this.lines.length === 0 && !this.discarding;
    if (first && line.length === 0) return null; // blank lines between commands are ignored
    if (first) this.head = readCommandHead(line);
    const spec = scanQuotes(line, 0) === 0 ? literalSpecAtEnd(line) : null;
    if (this.discarding) return this.afterDiscardedLine(spec);
    if (line.length > this.opts.maxLineLength) {
      return this.refuse(spec, {
        reason: 'line-too-long',
        status: 'BAD',
        code: 'TOOBIG',
        message: `Command line too long (more than ${this.opts.maxLineLength} octets)`,
      });
    }
    this.commandBytes += line.length;
    if (this.commandBytes > this.commandLimit()) {
      return this.refuse(spec, {
        reason: 'command-too-large',
        status: this.isAppend() ? 'NO' : 'BAD',
        code: 'TOOBIG',
        message: 'Command too large',
      });
    }
    this.lines.push(line.slice());
    if (!spec) return this.completeCommand();
    return this.onLiteralSpec(spec);
  }

  private isAppend(): boolean {
    return this.head.verb === 'APPEND';
  }

  private commandLimit(): number {
    return this.isAppend() ? this.opts.maxAppendCommandSize : this.opts.maxCommandSize;
  }

  private onLiteralSpec(spec: LiteralSpec): ParseEvent | null {
    const append = this.isAppend();
    const tag = this.head.tag;
    if (tag === null) {
      // No tag to answer with: never ask the session about this literal, answer `* BAD`.
      return this.refuse(spec, { reason: 'syntax', status: 'BAD', message: 'Syntax error: expected a tag' });
    }
    if (!spec.valid) {
      return this.refuse(spec, {
        reason: 'bad-literal',
        status: 'BAD',
        message: 'Literal size is not a number64',
      });
    }
    if (spec.nonSync && this.opts.nonSyncLiterals === 'none') {
      return this.refuse(spec, {
        reason: 'non-sync-literal-refused',
        status: 'BAD',
        message: 'Non-synchronizing literals are not supported',
      });
    }
    if (spec.nonSync && this.opts.nonSyncLiterals === 'minus' && spec.size > LITERAL_MINUS_MAX) {
      // RFC 7888 §4: LITERAL- servers refuse non-synchronizing literals over 4096 octets.
      return this.refuse(spec, {
        reason: 'non-sync-literal-refused',
        status: 'BAD',
        code: 'TOOBIG',
        message: `Non-synchronizing literal larger than ${LITERAL_MINUS_MAX} octets`,
      });
    }
    const limit = append ? this.opts.maxAppendLiteralSize : this.opts.maxLiteralSize;
    if (spec.size > limit) {
      // RFC 7889 / RFC 4469: APPEND too big → NO [TOOBIG]; any other literal → BAD [TOOBIG].
      return this.refuse(spec, {
        reason: 'literal-too-large',
        status: append ? 'NO' : 'BAD',
        code: 'TOOBIG',
        message: `Literal too large (limit ${limit} octets)`,
      });
    }
    if (this.commandBytes + spec.size > this.commandLimit()) {
      return this.refuse(spec, {
        reason: 'command-too-large',
        status: append ? 'NO' : 'BAD',
        code: 'TOOBIG',
        message: 'Command too large',
      });
    }
    if (this.literals.length >= this.opts.maxArguments) {
      return this.refuse(spec, {
        reason: 'too-many-arguments',
        status: 'NO',
        code: 'LIMIT',
        message: 'Too many literals in one command',
      });
    }
    this.commandBytes += spec.size;
    const lit: MutableLiteral = {
      id: this.nextLiteralId++,
      size: spec.size,
      binary: spec.binary,
      synchronizing: !spec.nonSync,
      data: null,
      hasNul: false,
      streamed: append && spec.size > this.opts.streamAppendLiteralsOver,
    };
    this.literals.push(lit);
    this.current = lit;
    this.announced = {
      tag,
      command: this.head.verb,
      literalId: lit.id,
      size: lit.size,
      binary: lit.binary,
      synchronizing: lit.synchronizing,
      streamed: lit.streamed,
    };
    if (lit.synchronizing) {
      this.phase = 'decision';
      return { kind: 'needs-literal', literal: this.announced };
    }
    this.startLiteral(lit);
    this.announcedUntouched = true;
    return { kind: 'literal-announced', literal: this.announced };
  }

  /** Refuse the command at a line ending in `spec` (or in nothing); resynchronise after it. */
  private refuse(
    spec: LiteralSpec | null,
    init: Omit<ImapProtocolErrorInit, 'tag' | 'command'>,
  ): ParseEvent | null {
    const ev = this.errorEvent({ ...init, tag: this.head.tag });
    this.resetCommand();
    this.discarding = true;
    return this.afterDiscardedLine(spec) ?? ev;
  }

  /** The command is being dropped; `spec` ends the line just read. */
  private afterDiscardedLine(spec: LiteralSpec | null): ParseEvent | null {
    if (!spec || !spec.nonSync) {
      // No literal, or a synchronising one: the client waits for a `+` that never comes, so the
      // command ends here.
      this.endCommand();
      return null;
    }
    if (!spec.valid || spec.size > this.opts.maxSkipLiteralSize) {
      return this.fatal({
        reason: spec.valid ? 'literal-too-large' : 'bad-literal',
        tag: this.head.tag,
        status: 'BYE',
        code: 'TOOBIG',
        message: 'Non-synchronizing literal too large to skip; closing',
      });
    }
    this.startSkip(spec.size);
    return null;
  }

  private startSkip(size: number): void {
    this.current = null;
    this.announced = null;
    this.remaining = size;
    this.phase = 'skip';
  }

  private startLiteral(lit: MutableLiteral): void {
    this.phase = 'literal';
    this.fill = 0;
    this.remaining = lit.size;
    if (!lit.streamed) lit.data = new Uint8Array(Math.min(lit.size, 64 * 1024));
  }

  private readLiteral(): ParseEvent | null {
    const lit = this.current!;
    if (this.remaining === 0) {
      this.finishLiteral();
      return lit.streamed
        ? { kind: 'literal-data', literalId: lit.id, data: new Uint8Array(0), done: true }
        : null;
    }
    const c = this.chunk()!;
    const n = Math.min(this.remaining, c.length);
    const part = c.subarray(0, n);
    this.consume(n);
    this.remaining -= n;
    this.announcedUntouched = false;
    if (!lit.hasNul && part.includes(0)) lit.hasNul = true;
    if (lit.streamed) {
      const done = this.remaining === 0;
      if (done) this.finishLiteral();
      return { kind: 'literal-data', literalId: lit.id, data: part, done };
    }
    let data = lit.data!;
    if (this.fill + n > data.length) {
      const grown = new Uint8Array(Math.min(lit.size, Math.max(data.length * 2, this.fill + n)));
      grown.set(data.subarray(0, this.fill));
      data = grown;
      lit.data = grown;
    }
    data.set(part, this.fill);
    this.fill += n;
    if (this.remaining === 0) this.finishLiteral();
    return null;
  }

  private finishLiteral(): void {
    this.current = null;
    this.announced = null;
    this.announcedUntouched = false;
    this.phase = 'line';
  }

  private completeCommand(): ParseEvent {
    const frame = { lines: this.lines, literals: this.literals as readonly FramedLiteral[] };
    this.endCommand();
    const result = parseCommandFrame(frame, {
      utf8: this.opts.utf8,
      maxNesting: this.opts.maxNesting,
      maxArguments: this.opts.maxArguments,
    });
    return result.ok ? { kind: 'command', command: result.command } : { kind: 'error', error: result.error };
  }

  private onModeLine(line: Uint8Array): ParseEvent | null {
    const mode = this.mode;
    const tag = this.modeTag;
    this.mode = 'command';
    this.modeTag = null;
    const spec = scanQuotes(line, 0) === 0 ? literalSpecAtEnd(line) : null;
    if (mode === 'idle' && !spec && line.length === 4 && latin1(line).toUpperCase() === 'DONE') {
      return { kind: 'idle-done' };
    }
    if (mode === 'sasl' && !spec) {
      if (line.length === 1 && line[0] === 0x2a) return { kind: 'sasl-cancel' };
      const data = decodeBase64Strict(line);
      if (data) return { kind: 'sasl-response', data };
    }
    const ev = this.errorEvent(
      mode === 'idle'
        ? { reason: 'idle-expected-done', tag, status: 'BAD', message: 'Expected DONE to end IDLE' }
        : {
            reason: 'sasl-bad-response',
            tag,
            status: 'BAD',
            message: 'Invalid base64 in authentication response',
          },
    );
    this.discarding = true;
    return this.afterDiscardedLine(spec) ?? ev;
  }

  private errorEvent(init: ImapProtocolErrorInit): ParseEvent {
    return { kind: 'error', error: new ImapProtocolError({ command: this.head.verb, ...init }) };
  }

  private fatal(init: ImapProtocolErrorInit): ParseEvent {
    const ev = this.errorEvent({ ...init, fatal: true });
    this.resetCommand();
    this.phase = 'dead';
    this.dropInput();
    return ev;
  }

  private resetCommand(): void {
    this.lines = [];
    this.literals = [];
    this.commandBytes = 0;
    this.current = null;
    this.announced = null;
    this.announcedUntouched = false;
  }

  private endCommand(): void {
    this.resetCommand();
    this.head = { tag: null, verb: null };
    this.discarding = false;
    if (this.phase !== 'dead') this.phase = 'line';
  }
}
