/**
 * The outbound queue as one object: the `OutboundQueue` port that the SMTP submission server
 * receives (enqueue), the runner that delivers (runOnce / start / stop), and the operator actions
 * (list / retry / drop). src/app/services/queue.ts builds it from the system and configuration.
 */
import type { Caller } from '../directory/index.ts';
import type { Logger } from '../telemetry/index.ts';
import type { Clock } from '../util/clock.ts';
import type { BlobStore, DataStore } from '../store/index.ts';
import { dropQueued, listQueue, retryQueued, type QueuedMessageView } from './admin.ts';
import type { DkimSigner } from './dkim.ts';
import { enqueueMessage } from './enqueue.ts';
import { systemResolver, type DnsResolver } from './resolver.ts';
import { QueueRunner, type LocalDelivery, type RunReport } from './runner.ts';
import type { QueueSettings } from './settings.ts';
import type { OutboundMessage, OutboundQueue } from './types.ts';

export interface OutboundQueueDeps {
  store: DataStore;
  blobs: BlobStore;
  clock: Clock;
  settings: QueueSettings;
  /** Default: the system resolver (node:dns/promises). */
  resolver?: DnsResolver | undefined;
  /** null: send unsigned (no keys). */
  dkim: DkimSigner | null;
  localDelivery: LocalDelivery;
  findLocalAccount(address: string): Promise<string | null>;
  log?: Logger | undefined;
}

export class OutboundQueueService implements OutboundQueue {
  readonly runner: QueueRunner;

  constructor(private readonly deps: OutboundQueueDeps) {
    this.runner = new QueueRunner({
      store: deps.store,
      blobs: deps.blobs,
      clock: deps.clock,
      settings: deps.settings,
      resolver: deps.resolver ?? systemResolver(),
      localDelivery: deps.localDelivery,
      findLocalAccount: deps.findLocalAccount,
      enqueue: (m) => this.enqueue(m),
      log: deps.log,
    });
  }

  enqueue(message: OutboundMessage): Promise<{ id: string }> {
    return enqueueMessage(
      {
        store: this.deps.store,
        blobs: this.deps.blobs,
        clock: this.deps.clock,
        settings: this.deps.settings,
        dkim: this.deps.dkim,
        onQueued: () => this.runner.wake(),
      },
      message,
    );
  }

  runOnce(): Promise<RunReport> {
    return this.runner.runOnce();
  }

  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  list(caller: Caller): Promise<QueuedMessageView[]> {
    return listQueue(this.deps.store.db, caller);
  }

  retry(caller: Caller, id: string): Promise<{ recipients: number }> {
    return retryQueued(this.deps.store, this.deps.clock, caller, id);
  }

  drop(caller: Caller, id: string, reason?: string): Promise<{ id: string; recipients: string[] }> {
    return dropQueued(this.deps.store, this.deps.clock, caller, id, reason);
  }
}
