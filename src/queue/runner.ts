/**
 * The queue runner: claims due recipients, delivers them domain by domain (at most
 * `concurrency` domains at once, one session per domain), records each outcome, then sends the
 * DSNs that the outcomes asked for. `runOnce` is one pass (tests drive it with a manual clock);
 * `start` repeats passes until `stop`, sleeping until the next recipient is due, the poll interval
 * passes, or `wake` is called (a new message was committed).
 *
 * Graceful stop (catalogue FLT-14): no new session starts; sessions in flight finish their
 * current message; claimed recipients not yet tried are given back at once instead of waiting
 * for their lease to expire.
 *
 * DSNs go to the original sender: through `localDelivery` (the mailbox ingest path) when the
 * sender's address is ours, else into this queue with the null reverse-path. A DSN that cannot
 * be delivered stays pending and is retried on the next pass.
 */
import type { Logger } from '../telemetry/index.ts';
import type { Clock } from '../util/clock.ts';
import type { BlobStore, DataStore } from '../store/index.ts';
import { deliverDomain, type DomainItem } from './deliver.ts';
import { composeDsn } from './dsn.ts';
import { routingDomain } from './enqueue.ts';
import {
  claimDsn,
  claimDue,
  completeDsn,
  loadDsnSubject,
  nextDueAt,
  pendingDsnMessages,
  recordOutcomes,
  releaseDsn,
  releaseLeases,
  type ClaimedRecipient,
} from './queue-store.ts';
import type { DnsResolver } from './resolver.ts';
import { resolveRoute } from './route.ts';
import type { SessionOptions } from './smtp-client.ts';
import type { QueueSettings } from './settings.ts';
import type { OutboundMessage } from './types.ts';

/** Delivers a notice into a local mailbox (the mailbox ingest path, source 'system'). */
export type LocalDelivery = (message: { content: Buffer; accountId: string }) => Promise<void>;

export interface RunnerDeps {
  store: DataStore;
  blobs: BlobStore;
  clock: Clock;
  settings: QueueSettings;
  resolver: DnsResolver;
  localDelivery: LocalDelivery;
  /** The account that owns a local address, or null (unknown, retired). */
  findLocalAccount(address: string): Promise<string | null>;
  /** For DSNs to remote senders. */
  enqueue(message: OutboundMessage): Promise<{ id: string }>;
  log?: Logger | undefined;
}

export interface RunReport {
  claimed: number;
  delivered: number;
  deferred: number;
  failed: number;
  dsns: number;
}

export class QueueRunner {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<RunReport> | null = null;
  /** A wake that arrived during a pass: the next sleep returns at once. */
  private woken = false;

  constructor(private readonly deps: RunnerDeps) {}

  /** One pass; concurrent calls share the pass in progress. */
  runOnce(): Promise<RunReport> {
    this.pass ??= this.doPass().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          await this.runOnce();
        } catch (err) {
          this.deps.log?.error({ err }, 'queue pass failed');
        }
        if (this.stopping) break;
        await this.sleep(await this.sleepMs());
      }
    })();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    await this.pass?.catch(() => undefined);
    this.loop = null;
  }

  private async sleepMs(): Promise<number> {
    const next = await nextDueAt(this.deps.store.db).catch(() => null);
    const poll = this.deps.settings.pollIntervalMs;
    if (next === null) return poll;
    return Math.max(50, Math.min(poll, next - this.deps.clock.now().getTime()));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.woken) {
        this.woken = false;
        return resolve();
      }
      const done = (): void => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wakeUp = null;
        resolve();
      };
      this.wakeUp = done;
      this.timer = setTimeout(done, ms);
    });
  }

  private sessionOptions(target: SessionOptions['target']): SessionOptions {
    const s = this.deps.settings;
    const sh = s.smarthost;
    return {
      target,
      name: s.hostname,
      tls: sh ? sh.tls : 'opportunistic',
      auth: sh?.username && sh.password ? { user: sh.username, pass: sh.password } : undefined,
      connectTimeoutMs: s.connectTimeoutMs,
      greetingTimeoutMs: s.greetingTimeoutMs,
      socketTimeoutMs: s.socketTimeoutMs,
    };
  }

  private async doPass(): Promise<RunReport> {
    const { store, clock, settings } = this.deps;
    const report: RunReport = { claimed: 0, delivered: 0, deferred: 0, failed: 0, dsns: 0 };
    this.woken = false;
    const claimed = await claimDue(store, clock.now().getTime(), {
      limit: settings.batchSize,
      leaseMs: settings.leaseMs,
    });
    report.claimed = claimed.length;

    const byDomain = new Map<string, Map<string, ClaimedRecipient[]>>();
    for (const r of claimed) {
      const perMessage = byDomain.get(r.domain) ?? new Map<string, ClaimedRecipient[]>();
      byDomain.set(r.domain, perMessage);
      perMessage.set(r.messageId, [...(perMessage.get(r.messageId) ?? []), r]);
    }
    const domains = [...byDomain.entries()];
    const leftover: number[] = [];
    const worker = async (): Promise<void> => {
      for (let next = domains.shift(); next; next = domains.shift()) {
        const [domain, messages] = next;
        const items: DomainItem[] = [...messages.entries()].map(([messageId, rs]) => ({
          messageId,
          mailFrom: rs[0]!.mailFrom,
          recipients: rs.map((r) => ({ id: r.id, address: r.address })),
          loadContent: () => this.deps.blobs.read(rs[0]!.blobId),
        }));
        if (this.stopping) {
          leftover.push(...items.flatMap((i) => i.recipients.map((r) => r.id)));
          continue;
        }
        try {
          const route = await resolveRoute(domain, this.deps.resolver, settings);
          const rest = await deliverDomain(route, items, {
            sessionOptions: (t) => this.sessionOptions(t),
            stopping: () => this.stopping,
            onResult: async (messageId, outcomes) => {
              const { results } = await recordOutcomes(store, settings, clock, messageId, outcomes);
              for (const r of results) report[r.state === 'queued' ? 'deferred' : r.state]++;
              this.deps.log?.info(
                {
                  queueId: messageId,
                  domain,
                  results: results.map((r) => ({ to: r.address, state: r.state })),
                },
                'queue delivery attempt',
              );
            },
          });
          leftover.push(...rest.flatMap((i) => i.recipients.map((r) => r.id)));
        } catch (err) {
          // A store error while recording: the leases expire and the recipients are tried again.
          this.deps.log?.error({ err, domain }, 'queue delivery to a domain failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, domains.length) }, worker));
    await releaseLeases(store, leftover);
    if (!this.stopping) report.dsns = await this.sendDsns();
    return report;
  }

  /** Sends every pending DSN; returns how many were sent. */
  private async sendDsns(): Promise<number> {
    const { store, clock, settings } = this.deps;
    let sent = 0;
    for (const messageId of await pendingDsnMessages(store.db, clock.now().getTime(), 100)) {
      if (!(await claimDsn(store, messageId, clock.now().getTime(), settings.leaseMs))) continue;
      try {
        const subject = await loadDsnSubject(store.db, messageId);
        if (!subject || subject.recipients.length === 0) {
          await releaseDsn(store, messageId);
          continue;
        }
        const { message, recipients } = subject;
        const now = clock.now();
        const dsn = await composeDsn({
          reportingMta: settings.hostname,
          domain: settings.localDomains[0] ?? settings.hostname,
          to: message.mailFrom,
          queueId: message.id,
          arrivalDate: new Date(message.createdAt),
          now,
          original: await this.deps.blobs.read(message.blobId),
          recipients: recipients.map((r) => ({
            address: r.address,
            action: r.action,
            status: r.action === 'failed' ? (r.status ?? '5.0.0') : '4.0.0',
            diagnostic: r.reply,
            remoteMta: r.remoteMta,
            lastAttemptAt: r.lastAttemptAt === null ? null : new Date(r.lastAttemptAt),
            willRetryUntil:
              r.action === 'delayed' ? new Date(message.createdAt + settings.maxLifetimeMs) : null,
          })),
        });
        // Never a DSN about a DSN: such messages never get dsn_pending (queue-store.ts); this guards it again.
        if (message.mailFrom !== '') await this.deliverDsn(message.mailFrom, dsn);
        await completeDsn(
          store,
          clock,
          messageId,
          recipients.map((r) => ({ id: r.id, action: r.action })),
        );
        sent++;
        this.deps.log?.info(
          { queueId: messageId, to: message.mailFrom, actions: recipients.map((r) => r.action) },
          'queue DSN sent',
        );
      } catch (err) {
        this.deps.log?.error({ err, queueId: messageId }, 'sending a DSN failed; will retry');
        await releaseDsn(store, messageId).catch(() => undefined);
      }
    }
    return sent;
  }

  private async deliverDsn(to: string, content: Buffer): Promise<void> {
    const domain = routingDomain(to);
    if (domain !== null && this.deps.settings.localDomains.includes(domain)) {
      const accountId = await this.deps.findLocalAccount(to);
      if (accountId === null) {
        this.deps.log?.warn({ to }, 'DSN for an unknown local sender dropped');
        return;
      }
      await this.deps.localDelivery({ content, accountId });
      return;
    }
    await this.deps.enqueue({ content, mailFrom: '', recipients: [to], submittedBy: null });
  }
}
