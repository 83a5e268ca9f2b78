/**
 * Putting a message into the outbound queue (the `OutboundQueue.enqueue` port of types.ts).
 *
 * Durable when the promise resolves (catalogue G1): the content is normalised (stray CR/LF,
 * SMTP-03) and DKIM-signed, written as a blob and fsynced (BlobStore.put), and the message row,
 * its recipient rows and the blob reference are committed in one transaction. Only then may the
 * submission server answer 250.
 *
 * Refused (CongthuError 'invalid', nothing stored): no recipients, a malformed address, or a
 * recipient in one of our own domains (those go through the mailbox ingest path; sending them to
 * our own MX would loop).
 */
import { domainToASCII } from 'node:url';
import type { Clock } from '../util/clock.ts';
import { invalid } from '../util/errors.ts';
import { uuidv7 } from '../util/ids.ts';
import { decodeHeaderValue, getField, parseAddressList, parseHeaderBlock } from '../mail/index.ts';
import { putAndReference, type BlobStore, type DataStore } from '../store/index.ts';
import type { DkimSigner } from './dkim.ts';
import { replaceStrayCrLf } from './normalise.ts';
import type { QueueSettings } from './settings.ts';
import type { OutboundMessage } from './types.ts';

export interface EnqueueDeps {
  store: DataStore;
  blobs: BlobStore;
  clock: Clock;
  settings: QueueSettings;
  dkim: DkimSigner | null;
  /** Called after the commit (wakes the runner). */
  onQueued?: () => void;
}

const MAX_RECIPIENTS = 1000; // Postfix smtpd_recipient_limit (REF-03)

/** `local@domain` → the ASCII (A-label) lower-case domain used for routing, or null when malformed. */
export function routingDomain(address: string): string | null {
  if (address.length > 320 || /[\s<>]/.test(address)) return null;
  for (let i = 0; i < address.length; i++)
    if (address.charCodeAt(i) < 0x20 || address.charCodeAt(i) === 0x7f) return null;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  const domain = address.slice(at + 1);
  if (domain.startsWith('['))
    return /^\[[0-9a-fA-F:.]+\]$|^\[IPv6:[0-9a-fA-F:.]+\]$/i.test(domain) ? domain : null;
  const ascii = domainToASCII(domain.replace(/\.$/, '')).toLowerCase();
  if (ascii === '' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(ascii)) return null;
  return ascii;
}

function headerDomain(content: Buffer, name: string): string | null {
  const field = getField(parseHeaderBlock(content).fields, name);
  if (!field) return null;
  const first = parseAddressList(field.value.toString('utf8'), { maxAddresses: 5 }).find(
    (a) => a.kind === 'mailbox',
  );
  return first?.host ? domainToASCII(first.host).toLowerCase() || null : null;
}

function subjectOf(content: Buffer): string | null {
  const field = getField(parseHeaderBlock(content).fields, 'subject');
  return field
    ? decodeHeaderValue(field.value)
        .replace(/[\r\n]+/g, ' ')
        .slice(0, 200)
    : null;
}

export async function enqueueMessage(deps: EnqueueDeps, message: OutboundMessage): Promise<{ id: string }> {
  const bad = (en: string, vi: string): never => {
    throw invalid('queue.invalid', vi, en);
  };
  if (message.mailFrom !== '' && routingDomain(message.mailFrom) === null)
    bad(
      `Invalid envelope sender: ${message.mailFrom.slice(0, 100)}`,
      `Địa chỉ người gửi không hợp lệ: ${message.mailFrom.slice(0, 100)}`,
    );
  const seen = new Map<string, { address: string; domain: string }>();
  for (const address of message.recipients) {
    const domain = routingDomain(address);
    if (domain === null)
      bad(
        `Invalid recipient address: ${address.slice(0, 100)}`,
        `Địa chỉ người nhận không hợp lệ: ${address.slice(0, 100)}`,
      );
    else if (deps.settings.localDomains.includes(domain))
      bad(
        `${address} is a local address; it is delivered to the mailbox, not queued`,
        `${address} là địa chỉ nội bộ; thư được chuyển thẳng vào hộp thư, không qua hàng đợi`,
      );
    else {
      const key = `${address.slice(0, address.lastIndexOf('@'))}@${domain}`;
      if (!seen.has(key)) seen.set(key, { address, domain });
    }
  }
  if (seen.size === 0) bad('No recipients', 'Không có người nhận');
  if (seen.size > MAX_RECIPIENTS)
    bad(`Too many recipients (at most ${MAX_RECIPIENTS})`, `Quá nhiều người nhận (tối đa ${MAX_RECIPIENTS})`);

  const now = deps.clock.now();
  let content = replaceStrayCrLf(message.content);
  if (deps.dkim)
    content = await deps.dkim.sign(content, {
      fromDomain: headerDomain(content, 'from'),
      mailFromDomain: message.mailFrom === '' ? null : routingDomain(message.mailFrom),
      now,
    });
  const id = uuidv7(now.getTime());
  const subject = subjectOf(content);
  await putAndReference(deps.store, deps.blobs, deps.clock, content, async (tx, blob) => {
    await tx.db
      .insertInto('queue_messages')
      .values({
        id,
        blob_id: blob.id,
        size: blob.size,
        mail_from: message.mailFrom,
        submitted_by: message.submittedBy,
        subject,
        created_at: now.getTime(),
        dsn_lease_until: null,
      })
      .execute();
    await tx.db
      .insertInto('queue_recipients')
      .values(
        [...seen.values()].map((r) => ({
          message_id: id,
          address: r.address,
          domain: r.domain,
          state: 'queued' as const,
          next_attempt_at: now.getTime(),
          lease_until: null,
          last_attempt_at: null,
          last_reply: null,
          last_status: null,
          remote_mta: null,
          dsn_pending: null,
          updated_at: now.getTime(),
        })),
      )
      .execute();
    if (deps.onQueued) tx.onCommit(deps.onQueued);
  });
  return { id };
}
