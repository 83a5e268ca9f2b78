/**
 * The server process: every service of the embedded deployment in one process (DESIGN.md
 * "Deployment shapes"). Builds everything from the configuration, starts the listeners, and stops
 * them in reverse order on SIGTERM/SIGINT (graceful: open requests finish, then the store closes).
 * Protocol servers (SMTP, IMAP, POP3) join the `services` list in their own issues.
 */
import type { ResolvedConfig } from '../config/index.ts';
import { createMetrics, type Logger } from '../telemetry/index.ts';
import { buildHttp } from '../http/index.ts';
import { openSystem, type SystemContext } from './context.ts';
import { initialise, type InitResult } from './init.ts';
import { ensureTls, type TlsMaterial } from './tls.ts';
import { VERSION } from './version.ts';
import type { Service, ServiceStarter } from './services/types.ts';
import { smtpStarter } from './services/smtp.ts';
import { outboundQueueFor } from './services/queue.ts';
import { startQueueService } from './services/queue.ts';
import { startPop3Service } from './services/pop3.ts';
import { startImapService } from './services/imap.ts';
import { startLifecycleService } from './services/lifecycle.ts';
import { governanceFor } from '../governance/index.ts';

export interface RunningServer {
  system: SystemContext;
  tls: TlsMaterial;
  init: InitResult;
  /** Where each listener ended up (port 0 in tests picks a free one). */
  addresses: { http: string[] };
  stop(): Promise<void>;
}

export type { Service, ServiceStarter } from './services/types.ts';

/** SMTP with the outbound queue: submissions to other domains are queued, never lost. */
const startSmtpWithQueue: ServiceStarter = async (deps) =>
  smtpStarter({ outbound: await outboundQueueFor(deps.system, { log: deps.log }) })(deps);

export const PROTOCOL_STARTERS: ServiceStarter[] = [
  startQueueService,
  startSmtpWithQueue,
  startImapService,
  startPop3Service,
  startLifecycleService,
];

export async function startServer(config: ResolvedConfig, log: Logger): Promise<RunningServer> {
  const system = await openSystem(config);
  system.store.onHookError = (err) => log.error({ err }, 'on-commit hook failed');
  const services: Service[] = [];
  try {
    if (system.migrations.applied.length > 0)
      log.info({ applied: system.migrations.applied }, 'database migrated');
    const init = await initialise(system.directory, system.calendar);
    const tls = await ensureTls(config);
    if (tls.selfSigned) log.warn({ certFile: tls.certFile }, 'using a self-signed TLS certificate');
    const metrics = createMetrics();
    // Incident notices to a remote sender (Điều 10.4) leave through the outbound queue.
    governanceFor(system).incidents.useOutbound({
      enqueue: async (m) => (await outboundQueueFor(system, { log })).enqueue(m),
    });

    // One Fastify instance per listen address (e.g. 0.0.0.0 and :: for IPv4 and IPv6, Circular 39/2017).
    const httpAddresses: string[] = [];
    for (const host of config.listen) {
      const http = await buildHttp({
        store: system.store,
        metrics,
        log,
        version: VERSION,
        api: {
          store: system.store,
          directory: system.directory,
          sessions: system.sessions,
          calendar: system.calendar,
          governance: governanceFor(system),
        },
      });
      services.push({ name: `http ${host}`, stop: () => http.close() });
      httpAddresses.push(await http.listen({ host, port: config.ports.http }));
    }
    for (const start of PROTOCOL_STARTERS) services.push(...(await start({ system, tls, metrics, log })));
    log.info(
      {
        http: httpAddresses,
        services: services.map((s) => s.name),
        domain: config.domain,
        database: system.store.dialect,
      },
      'congthu started',
    );

    let stopping: Promise<void> | null = null;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        for (const s of [...services].reverse()) {
          try {
            await s.stop();
          } catch (err) {
            log.error({ err, service: s.name }, 'stopping a service failed');
          }
        }
        await system.close();
        log.info('congthu stopped');
      })());
    return { system, tls, init, addresses: { http: httpAddresses }, stop };
  } catch (e) {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    await system.close();
    throw e;
  }
}
