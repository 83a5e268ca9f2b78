/**
 * Organisations and mailboxes over REST, with the same role checks as the CLI (the services check
 * them): the operator manages; an agency administrator reads its own agency; the auditor reads.
 */
import type { FastifyInstance } from 'fastify';
import type { AccountKind, AccountState } from '../../store/index.ts';
import { callerOf, type ApiDeps } from './context.ts';

const text = (max = 300) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const addressParam = {
  type: 'object',
  required: ['address'],
  properties: { address: { type: 'string', minLength: 1, maxLength: 320 } },
} as const;

export function directoryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const d = deps.directory;

  app.get<{ Querystring: { parent?: string } }>(
    '/api/v1/orgs',
    {
      schema: {
        summary: 'Danh sách cơ quan, đơn vị / List organisations',
        tags: ['directory'],
        querystring: { type: 'object', properties: { parent: text(64) } },
      },
    },
    async (req) =>
      d.orgs.list(await callerOf(deps, req), req.query.parent ? { parentCode: req.query.parent } : {}),
  );

  app.post<{ Body: { code: string; name: string; parent?: string; kind?: string } }>(
    '/api/v1/orgs',
    {
      schema: {
        summary: 'Tạo cơ quan, đơn vị và hộp thư của nó / Create an organisation and its mailbox',
        tags: ['directory'],
        body: {
          type: 'object',
          required: ['code', 'name'],
          additionalProperties: false,
          properties: { code: text(64), name: text(), parent: text(64), kind: text(32) },
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await d.orgs.create(await callerOf(deps, req), {
        code: b.code,
        name: b.name,
        ...(b.parent ? { parentCode: b.parent } : {}),
        ...(b.kind ? { kind: b.kind } : {}),
      });
      return reply.code(201).send(r);
    },
  );

  app.get<{ Params: { code: string } }>(
    '/api/v1/orgs/:code',
    { schema: { summary: 'Một cơ quan, đơn vị / One organisation', tags: ['directory'] } },
    async (req) => d.orgs.show(await callerOf(deps, req), req.params.code),
  );

  app.patch<{ Params: { code: string }; Body: { name: string } }>(
    '/api/v1/orgs/:code',
    {
      schema: {
        summary: 'Đổi tên / Rename',
        tags: ['directory'],
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: text() },
        },
      },
    },
    async (req) => d.orgs.rename(await callerOf(deps, req), req.params.code, req.body.name),
  );

  app.get<{
    Querystring: { org?: string; state?: AccountState; kind?: AccountKind; limit?: number; offset?: number };
  }>(
    '/api/v1/accounts',
    {
      schema: {
        summary: 'Danh sách hộp thư / List mailboxes',
        tags: ['directory'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            org: text(64),
            state: { type: 'string', enum: ['active', 'suspended', 'deleted'] },
            kind: { type: 'string', enum: ['agency', 'sub-unit', 'personal'] },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      return d.accounts.list(await callerOf(deps, req), {
        ...(q.org ? { orgCode: q.org } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
        ...(q.offset ? { offset: q.offset } : {}),
      });
    },
  );

  app.post<{ Body: { name: string; org: string; personId?: string; title?: string } }>(
    '/api/v1/accounts',
    {
      schema: {
        summary: 'Cấp hộp thư cá nhân (Điều 6.2) / Create a personal mailbox',
        tags: ['directory'],
        body: {
          type: 'object',
          required: ['name', 'org'],
          additionalProperties: false,
          properties: { name: text(200), org: text(64), personId: text(64), title: text(200) },
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await d.accounts.createPersonal(await callerOf(deps, req), {
        name: b.name,
        orgCode: b.org,
        ...(b.personId ? { personId: b.personId } : {}),
        ...(b.title ? { title: b.title } : {}),
      });
      return reply.code(201).send(r);
    },
  );

  app.get<{ Params: { address: string } }>(
    '/api/v1/accounts/:address',
    { schema: { summary: 'Một hộp thư / One mailbox', tags: ['directory'], params: addressParam } },
    async (req) => d.accounts.show(await callerOf(deps, req), req.params.address),
  );

  app.post<{ Params: { address: string }; Body: { reason: string; basis?: string } }>(
    '/api/v1/accounts/:address/suspend',
    {
      schema: {
        summary: 'Tạm khóa (Điều 8) / Suspend',
        tags: ['directory'],
        params: addressParam,
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: {
            reason: { type: 'string', enum: ['inactivity', 'compromised', 'other'] },
            basis: text(2000),
          },
        },
      },
    },
    async (req) => d.admin.suspend(await callerOf(deps, req), req.params.address, req.body),
  );

  app.post<{ Params: { address: string }; Body: { basis?: string } }>(
    '/api/v1/accounts/:address/restore',
    {
      schema: {
        summary: 'Khôi phục (Điều 8.3) / Restore',
        tags: ['directory'],
        params: addressParam,
        body: { type: 'object', additionalProperties: false, properties: { basis: text(2000) } },
      },
    },
    async (req) => d.admin.restore(await callerOf(deps, req), req.params.address, req.body ?? {}),
  );

  app.post<{ Params: { address: string }; Body: { reason?: string; basis?: string } }>(
    '/api/v1/accounts/:address/delete',
    {
      schema: {
        summary: 'Xóa (Điều 7) / Delete',
        tags: ['directory'],
        params: addressParam,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: text(500), basis: text(2000) },
        },
      },
    },
    async (req) => d.admin.delete(await callerOf(deps, req), req.params.address, req.body ?? {}),
  );

  app.put<{ Params: { address: string }; Body: { bytes: number | null } }>(
    '/api/v1/accounts/:address/quota',
    {
      schema: {
        summary: 'Dung lượng (Điều 9.1) / Quota',
        tags: ['directory'],
        params: addressParam,
        body: {
          type: 'object',
          required: ['bytes'],
          additionalProperties: false,
          properties: { bytes: { type: ['integer', 'null'], minimum: 0 } },
        },
      },
    },
    async (req) => d.admin.setQuota(await callerOf(deps, req), req.params.address, req.body.bytes),
  );
}
