/**
 * The audit log for the operator and the security auditor (Điều 13.2: security monitoring without
 * mail content): who did what, when, from where, why. Read-only.
 */
import type { FastifyInstance } from 'fastify';
import { authorise } from '../../directory/index.ts';
import { listAudit } from '../../store/index.ts';
import { callerOf, type ApiDeps } from './context.ts';

export function auditRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: { targetType?: string; targetId?: string; action?: string; limit?: number } }>(
    '/api/v1/audit',
    {
      schema: {
        summary: 'Nhật ký kiểm tra / Audit log',
        tags: ['audit'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            targetType: { type: 'string', maxLength: 64 },
            targetId: { type: 'string', maxLength: 200 },
            action: { type: 'string', maxLength: 100 },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        },
      },
    },
    async (req) => {
      const caller = await callerOf(deps, req);
      authorise(caller, 'audit.read', {});
      const q = req.query;
      const rows = await listAudit(deps.store.db, {
        ...(q.targetType ? { targetType: q.targetType } : {}),
        ...(q.targetId ? { targetId: q.targetId } : {}),
        ...(q.action ? { action: q.action } : {}),
        limit: q.limit ?? 100,
      });
      return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
    },
  );
}
