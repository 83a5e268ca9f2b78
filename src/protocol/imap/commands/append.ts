/**
 * APPEND (RFC 9051 §6.3.12) with MULTIAPPEND (RFC 3502), BINARY literal8 (RFC 3516 §4.4) and
 * UTF8=ACCEPT (RFC 6855 §4):
 *   append         = "APPEND" SP mailbox 1*append-message
 *   append-message = append-opts SP append-data
 *   append-opts    = [SP flag-list] [SP date-time]
 *   append-data    = literal / literal8 / "UTF8" SP "(" literal8 ")"
 * Every message literal may be streamed (parser option streamAppendLiteralsOver); the command
 * then refers to the `literal-data` events by id. MULTIAPPEND is all-or-nothing (RFC 3502 §6.3.11):
 * the session must store every message or none.
 */
import type { ImapDateTime } from '../datetime.ts';
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export type MessageContent =
  | { readonly kind: 'buffered'; readonly literalId: number; readonly bytes: Uint8Array }
  /** The octets went out as `literal-data` events with this literal id. */
  | { readonly kind: 'streamed'; readonly literalId: number; readonly size: number };

export interface AppendMessage {
  /** May contain flag-extensions (`\Foo`); "\Recent" is refused by the grammar. */
  readonly flags: readonly string[];
  readonly internalDate?: ImapDateTime;
  readonly content: MessageContent;
  readonly size: number;
  /** Sent as literal8 (may contain NUL; RFC 3516). */
  readonly binary: boolean;
  /** Sent as `UTF8 (~{n}…)` (RFC 6855 §4): a message with UTF-8 headers. */
  readonly utf8: boolean;
}

export interface AppendCommand {
  readonly name: 'APPEND';
  readonly tag: string;
  readonly mailbox: string;
  /** One message, or several for MULTIAPPEND. */
  readonly messages: readonly AppendMessage[];
}

export const append: CommandSpec<AppendCommand> = {
  name: 'APPEND',
  states: AUTHENTICATED,
  rfc: 'RFC 9051 §6.3.12, RFC 3502, RFC 3516, RFC 6855',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    const messages: AppendMessage[] = [];
    do {
      r.sp();
      r.arg();
      let flags: string[] = [];
      let internalDate: ImapDateTime | undefined;
      if (r.peek() === 0x28) {
        flags = r.flagList();
        r.sp();
      }
      if (r.peek() === 0x22) {
        internalDate = r.dateTime();
        r.sp();
      }
      let utf8 = false;
      if (r.tryWord('UTF8')) {
        if (!r.ctx.utf8) r.fail('UTF8 append data needs UTF8=ACCEPT to be enabled');
        r.sp();
        r.expect(0x28, '"(" before the UTF8 literal8');
        if (!r.atLiteral() || r.peek() !== 0x7e) r.fail('expected a literal8 (~{n}) in UTF8 append data');
        utf8 = true;
      } else if (!r.atLiteral()) {
        r.fail('expected the message as a literal');
      }
      const lit = r.literal({ binary: true, streamed: true });
      if (utf8) r.expect(0x29, '")" after the UTF8 literal8');
      const content: MessageContent =
        lit.data === null
          ? { kind: 'streamed', literalId: lit.id, size: lit.size }
          : { kind: 'buffered', literalId: lit.id, bytes: lit.data };
      messages.push({
        flags,
        ...(internalDate ? { internalDate } : {}),
        content,
        size: lit.size,
        binary: lit.binary,
        utf8,
      });
    } while (!r.atEnd());
    return { name: 'APPEND', tag: head.tag, mailbox, messages };
  },
};
