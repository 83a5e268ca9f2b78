/**
 * The mailbox lifecycle over REST (Điều 5.1, 7.3, 8.2): run the daily rules (operator; dry run
 * with another "now"), file and list inactivity exemptions (operator; agency administrator for
 * its own agency), report a compromised mailbox (the holder, the operator, the agency
 * administrator for its own agency), and restore one with a new default password (operator).
 * The services check the roles; these routes only validate and translate.
 *
 * The services come in `deps.governance` (src/governance `governanceFor(system)`); without them
 * the routes answer 503.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { callerOf, type ApiDeps } from './context.ts';

export type LifecycleApiDeps = ApiDeps;

const addressParam = {
  type: 'object',
  required: ['address'],
  properties: { address: { type: 'string', minLength: 1, maxLength: 320 } },
} as const;
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

function unavailable(reply: FastifyReply): FastifyReply {
  return reply.code(503).send({
    error: {
      code: 'lifecycle.unavailable',
      message: {
        vi: 'Chức năng vòng đời hộp thư chưa được bật trên máy chủ này.',
        en: 'The mailbox lifecycle services are not enabled on this server.',
      },
    },
  });
}

export function lifecycleRoutes(app: FastifyInstance, deps: LifecycleApiDeps): void {
  app.post<{ Body: { dryRun?: boolean; now?: string } }>(
    '/api/v1/lifecycle/run',
    {
      schema: {
        summary: 'Chạy quy tắc vòng đời hộp thư (Điều 7.3, 8.2.a, 5.1) / Run the lifecycle rules',
        tags: ['lifecycle'],
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            dryRun: { type: 'boolean' },
            now: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return unavailable(reply);
      const b = req.body ?? {};
      return deps.governance.lifecycle.run(caller, {
        dryRun: b.dryRun === true,
        ...(b.now ? { now: new Date(b.now) } : {}),
      });
    },
  );

  app.get<{ Params: { address: string } }>(
    '/api/v1/accounts/:address/exemptions',
    {
      schema: {
        summary: 'Các miễn trừ không hoạt động / Inactivity exemptions',
        tags: ['lifecycle'],
        params: addressParam,
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return unavailable(reply);
      return deps.governance.exemptions.list(caller, req.params.address);
    },
  );

  app.post<{
    Params: { address: string };
    Body: { reason: string; until: string; from?: string; basis?: string };
  }>(
    '/api/v1/accounts/:address/exemptions',
    {
      schema: {
        summary:
          'Thông báo lý do không hoạt động, tạm dừng tính thời gian (Điều 7.3, 8.2.a) / State a reason for inactivity',
        tags: ['lifecycle'],
        params: addressParam,
        body: {
          type: 'object',
          required: ['reason', 'until'],
          additionalProperties: false,
          properties: {
            reason: { type: 'string', minLength: 1, maxLength: 500 },
            basis: { type: 'string', minLength: 1, maxLength: 2000 },
            from: date,
            until: date,
          },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return unavailable(reply);
      const r = await deps.governance.exemptions.file(caller, req.params.address, req.body);
      return reply.code(201).send(r);
    },
  );

  app.post(
    '/api/v1/me/compromised',
    {
      schema: {
        summary:
          'Báo hộp thư của tôi có thể bị lộ mật khẩu (Điều 5.1, 8.2.b) / My account may be compromised',
        tags: ['lifecycle'],
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return unavailable(reply);
      return deps.governance.compromise.report(caller, null);
    },
  );

  app.post<{ Params: { address: string } }>(
    '/api/v1/accounts/:address/compromised',
    {
      schema: {
        summary: 'Báo hộp thư bị lộ mật khẩu, tạm khóa ngay (Điều 8.2.b) / Report a compromised mailbox',
        tags: ['lifecycle'],
        params: addressParam,
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return unavailable(reply);
      return deps.governance.compromise.report(caller, req.params.address);
    },
  );

  app.post<{ Params: { address: string }; Body: { basis?: string } }>(
    '/api/v1/accounts/:address/restore-compromised',
    {
      schema: {
        summary:
          'Khôi phục hộp thư bị lộ mật khẩu với mật khẩu mặc định mới (Điều 8.3) / Restore with a new default password',
        tags: ['lifecycle'],
        params: addressParam,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { basis: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return unavailable(reply);
      return deps.governance.compromise.restoreAfterCompromise(caller, req.params.address, req.body ?? {});
    },
  );
}
