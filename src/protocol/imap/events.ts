/**
 * What the incremental parser (parser.ts) hands to the session: one event per call of next().
 */
import type { ImapCommand } from './commands.ts';
import type { ImapProtocolError } from './errors.ts';

export interface LiteralAnnouncement {
  /** The command's tag (a command whose tag cannot be read is refused before any literal). */
  readonly tag: string;
  /** Upper case, `UID FETCH` for UID commands; null when not readable. */
  readonly command: string | null;
  readonly literalId: number;
  readonly size: number;
  readonly binary: boolean;
  readonly synchronizing: boolean;
  /** Its octets will come as `literal-data` events rather than inside the command. */
  readonly streamed: boolean;
}

export type ParseEvent =
  | { readonly kind: 'needs-more-data' }
  | { readonly kind: 'command'; readonly command: ImapCommand }
  | { readonly kind: 'needs-literal'; readonly literal: LiteralAnnouncement }
  | { readonly kind: 'literal-announced'; readonly literal: LiteralAnnouncement }
  | {
      readonly kind: 'literal-data';
      readonly literalId: number;
      readonly data: Uint8Array;
      readonly done: boolean;
    }
  | { readonly kind: 'error'; readonly error: ImapProtocolError }
  | { readonly kind: 'idle-done' }
  | { readonly kind: 'sasl-response'; readonly data: Uint8Array }
  | { readonly kind: 'sasl-cancel' };
