/**
 * Helpers for the codec's tests (imported only by *.test.ts): drive an ImapCommandParser the way
 * a session would, accepting every synchronising literal unless told otherwise.
 */
import type { ImapCommand } from './commands.ts';
import type { ImapProtocolError } from './errors.ts';
import type { ImapParserOptions } from './limits.ts';
import { ImapCommandParser, type LiteralAnnouncement, type ParseEvent } from './parser.ts';

export const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
export const latin1Bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
export const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

export interface DriveOptions {
  readonly parser?: ImapCommandParser;
  readonly options?: Partial<ImapParserOptions>;
  /** Split the input into chunks ending at these offsets (sorted); default: one chunk. */
  readonly splits?: readonly number[];
  /** Decide on a literal; default: accept every synchronising one. */
  readonly onLiteral?: (literal: LiteralAnnouncement) => 'accept' | 'reject' | 'continue';
}

/** Feed input, collect every event but needs-more-data. */
export function drive(input: Uint8Array | string, options: DriveOptions = {}): ParseEvent[] {
  const data = typeof input === 'string' ? bytes(input) : input;
  const parser = options.parser ?? new ImapCommandParser(options.options);
  const events: ParseEvent[] = [];
  const cuts = [...(options.splits ?? []).filter((s) => s > 0 && s < data.length), data.length];
  let from = 0;
  for (const cut of cuts) {
    parser.push(data.subarray(from, cut));
    from = cut;
    for (let guard = 0; guard < 1_000_000; guard++) {
      const ev = parser.next();
      if (ev.kind === 'needs-more-data') break;
      events.push(ev);
      if (ev.kind === 'needs-literal' || ev.kind === 'literal-announced') {
        const decision =
          options.onLiteral?.(ev.literal) ?? (ev.kind === 'needs-literal' ? 'accept' : 'continue');
        if (decision === 'accept') parser.acceptLiteral();
        else if (decision === 'reject') parser.rejectLiteral();
      }
    }
  }
  return events;
}

export const commandsOf = (events: readonly ParseEvent[]): ImapCommand[] =>
  events.flatMap((e) => (e.kind === 'command' ? [e.command] : []));

export const errorsOf = (events: readonly ParseEvent[]): ImapProtocolError[] =>
  events.flatMap((e) => (e.kind === 'error' ? [e.error] : []));

/** Parse input that must hold exactly one command and no error. */
export function parseOne(input: string | Uint8Array, options: Partial<ImapParserOptions> = {}): ImapCommand {
  const events = drive(input, { options });
  const errors = errorsOf(events);
  if (errors.length > 0) throw new Error(`unexpected error: ${errors[0]!.text.en}`);
  const commands = commandsOf(events);
  if (commands.length !== 1) throw new Error(`expected one command, got ${commands.length}`);
  return commands[0]!;
}

/** Parse input that must give exactly one error and no command. */
export function parseError(
  input: string | Uint8Array,
  options: Partial<ImapParserOptions> = {},
): ImapProtocolError {
  const events = drive(input, { options });
  const commands = commandsOf(events);
  if (commands.length > 0) throw new Error(`expected an error, got command ${commands[0]!.name}`);
  const errors = errorsOf(events);
  if (errors.length !== 1) throw new Error(`expected one error, got ${errors.length}`);
  return errors[0]!;
}
