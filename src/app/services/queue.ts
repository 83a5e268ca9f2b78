/**
 * Wiring of the outbound queue (src/queue) into the running system.
 *
 * - `createOutboundQueue(system, options)`: builds the queue from the system's store, blobs,
 *   directory and configuration (`queue` section); makes the DKIM keys of every local domain
 *   that has none yet; DSNs to local senders go through the one mailbox ingest path
 *   (source 'system'). Options let tests inject the clock, the DNS resolver and the MX port.
 * - `outboundQueueFor(system)`: the same instance for the same system, so the SMTP submission
 *   server (which enqueues) and the queue service (which delivers) share one runner and an
 *   enqueue wakes it at once.
 * - `startQueueService`: a ServiceStarter (src/app/server.ts) that runs the runner until stop;
 *   stop waits for sessions in flight and gives untried claims back (catalogue FLT-14).
 *   Its parameter type is structural so that server.ts can import this file without a cycle.
 */
import type { Logger } from '../../telemetry/index.ts';
import type { Clock } from '../../util/clock.ts';
import { resolveAccount } from '../../directory/index.ts';
import {
  DkimSigner,
  OutboundQueueService,
  ensureDkimKeys,
  queueSettingsFromConfig,
  type DnsResolver,
  type QueueSettings,
} from '../../queue/index.ts';
import type { SystemContext } from '../context.ts';

export interface CreateQueueOptions {
  clock?: Clock;
  resolver?: DnsResolver;
  /** Changes to the settings built from the configuration (tests: mxPort, timeouts). */
  settings?: Partial<QueueSettings>;
  log?: Logger;
}

export async function createOutboundQueue(
  system: SystemContext,
  options: CreateQueueOptions = {},
): Promise<OutboundQueueService> {
  const config = system.config;
  const settings: QueueSettings = { ...queueSettingsFromConfig(config), ...options.settings };
  await ensureDkimKeys(config.dataDir, config.localDomains, config.queue.dkimSelector);
  const dkim = await DkimSigner.load(config.dataDir, config.localDomains, config.queue.dkimSelector);
  const dirSettings = system.directory.ctx.settings;
  return new OutboundQueueService({
    store: system.store,
    blobs: system.blobs,
    clock: options.clock ?? system.clock,
    settings,
    resolver: options.resolver,
    dkim,
    log: options.log,
    localDelivery: async ({ content, accountId }) => {
      await system.ingest.ingest({
        content,
        deliveries: [{ accountId }],
        source: 'system',
        quota: 'checked-before',
      });
    },
    findLocalAccount: async (address) => {
      const row = await resolveAccount(system.store.db, dirSettings, address);
      return row && row.state !== 'deleted' ? row.id : null;
    },
  });
}

const perSystem = new WeakMap<SystemContext, Promise<OutboundQueueService>>();

/** One queue per system (see the module comment). */
export function outboundQueueFor(
  system: SystemContext,
  options: CreateQueueOptions = {},
): Promise<OutboundQueueService> {
  let q = perSystem.get(system);
  if (!q) {
    q = createOutboundQueue(system, options);
    perSystem.set(system, q);
    q.catch(() => perSystem.delete(system));
  }
  return q;
}

export async function startQueueService(deps: {
  system: SystemContext;
  log: Logger;
}): Promise<Array<{ name: string; stop(): Promise<void> }>> {
  const queue = await outboundQueueFor(deps.system, { log: deps.log });
  queue.start();
  deps.log.info({ smarthost: deps.system.config.queue.smarthost?.host ?? null }, 'outbound queue started');
  return [{ name: 'queue', stop: () => queue.stop() }];
}
