/**
 * The HTTP listener (Fastify): `/healthz` (the process runs and its database answers), `/metrics`
 * (Prometheus) and the REST API under /api/v1. JMAP, autoconfiguration and the web app plug in here.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { DataStore } from '../store/index.ts';
import type { Logger, Metrics } from '../telemetry/index.ts';
import { registerApi, type ApiDeps } from './api/index.ts';

export interface HttpDeps {
  store: DataStore;
  metrics: Metrics;
  log: Logger;
  version: string;
  /** The REST API; without it only /healthz and /metrics are served. */
  api?: ApiDeps;
}

export async function buildHttp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger,
    // Requests to /healthz and /metrics arrive every few seconds: not logged one by one.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    // Unknown fields are an error to report, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
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

  if (deps.api) await registerApi(app, deps.api, deps.version);

  app.setNotFoundHandler((_req, reply) => {
    reply.code(404).send({ error: 'not-found', message: { vi: 'Không tìm thấy.', en: 'Not found.' } });
  });
  return app;
}
