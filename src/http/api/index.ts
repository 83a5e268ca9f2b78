/**
 * The REST API under /api/v1 with its OpenAPI document at /api/v1/openapi.json, generated from the
 * route schemas (@fastify/swagger): one source for validation and documentation.
 */
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { ApiDeps } from './context.ts';
import { installErrorHandler } from './errors.ts';
import { auditRoutes } from './routes-audit.ts';
import { calendarRoutes } from './routes-calendar.ts';
import { directoryRoutes } from './routes-directory.ts';
import { incidentRoutes } from './routes-incidents.ts';
import { delegationRoutes } from './routes-delegations.ts';
import { lifecycleRoutes } from './routes-lifecycle.ts';
import { requestRoutes } from './routes-requests.ts';
import { reportRoutes } from './routes-reports.ts';
import { faultRoutes } from './routes-faults.ts';
import { sessionRoutes } from './routes-session.ts';
import { publicDirectoryRoutes } from './routes-public-directory.ts';
import { reorganisationRoutes } from './routes-reorganisations.ts';

export type { ApiDeps } from './context.ts';

export async function registerApi(app: FastifyInstance, deps: ApiDeps, version: string): Promise<void> {
  installErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Congthu API',
        description:
          'Hệ thống thư điện tử công vụ tỉnh Quảng Trị / Official-duty e-mail system of Quảng Trị province',
        version,
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
  });
  sessionRoutes(app, deps);
  directoryRoutes(app, deps);
  calendarRoutes(app, deps);
  auditRoutes(app, deps);
  lifecycleRoutes(app, deps);
  requestRoutes(app, deps);
  delegationRoutes(app, deps);
  incidentRoutes(app, deps);
  reportRoutes(app, deps);
  faultRoutes(app, deps);
  publicDirectoryRoutes(app, deps);
  reorganisationRoutes(app, deps);
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
