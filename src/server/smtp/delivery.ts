/**
 * Durable delivery of one accepted transaction: local recipients through the one ingest path
 * (one blob for all of them, group commit, resolves only when the blob is fsynced and the rows are
 * committed), remote recipients through the outbound queue (resolves when the queue entry is
 * durable). The caller answers 250 only after `deliver` resolves (DESIGN.md "Durability"; G1).
 * Both run concurrently; if either fails the client gets 451 and retries, which may duplicate
 * the half that succeeded: at least once, never lost (RFC 1047; catalogue FLT-03).
 *
 * What is recorded (issue 3 item 7), chosen as the cheapest correct way:
 * - a delivery from the internet is recorded by the message rows themselves (source 'smtp',
 *   saved_at, folder → account → organisation), committed in the same transaction as the
 *   delivery: no extra write, and never a record without the message or the reverse;
 * - a submission by a user writes one audit event `mail.submit` (who, from which address, envelope,
 *   Message-ID, how many local and remote recipients, queue id), committed before the 250, so every
 *   acknowledged submission is in the audit log under its account (and so its agency); mail sent
 *   as a delegated agency mailbox (Điều 10.1) carries `onBehalfOf` and writes, in the same
 *   transaction, `delegation.send-as` under that mailbox, where its agency head reads it.
 * No copy goes to the sender's Sent folder: clients store it with IMAP APPEND.
 */
import type { Clock } from '../../util/clock.ts';
import { appendAudit, type DataStore } from '../../store/index.ts';
import type { IngestService } from '../../mailbox/index.ts';
import type { MessageIndex } from '../../mail/index.ts';
import type { OutboundQueue } from '../../queue/index.ts';
import { SmtpReply } from './errors.ts';
import { REPLIES } from './replies.ts';
import type { LocalRecipient } from './recipients.ts';

export interface DeliveryDeps {
  store: DataStore;
  ingest: IngestService;
  outbound: OutboundQueue | null;
  clock: Clock;
}

export interface Submitter {
  id: string;
  address: string;
  clientIp: string;
  /** The delegated agency mailbox the message is sent as (Điều 10.1), or null. */
  onBehalfOf?: { accountId: string; address: string } | null;
  /** The single From address of the message. */
  from?: string;
}

export interface Accepted {
  content: Buffer;
  mailFrom: string;
  local: readonly LocalRecipient[];
  remote: readonly string[];
  /** Deliver local copies to Junk (a MessageCheck asked for quarantine). */
  quarantine: boolean;
  submitter: Submitter | null;
  queueId: string;
  messageId: string | null;
  /** The MIME index of `content`, passed on so ingest does not make it again. */
  index: MessageIndex;
}

export async function deliver(deps: DeliveryDeps, m: Accepted): Promise<{ outboundId: string | null }> {
  if (m.remote.length > 0 && !deps.outbound) throw new SmtpReply(REPLIES.localError);
  const [, queued] = await Promise.all([
    m.local.length > 0
      ? deps.ingest.ingest({
          content: m.content,
          index: m.index,
          deliveries: m.local.map((r) => ({
            accountId: r.accountId,
            ...(m.quarantine ? { folder: 'Junk' } : {}),
          })),
          source: 'smtp',
          quota: 'checked-before',
        })
      : Promise.resolve(null),
    m.remote.length > 0
      ? deps.outbound!.enqueue({
          content: m.content,
          mailFrom: m.mailFrom,
          recipients: [...m.remote],
          submittedBy: m.submitter?.id ?? null,
        })
      : Promise.resolve(null),
  ]);
  const outboundId = queued?.id ?? null;
  const submitter = m.submitter;
  if (submitter) {
    const actor = { id: submitter.id, label: submitter.address, sourceIp: submitter.clientIp };
    const behalf = submitter.onBehalfOf ?? null;
    await deps.store.write(async (tx) => {
      const now = deps.clock.now();
      await appendAudit(
        tx,
        actor,
        {
          action: 'mail.submit',
          targetType: 'message',
          targetId: m.queueId,
          details: {
            envelopeFrom: m.mailFrom,
            messageId: m.messageId,
            localRecipients: m.local.length,
            remoteRecipients: m.remote.length,
            size: m.content.length,
            outboundId,
            ...(behalf ? { onBehalfOf: behalf.address } : {}),
          },
        },
        now,
      );
      if (behalf)
        await appendAudit(
          tx,
          actor,
          {
            action: 'delegation.send-as',
            targetType: 'account',
            targetId: behalf.accountId,
            details: {
              mailbox: behalf.address,
              from: submitter.from ?? null,
              envelopeFrom: m.mailFrom,
              messageId: m.messageId,
              queueId: m.queueId,
              recipients: m.local.length + m.remote.length,
            },
          },
          now,
        );
    });
  }
  return { outboundId };
}
