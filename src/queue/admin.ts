/**
 * Operator actions on the queue (`congthu queue list|retry|drop`), for operators only.
 *
 * - list: every queued message with its recipients, states, attempts and last replies.
 * - retry ID: makes the message's waiting recipients due now (a running server picks them up on
 *   its next pass; `runOnce` in tests).
 * - drop ID: removes the message without a DSN (like Postfix `postsuper -d`), releases its blob
 *   reference in the same transaction and writes an audit event saying who dropped what.
 */
import type { Caller } from '../directory/index.ts';
import type { Clock } from '../util/clock.ts';
import { forbidden, notFound } from '../util/errors.ts';
import { appendAudit, releaseBlob, type DataStore, type Db } from '../store/index.ts';
import { queueLockName } from './queue-store.ts';

export interface QueuedRecipientView {
  address: string;
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: string | null;
  lastReply: string | null;
}

export interface QueuedMessageView {
  id: string;
  mailFrom: string;
  submittedBy: string | null;
  subject: string | null;
  size: number;
  createdAt: string;
  recipients: QueuedRecipientView[];
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

function requireOperator(caller: Caller): void {
  if (caller.principal.role !== 'operator')
    throw forbidden(
      'queue.forbidden',
      'Chỉ quản trị hệ thống được thao tác hàng đợi thư.',
      'Only operators may manage the mail queue.',
    );
}

function missing(id: string): Error {
  return notFound(
    'queue.not-found',
    `Không có thư "${id}" trong hàng đợi.`,
    `No message "${id}" in the queue.`,
  );
}

export async function listQueue(
  db: Db,
  caller: Caller,
  options: { limit?: number } = {},
): Promise<QueuedMessageView[]> {
  requireOperator(caller);
  const messages = await db
    .selectFrom('queue_messages')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(options.limit ?? 1000)
    .execute();
  if (messages.length === 0) return [];
  const recipients = await db
    .selectFrom('queue_recipients')
    .selectAll()
    .where(
      'message_id',
      'in',
      messages.map((m) => m.id),
    )
    .orderBy('id')
    .execute();
  return messages.map((m) => ({
    id: m.id,
    mailFrom: m.mail_from,
    submittedBy: m.submitted_by,
    subject: m.subject,
    size: Number(m.size),
    createdAt: iso(m.created_at)!,
    recipients: recipients
      .filter((r) => r.message_id === m.id)
      .map((r) => ({
        address: r.address,
        state: r.state,
        attempts: Number(r.attempts),
        nextAttemptAt: r.state === 'queued' || r.state === 'deferred' ? iso(r.next_attempt_at) : null,
        lastAttemptAt: iso(r.last_attempt_at),
        lastStatus: r.last_status,
        lastReply: r.last_reply,
      })),
  }));
}

export async function retryQueued(
  store: DataStore,
  clock: Clock,
  caller: Caller,
  id: string,
): Promise<{ recipients: number }> {
  requireOperator(caller);
  return store.write(async (tx) => {
    await tx.lock(queueLockName(id));
    const msg = await tx.db.selectFrom('queue_messages').select('id').where('id', '=', id).executeTakeFirst();
    if (!msg) throw missing(id);
    const now = clock.now();
    const r = await tx.db
      .updateTable('queue_recipients')
      .set({ next_attempt_at: now.getTime(), updated_at: now.getTime() })
      .where('message_id', '=', id)
      .where('state', 'in', ['queued', 'deferred'])
      .executeTakeFirst();
    const n = Number(r.numUpdatedRows);
    await appendAudit(
      tx,
      caller.actor,
      { action: 'queue.retry', targetType: 'queue-message', targetId: id, details: { recipients: n } },
      now,
    );
    return { recipients: n };
  });
}

export async function dropQueued(
  store: DataStore,
  clock: Clock,
  caller: Caller,
  id: string,
  reason?: string,
): Promise<{ id: string; recipients: string[] }> {
  requireOperator(caller);
  return store.write(async (tx) => {
    await tx.lock(queueLockName(id));
    const msg = await tx.db.selectFrom('queue_messages').selectAll().where('id', '=', id).executeTakeFirst();
    if (!msg) throw missing(id);
    const rs = await tx.db
      .selectFrom('queue_recipients')
      .select(['address', 'state'])
      .where('message_id', '=', id)
      .execute();
    const now = clock.now();
    await tx.db.deleteFrom('queue_recipients').where('message_id', '=', id).execute();
    await tx.db.deleteFrom('queue_messages').where('id', '=', id).execute();
    await releaseBlob(tx, msg.blob_id, now);
    await appendAudit(
      tx,
      caller.actor,
      {
        action: 'queue.drop',
        targetType: 'queue-message',
        targetId: id,
        reason: reason ?? null,
        details: {
          mailFrom: msg.mail_from,
          submittedBy: msg.submitted_by,
          size: Number(msg.size),
          recipients: rs.map((r) => `${r.address} (${r.state})`),
        },
      },
      now,
    );
    return { id, recipients: rs.map((r) => r.address) };
  });
}
