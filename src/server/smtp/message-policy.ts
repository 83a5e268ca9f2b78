/**
 * Rules applied to a received message once its end of data has arrived, before anything is
 * stored, and the trace fields we prepend.
 *
 * - Loops (RFC 5321 §6.3; catalogue SMTP-21): more than `maxReceived` Received fields → 554 5.4.6.
 * - Attachments (Điều 9.1.b): the decoded size of all attachments (MIME indexer,
 *   `attachmentsDecodedBytes`) may total `maxAttachmentBytes` (50 MB); more → 552 5.3.4 with the
 *   figures, so the sender knows what to change. The SMTP SIZE limit is larger (base64 costs 4/3).
 * - From (RFC 5322 §3.6.2; SMTP-15 c/d): exactly one From field holding exactly one mailbox. Its
 *   address is what the submission send-as rule and the MX DMARC rule look at.
 * - Received (RFC 5321 §4.4): `from <helo> ([ip]) by <host> with <protocol> id <id>`, plus
 *   the authenticated identity on submission, and `for <rcpt>` only with a single recipient (never
 *   reveal Bcc recipients to each other).
 */
import {
  getFields,
  headerText,
  indexMessage,
  parseAddressList,
  parseHeaderBlock,
  type MessageIndex,
} from '../../mail/index.ts';
import { countReceived } from '../../filter/index.ts';
import { SmtpReply } from './errors.ts';
import { REPLIES, withText } from './replies.ts';

export function checkLoop(content: Buffer, maxReceived: number): void {
  if (countReceived(content) > maxReceived) throw new SmtpReply(REPLIES.loop);
}

const mb = (n: number): string => (n / 1_000_000).toFixed(1);

export function checkAttachments(content: Buffer, maxAttachmentBytes: number): MessageIndex {
  const index = indexMessage(content);
  const total = index.attachmentsDecodedBytes;
  if (total > maxAttachmentBytes)
    throw new SmtpReply(
      withText(REPLIES.attachmentsTooBig, {
        vi: `Tổng dung lượng tệp đính kèm là ${mb(total)} MB, vượt quá ${mb(maxAttachmentBytes)} MB cho một thư (Điều 9.1.b); hãy chia thành nhiều thư`,
        en: `The attachments total ${mb(total)} MB, over the limit of ${mb(maxAttachmentBytes)} MB per message (Điều 9.1.b); split them over several messages`,
      }),
    );
  return index;
}

/**
 * The address of the single From mailbox, lower-cased domain; null when there is not exactly one
 * From field with exactly one mailbox (groups, lists and missing domains count as not one).
 */
export function singleFromAddress(content: Buffer): string | null {
  const block = parseHeaderBlock(content);
  const fields = getFields(block.fields, 'from');
  if (fields.length !== 1) return null;
  const list = parseAddressList(headerText(fields[0]!.value));
  if (list.length !== 1) return null;
  const only = list[0]!;
  if (only.kind !== 'mailbox' || !only.mailbox || !only.host) return null;
  return `${only.mailbox}@${only.host.toLowerCase()}`;
}

/** Every address of the Sender field(s), for the send-as rule; [] when there is none. */
export function senderAddresses(content: Buffer): string[] | null {
  const block = parseHeaderBlock(content);
  const fields = getFields(block.fields, 'sender');
  if (fields.length === 0) return [];
  const out: string[] = [];
  for (const f of fields)
    for (const a of parseAddressList(headerText(f.value))) {
      if (a.kind !== 'mailbox') continue;
      if (!a.mailbox || !a.host) return null;
      out.push(`${a.mailbox}@${a.host.toLowerCase()}`);
    }
  return out;
}

/** RFC 5322 §3.3 date-time in UTC, e.g. `Mon, 02 Nov 2026 02:00:00 +0000`. */
export function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

const clean = (s: string): string => s.replace(/[^\x21-\x7e]/g, '?').slice(0, 255);
const cleanText = (s: string): string => s.replace(/[^\x20-\x7e]|[()\\]/g, '?').slice(0, 255);

export function receivedField(o: {
  helo: string;
  ip: string;
  hostname: string;
  protocol: string;
  id: string;
  recipients: readonly string[];
  tls: string | null;
  authenticatedAs: string | null;
  at: Date;
}): string {
  const lines = [`Received: from ${clean(o.helo || 'unknown')} ([${clean(o.ip)}])`];
  lines.push(`\tby ${clean(o.hostname)} (Congthu) with ${clean(o.protocol)} id ${clean(o.id)}`);
  if (o.tls) lines.push(`\t(${cleanText(o.tls)})`);
  if (o.authenticatedAs) lines.push(`\t(authenticated sender: ${clean(o.authenticatedAs)})`);
  const forClause = o.recipients.length === 1 ? `for <${clean(o.recipients[0]!)}>` : '';
  lines.push(`\t${forClause}; ${rfc5322Date(o.at)}`);
  return `${lines.join('\r\n')}\r\n`;
}
