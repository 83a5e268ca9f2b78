/**
 * IDLE (RFC 9051 §6.3.13, RFC 2177): `idle = "IDLE" CRLF "DONE"`. The command itself has no
 * arguments; after answering `+ idling` the session calls `parser.beginIdle(tag)`, and the parser
 * then reads exactly one line that must be DONE (an `idle-done` event) or is an error.
 */
import { AUTHENTICATED, bareCommand, type BareCommand } from './spec.ts';

export type IdleCommand = BareCommand<'IDLE'>;
export const idle = bareCommand('IDLE', AUTHENTICATED, 'RFC 9051 §6.3.13');
