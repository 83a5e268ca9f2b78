/**
 * Prometheus metrics (prom-client), one registry per server process, served at /metrics.
 */
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  authAttempts: Counter<'protocol' | 'status'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'congthu_' });
  const authAttempts = new Counter({
    name: 'congthu_auth_attempts_total',
    help: 'Sign-in attempts by protocol and outcome',
    labelNames: ['protocol', 'status'] as const,
    registers: [registry],
  });
  return { registry, authAttempts };
}
