/**
 * The HTTP listener (Fastify). Today: `/healthz` (the process runs and its database answers) and
 * `/metrics` (Prometheus). The REST API, JMAP, autoconfiguration and the web app plug in here.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { DataStore } from '../store/index.ts';
import type { Logger, Metrics } from '../telemetry/index.ts';

export interface HttpDeps {
  store: DataStore;
  metrics: Metrics;
  log: Logger;
  version: string;
}

export async function buildHttp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger,
    // Requests to /healthz and /metrics arrive every few seconds: not logged one by one.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  });

  app.get('/healthz', async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.store.db);
      return { status: 'ok', version: deps.version, database: deps.store.dialect };
    } catch (e) {
      deps.log.error({ err: e }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'unavailable', reason: 'database' });
    }
  });

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.setNotFoundHandler((_req, reply) => {
    reply.code(404).send({ error: 'not-found', message: { vi: 'Không tìm thấy.', en: 'Not found.' } });
  });
  return app;
}
