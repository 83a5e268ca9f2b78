/**
 * IMAP ENVELOPE (RFC 9051 §7.5.2, RFC 3501 §7.4.2) as ready-to-send text, from an indexed message.
 *
 * Layout: `(date subject from sender reply-to to cc bcc in-reply-to message-id)`.
 * - date, subject, in-reply-to, message-id: the raw header text (unfolded, trimmed; RFC 2047 encoded
 *   words NOT decoded, clients decode them). NIL when the field is absent, "" when present but empty.
 * - address lists: `((name route mailbox host)…)` without spaces between addresses (RFC 9051 §9
 *   `env-from = "(" 1*address ")" / nil`); NIL when absent or empty. Sender and Reply-To default to
 *   From when absent or empty ("the server sets the corresponding member … to … from").
 * - groups (RFC 5322 §3.4): `(NIL NIL "name" NIL)` opens, `(NIL NIL NIL NIL)` closes.
 * - an address without a domain gets the host ".MISSING-HOST-NAME." (the c-client convention): a NIL
 *   host would read as a group marker.
 * - strings are quoted or literals per imap-string.ts; `utf8` is the client's UTF8=ACCEPT state. Text
 *   is never downgraded: without UTF8=ACCEPT, 8-bit header text (RFC 6532) goes as a literal.
 */
import type { ParsedAddress } from './address-list.ts';
import { imapString } from './imap-string.ts';
import type { ImapStringOptions } from './imap-string.ts';
import type { Envelope } from './structure.ts';

export const MISSING_HOST = '.MISSING-HOST-NAME.';

/** One address structure. */
export function renderAddress(a: ParsedAddress, o: ImapStringOptions): string {
  switch (a.kind) {
    case 'group-start':
      return `(NIL NIL ${imapString(a.name ?? '', o)} NIL)`;
    case 'group-end':
      return '(NIL NIL NIL NIL)';
    default:
      return `(${imapString(a.name, o)} ${imapString(a.route, o)} ${imapString(a.mailbox ?? '', o)} ${imapString(
        a.host ?? MISSING_HOST,
        o,
      )})`;
  }
}

/** A parenthesised address list, or NIL when there is none. */
export function renderAddressList(list: readonly ParsedAddress[] | null, o: ImapStringOptions): string {
  if (list === null || list.length === 0) return 'NIL';
  let out = '(';
  for (const a of list) out += renderAddress(a, o);
  return `${out})`;
}

function orFrom(
  list: readonly ParsedAddress[] | null,
  from: readonly ParsedAddress[] | null,
): readonly ParsedAddress[] | null {
  return list === null || list.length === 0 ? from : list;
}

/** The ENVELOPE value of a message entity (the top-level message or an encapsulated one). */
export function renderEnvelope(env: Envelope | null, options: ImapStringOptions): string {
  if (env === null) return '(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)';
  const o = options;
  const fields = [
    imapString(env.date, o),
    imapString(env.subject, o),
    renderAddressList(env.from, o),
    renderAddressList(orFrom(env.sender, env.from), o),
    renderAddressList(orFrom(env.replyTo, env.from), o),
    renderAddressList(env.to, o),
    renderAddressList(env.cc, o),
    renderAddressList(env.bcc, o),
    imapString(env.inReplyTo, o),
    imapString(env.messageId, o),
  ];
  return `(${fields.join(' ')})`;
}
