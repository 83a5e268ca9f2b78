/**
 * What the server process runs: services (listeners and workers) started from the shared system
 * and stopped in reverse order of starting.
 */
import type { SystemContext } from '../context.ts';
import type { TlsMaterial } from '../tls.ts';
import type { Logger, Metrics } from '../../telemetry/index.ts';

/** A running listener or worker. */
export interface Service {
  name: string;
  stop(): Promise<void>;
}

/** Starts one protocol service (SMTP, IMAP, POP3, the queue…) on the shared system. */
export type ServiceStarter = (deps: {
  system: SystemContext;
  tls: TlsMaterial;
  metrics: Metrics;
  log: Logger;
}) => Promise<Service[]>;
