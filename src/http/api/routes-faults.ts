/**
 * The faults register over REST (Điều 10.5, 11.4): a signed-in user reports a fault to its
 * agency's IT contact; the IT contact (agency administrator) acknowledges, escalates to the
 * operator or resolves; the operator handles escalated faults; a resolved fault is closed. Each
 * step takes an optional note and goes into the fault's timeline and the audit log. Lists are
 * scoped: one's own reports, the agency's for its administrator, all for the operator and auditor.
 */
import type { FastifyInstance } from 'fastify';
import {
  FAULT_ACTIONS,
  FAULT_STATES,
  MAX_DESCRIPTION,
  MAX_NOTE,
  MAX_SUBJECT,
} from '../../governance/index.ts';
import type { FaultAction, FaultState } from '../../governance/index.ts';
import { callerOf, type ApiDeps } from './context.ts';
import { governanceUnavailable } from './routes-reports.ts';

const keyParam = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', minLength: 1, maxLength: 64, description: 'SC-2026-0001 hoặc id' } },
} as const;

const SUMMARY: Record<FaultAction, string> = {
  acknowledge: 'Tiếp nhận sự cố (cán bộ đầu mối CNTT, Sở KH&CN) / Acknowledge a fault',
  escalate: 'Đề nghị Sở KH&CN khắc phục (cán bộ đầu mối CNTT) / Escalate a fault to the operator',
  resolve: 'Đánh dấu đã khắc phục / Mark a fault resolved',
  close: 'Đóng sự cố đã khắc phục / Close a resolved fault',
};

export function faultRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Body: { subject: string; description: string } }>(
    '/api/v1/faults',
    {
      schema: {
        summary:
          'Báo lỗi, sự cố với cán bộ đầu mối CNTT của đơn vị (Điều 10.5, 11.4) / Report a fault to the agency IT contact',
        tags: ['faults'],
        body: {
          type: 'object',
          required: ['subject', 'description'],
          additionalProperties: false,
          properties: {
            subject: { type: 'string', minLength: 1, maxLength: MAX_SUBJECT },
            description: { type: 'string', minLength: 1, maxLength: MAX_DESCRIPTION },
          },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return governanceUnavailable(reply);
      const f = await deps.governance.faults.report(caller, req.body);
      return reply.code(201).send(f);
    },
  );

  app.get<{ Querystring: { agency?: string; state?: FaultState; limit?: number } }>(
    '/api/v1/faults',
    {
      schema: {
        summary: 'Sổ theo dõi lỗi, sự cố / The faults register',
        tags: ['faults'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            agency: { type: 'string', minLength: 1, maxLength: 100 },
            state: { type: 'string', enum: [...FAULT_STATES] },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return governanceUnavailable(reply);
      const q = req.query;
      return deps.governance.faults.list(caller, {
        ...(q.agency ? { agency: q.agency } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
    },
  );

  app.get<{ Params: { key: string } }>(
    '/api/v1/faults/:key',
    {
      schema: {
        summary: 'Một sự cố và diễn biến xử lý / A fault and its timeline',
        tags: ['faults'],
        params: keyParam,
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return governanceUnavailable(reply);
      return deps.governance.faults.get(caller, req.params.key);
    },
  );

  for (const action of FAULT_ACTIONS)
    app.post<{ Params: { key: string }; Body: { note?: string } | undefined }>(
      `/api/v1/faults/:key/${action}`,
      {
        schema: {
          summary: SUMMARY[action],
          tags: ['faults'],
          params: keyParam,
          body: {
            type: 'object',
            additionalProperties: false,
            properties: { note: { type: 'string', maxLength: MAX_NOTE } },
          },
        },
        // The note is optional, and so is the body: a bare POST is an empty one.
        preValidation: async (req) => {
          if (req.body === undefined || req.body === null) req.body = {};
        },
      },
      async (req, reply) => {
        const caller = await callerOf(deps, req);
        if (!deps.governance) return governanceUnavailable(reply);
        const note = req.body?.note;
        return deps.governance.faults.act(caller, req.params.key, action, note ? { note } : {});
      },
    );
}
