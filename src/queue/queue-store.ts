/**
 * The queue's rows (migration 0003) and every transaction on them: claiming due recipients,
 * recording attempts, DSN bookkeeping and removing finished messages.
 *
 * Invariants:
 * - A queued message holds exactly one reference to its blob; the reference is released in the
 *   same transaction that deletes the message's rows (catalogue G4: no row points at a missing blob).
 * - Claims are leases (`lease_until`): PostgreSQL runners claim with FOR UPDATE SKIP LOCKED, so two
 *   runners never take the same recipient; SQLite has one writer. A crashed runner's lease expires
 *   and the recipient is tried again: at-least-once, never lost (catalogue REF-02, FLT-03).
 * - Every change of one message's rows happens under the lock `queue:<id>`, so the check "all
 *   recipients final and no DSN pending → remove" sees the other runners' committed results.
 * - A message with the null reverse-path never gets `dsn_pending` (RFC 3464 §2, RFC 5321 §4.5.5:
 *   no DSN about a DSN).
 */
import type { Clock } from '../util/clock.ts';
import type { DataStore, Db, Tx, QueueRecipientState } from '../store/index.ts';
import { releaseBlob } from '../store/index.ts';
import { backoffMs, type QueueSettings } from './settings.ts';

export type Outcome =
  | { kind: 'delivered'; reply: string; remoteMta: string | null }
  | { kind: 'deferred' | 'failed'; status: string; reply: string; remoteMta: string | null };

export interface ClaimedRecipient {
  id: number;
  messageId: string;
  address: string;
  domain: string;
  mailFrom: string;
  blobId: string;
  createdAt: number;
}

export interface RecordedResult {
  recipientId: number;
  address: string;
  state: QueueRecipientState;
}

const lockName = (messageId: string): string => `queue:${messageId}`;

export async function claimDue(
  store: DataStore,
  now: number,
  options: { limit: number; leaseMs: number },
): Promise<ClaimedRecipient[]> {
  return store.write(async (tx) => {
    let q = tx.db
      .selectFrom('queue_recipients')
      .select('id')
      .where('state', 'in', ['queued', 'deferred'])
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(options.limit);
    // PostgreSQL: rows another runner is claiming right now are skipped, not waited for.
    if (tx.dialect === 'postgres') q = q.forUpdate().skipLocked();
    const ids = (await q.execute()).map((r) => Number(r.id));
    if (ids.length === 0) return [];
    await tx.db
      .updateTable('queue_recipients')
      .set({ lease_until: now + options.leaseMs })
      .where('id', 'in', ids)
      .execute();
    const rows = await tx.db
      .selectFrom('queue_recipients as r')
      .innerJoin('queue_messages as m', 'm.id', 'r.message_id')
      .select(['r.id', 'r.message_id', 'r.address', 'r.domain', 'm.mail_from', 'm.blob_id', 'm.created_at'])
      .where('r.id', 'in', ids)
      .orderBy('r.id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      messageId: r.message_id,
      address: r.address,
      domain: r.domain,
      mailFrom: r.mail_from,
      blobId: r.blob_id,
      createdAt: Number(r.created_at),
    }));
  });
}

/** Give claimed recipients back untried (graceful stop). */
export async function releaseLeases(store: DataStore, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await store.write(async (tx) => {
    await tx.db.updateTable('queue_recipients').set({ lease_until: null }).where('id', 'in', ids).execute();
  });
}

/** Removes the message when every recipient is final and no DSN is waiting; true when removed. */
export async function finishIfDone(tx: Tx, messageId: string, now: Date): Promise<boolean> {
  const open = await tx.db
    .selectFrom('queue_recipients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('message_id', '=', messageId)
    .where((eb) => eb.or([eb('state', 'in', ['queued', 'deferred']), eb('dsn_pending', 'is not', null)]))
    .executeTakeFirst();
  if (Number(open?.n ?? 0) > 0) return false;
  const msg = await tx.db
    .selectFrom('queue_messages')
    .select('blob_id')
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!msg) return false;
  await tx.db.deleteFrom('queue_recipients').where('message_id', '=', messageId).execute();
  await tx.db.deleteFrom('queue_messages').where('id', '=', messageId).execute();
  await releaseBlob(tx, msg.blob_id, now);
  return true;
}

/**
 * Records one attempt's outcomes for recipients of one message. Temporary failures get the next
 * attempt time (exponential backoff, never past the expiry) or, once the message is older than the
 * maximum lifetime, fail with 4.4.7 (RFC 3463: delivery time expired). The first temporary failure
 * after `delayWarningMs` asks for one "delayed" DSN.
 */
export async function recordOutcomes(
  store: DataStore,
  settings: QueueSettings,
  clock: Clock,
  messageId: string,
  outcomes: Array<{ recipientId: number; outcome: Outcome }>,
): Promise<{ results: RecordedResult[]; finished: boolean }> {
  return store.write(async (tx) => {
    await tx.lock(lockName(messageId));
    const now = clock.now();
    const t = now.getTime();
    const msg = await tx.db
      .selectFrom('queue_messages')
      .select(['mail_from', 'created_at'])
      .where('id', '=', messageId)
      .executeTakeFirst();
    if (!msg) return { results: [], finished: false }; // dropped meanwhile
    const nullSender = msg.mail_from === '';
    const created = Number(msg.created_at);
    const ids = outcomes.map((o) => o.recipientId);
    const rows = new Map(
      (
        await tx.db
          .selectFrom('queue_recipients')
          .select(['id', 'address', 'state', 'attempts', 'delay_notified', 'dsn_pending'])
          .where('id', 'in', ids.length > 0 ? ids : [-1])
          .execute()
      ).map((r) => [Number(r.id), r]),
    );
    const results: RecordedResult[] = [];
    for (const { recipientId, outcome } of outcomes) {
      const row = rows.get(recipientId);
      if (!row || row.state === 'delivered' || row.state === 'failed') continue;
      const attempts = Number(row.attempts) + 1;
      const common = {
        attempts,
        last_attempt_at: t,
        last_reply: outcome.reply,
        remote_mta: outcome.remoteMta,
        lease_until: null,
        updated_at: t,
      };
      let state: QueueRecipientState;
      let update: Record<string, unknown>;
      if (outcome.kind === 'delivered') {
        state = 'delivered';
        update = { ...common, state, last_status: '2.0.0' };
      } else if (outcome.kind === 'failed' || t - created >= settings.maxLifetimeMs) {
        state = 'failed';
        const expired = outcome.kind === 'deferred';
        update = {
          ...common,
          state,
          last_status: expired ? '4.4.7' : outcome.status,
          dsn_pending: nullSender ? null : 'failed',
        };
      } else {
        state = 'deferred';
        const next = Math.min(t + backoffMs(settings, attempts), created + settings.maxLifetimeMs);
        update = { ...common, state, last_status: outcome.status, next_attempt_at: Math.max(next, t + 1) };
        const warn =
          !nullSender &&
          settings.delayWarningMs > 0 &&
          Number(row.delay_notified) === 0 &&
          t - created >= settings.delayWarningMs;
        if (warn) update = { ...update, delay_notified: 1, dsn_pending: row.dsn_pending ?? 'delayed' };
      }
      await tx.db.updateTable('queue_recipients').set(update).where('id', '=', recipientId).execute();
      results.push({ recipientId, address: row.address, state });
    }
    const finished = await finishIfDone(tx, messageId, now);
    return { results, finished };
  });
}

export async function pendingDsnMessages(db: Db, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('queue_recipients as r')
    .innerJoin('queue_messages as m', 'm.id', 'r.message_id')
    .select('r.message_id')
    .distinct()
    .where('r.dsn_pending', 'is not', null)
    .where((eb) => eb.or([eb('m.dsn_lease_until', 'is', null), eb('m.dsn_lease_until', '<=', now)]))
    .limit(limit)
    .execute();
  return rows.map((r) => r.message_id);
}

/** Takes the right to send this message's pending DSN for `leaseMs`; false when another runner has it. */
export async function claimDsn(
  store: DataStore,
  messageId: string,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  return store.write(async (tx) => {
    const r = await tx.db
      .updateTable('queue_messages')
      .set({ dsn_lease_until: now + leaseMs })
      .where('id', '=', messageId)
      .where((eb) => eb.or([eb('dsn_lease_until', 'is', null), eb('dsn_lease_until', '<=', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  });
}

export interface DsnSubject {
  message: { id: string; mailFrom: string; blobId: string; createdAt: number; submittedBy: string | null };
  recipients: Array<{
    id: number;
    address: string;
    action: 'delayed' | 'failed';
    status: string | null;
    reply: string | null;
    remoteMta: string | null;
    lastAttemptAt: number | null;
    attempts: number;
  }>;
}

export async function loadDsnSubject(db: Db, messageId: string): Promise<DsnSubject | null> {
  const m = await db.selectFrom('queue_messages').selectAll().where('id', '=', messageId).executeTakeFirst();
  if (!m) return null;
  const rs = await db
    .selectFrom('queue_recipients')
    .selectAll()
    .where('message_id', '=', messageId)
    .where('dsn_pending', 'is not', null)
    .orderBy('id')
    .execute();
  return {
    message: {
      id: m.id,
      mailFrom: m.mail_from,
      blobId: m.blob_id,
      createdAt: Number(m.created_at),
      submittedBy: m.submitted_by,
    },
    recipients: rs.map((r) => ({
      id: Number(r.id),
      address: r.address,
      action: r.dsn_pending === 'failed' ? 'failed' : 'delayed',
      status: r.last_status,
      reply: r.last_reply,
      remoteMta: r.remote_mta,
      lastAttemptAt: r.last_attempt_at === null ? null : Number(r.last_attempt_at),
      attempts: Number(r.attempts),
    })),
  };
}

/** The DSN went out: clear what it reported (unless it changed meanwhile) and let the message finish. */
export async function completeDsn(
  store: DataStore,
  clock: Clock,
  messageId: string,
  sent: Array<{ id: number; action: 'delayed' | 'failed' }>,
): Promise<boolean> {
  return store.write(async (tx) => {
    await tx.lock(lockName(messageId));
    for (const s of sent)
      await tx.db
        .updateTable('queue_recipients')
        .set({ dsn_pending: null })
        .where('id', '=', s.id)
        .where('dsn_pending', '=', s.action)
        .execute();
    await tx.db
      .updateTable('queue_messages')
      .set({ dsn_lease_until: null })
      .where('id', '=', messageId)
      .execute();
    return finishIfDone(tx, messageId, clock.now());
  });
}

export async function releaseDsn(store: DataStore, messageId: string): Promise<void> {
  await store.write(async (tx) => {
    await tx.db
      .updateTable('queue_messages')
      .set({ dsn_lease_until: null })
      .where('id', '=', messageId)
      .execute();
  });
}

/** When the next recipient becomes due (for the service's sleep), or null when the queue is empty. */
export async function nextDueAt(db: Db): Promise<number | null> {
  const r = await db
    .selectFrom('queue_recipients')
    .select((eb) => eb.fn.min<number>('next_attempt_at').as('t'))
    .where('state', 'in', ['queued', 'deferred'])
    .executeTakeFirst();
  return r?.t === null || r?.t === undefined ? null : Number(r.t);
}

export { lockName as queueLockName };
