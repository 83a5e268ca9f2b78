/**
 * Delivery status notifications (RFC 3464) about queued mail, composed with nodemailer's MIME
 * builder:
 *
 *   multipart/report; report-type=delivery-status        (RFC 6522)
 *     text/plain; charset=utf-8     the explanation, Vietnamese first, then English
 *     message/delivery-status       per-message and per-recipient fields (RFC 3464 §2.2, §2.3)
 *     text/rfc822-headers           the original message's header (RFC 6522 §4; not the body:
 *                                   the sender has it, and it may be large or sensitive)
 *
 * The DSN is sent with the null reverse-path (RFC 5321 §4.5.5) and `Auto-Submitted:
 * auto-replied` (RFC 3834), so nothing answers it; the queue never writes a DSN about a message
 * whose reverse-path is null. Action `delayed` carries `Will-Retry-Until`; Action `failed` the
 * final status (5.x.x from the remote, or 4.4.7 when the lifetime ran out, RFC 3463).
 */
import MimeNode from 'nodemailer/lib/mime-node';
import { decodeHeaderValue, findHeaderEnd, getField, parseHeaderBlock } from '../mail/index.ts';

export interface DsnRecipientReport {
  address: string;
  action: 'delayed' | 'failed';
  status: string;
  /** The remote server's reply or our own description. */
  diagnostic: string | null;
  remoteMta: string | null;
  lastAttemptAt: Date | null;
  willRetryUntil: Date | null;
}

export interface DsnInput {
  reportingMta: string;
  /** Our postmaster domain, for the From address and Message-ID. */
  domain: string;
  /** The original reverse-path: the recipient of this DSN. */
  to: string;
  queueId: string;
  arrivalDate: Date;
  now: Date;
  recipients: DsnRecipientReport[];
  /** The original message (its header is attached). */
  original: Buffer;
}

function rfc5322Date(d: Date): string {
  // RFC 5322 §3.3, in UTC: "Mon, 02 Nov 2026 02:00:00 +0000".
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** Viet Nam time for the human-readable part (UTC+7, no daylight saving). */
function vnTime(d: Date): string {
  const t = new Date(d.getTime() + 7 * 3_600_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(t.getUTCHours())}:${p(t.getUTCMinutes())} ngày ${p(t.getUTCDate())}/${p(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} (giờ Việt Nam)`;
}

/** RFC 3464 §2.1.1 / RFC 6533: an address as a DSN field value; non-ASCII in the utf-8 type. */
function addressField(address: string): string {
  if (/^[\x21-\x7e]+$/.test(address)) return `rfc822; ${address}`;
  const escaped = [...address]
    .map((c) =>
      /[\x21-\x7e]/.test(c) && c !== '\\' ? c : `\\x{${c.codePointAt(0)!.toString(16).toUpperCase()}}`,
    )
    .join('');
  return `utf-8; ${escaped}`;
}

function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

function explain(r: DsnRecipientReport): { vi: string; en: string } {
  const why = r.diagnostic ? ` (${r.diagnostic})` : '';
  if (r.action === 'delayed')
    return {
      vi: `- ${r.address}: chưa gửi được, hệ thống sẽ tiếp tục thử${r.willRetryUntil ? ` đến ${vnTime(r.willRetryUntil)}` : ''}${why}`,
      en: `- ${r.address}: not delivered yet; still trying${r.willRetryUntil ? ` until ${rfc5322Date(r.willRetryUntil)}` : ''}${why}`,
    };
  if (r.status === '4.4.7')
    return {
      vi: `- ${r.address}: không gửi được sau nhiều lần thử, đã hết thời hạn gửi${why}`,
      en: `- ${r.address}: could not be delivered; the delivery time expired${why}`,
    };
  return {
    vi: `- ${r.address}: máy chủ nhận từ chối thư${why}`,
    en: `- ${r.address}: the receiving server refused the message${why}`,
  };
}

function headerOf(original: Buffer): Buffer {
  const end = findHeaderEnd(original, 0, Math.min(original.length, 256 * 1024));
  return original.subarray(0, end);
}

function originalSubject(header: Buffer): string | null {
  const field = getField(parseHeaderBlock(header).fields, 'subject');
  return field
    ? decodeHeaderValue(field.value)
        .replace(/[\r\n]+/g, ' ')
        .slice(0, 200)
    : null;
}

export async function composeDsn(input: DsnInput): Promise<Buffer> {
  const anyFailed = input.recipients.some((r) => r.action === 'failed');
  const header = headerOf(input.original);
  const lines = input.recipients.map(explain);
  const orig = originalSubject(header);
  const subject = anyFailed
    ? 'Thư không gửi được / Undelivered mail returned to sender'
    : 'Thư chưa gửi được, đang thử lại / Delivery delayed, still trying';

  const text = [
    'Đây là thư tự động của Hệ thống thư điện tử công vụ tỉnh Quảng Trị.',
    '',
    anyFailed
      ? `Thư của đồng chí gửi lúc ${vnTime(input.arrivalDate)} không gửi được đến người nhận dưới đây:`
      : `Thư của đồng chí gửi lúc ${vnTime(input.arrivalDate)} chưa gửi được đến người nhận dưới đây:`,
    ...(orig ? [`Tiêu đề: ${orig}`] : []),
    '',
    ...lines.map((l) => l.vi),
    '',
    anyFailed
      ? 'Xin kiểm tra lại địa chỉ người nhận hoặc liên hệ bộ phận quản trị thư điện tử của cơ quan.'
      : 'Đồng chí không cần gửi lại; khi thư gửi được sẽ không có thông báo khác.',
    'Phần đầu thư gốc được đính kèm.',
    '',
    '--- English ---',
    '',
    'This is an automatic message from the official e-mail system of Quang Tri province.',
    '',
    anyFailed
      ? `Your message of ${rfc5322Date(input.arrivalDate)} could not be delivered to:`
      : `Your message of ${rfc5322Date(input.arrivalDate)} has not been delivered yet to:`,
    ...(orig ? [`Subject: ${orig}`] : []),
    '',
    ...lines.map((l) => l.en),
    '',
    anyFailed
      ? 'Please check the address or contact your e-mail administrator.'
      : 'You do not need to resend it; you will not be told again when it is delivered.',
    "The original message's header is attached.",
    '',
  ].join('\r\n');

  const perMessage = [
    `Reporting-MTA: dns; ${input.reportingMta}`,
    `X-Congthu-Queue-ID: ${input.queueId}`,
    `Arrival-Date: ${rfc5322Date(input.arrivalDate)}`,
  ];
  const perRecipient = input.recipients.map((r) =>
    [
      `Final-Recipient: ${addressField(r.address)}`,
      `Action: ${r.action}`,
      `Status: ${r.status}`,
      ...(r.remoteMta ? [`Remote-MTA: dns; ${ascii(r.remoteMta)}`] : []),
      ...(r.diagnostic ? [`Diagnostic-Code: smtp; ${ascii(r.diagnostic)}`] : []),
      ...(r.lastAttemptAt ? [`Last-Attempt-Date: ${rfc5322Date(r.lastAttemptAt)}`] : []),
      ...(r.willRetryUntil && r.action === 'delayed'
        ? [`Will-Retry-Until: ${rfc5322Date(r.willRetryUntil)}`]
        : []),
    ].join('\r\n'),
  );
  const status = [perMessage.join('\r\n'), ...perRecipient].join('\r\n\r\n') + '\r\n';

  const root = new MimeNode('multipart/report; report-type=delivery-status', {
    hostname: input.reportingMta,
    newline: 'win',
  });
  const postmaster = `MAILER-DAEMON@${input.domain}`;
  root.setHeader({
    From: `"Hệ thống thư điện tử công vụ / Mail Delivery System" <${postmaster}>`,
    To: input.to,
    Subject: subject,
    Date: rfc5322Date(input.now),
    'Auto-Submitted': 'auto-replied',
    'MIME-Version': '1.0',
  });
  root.createChild('text/plain; charset=utf-8').setContent(text);
  root.createChild('message/delivery-status').setContent(status);
  root.createChild('text/rfc822-headers').setContent(header);
  return root.build();
}
