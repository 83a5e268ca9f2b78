/**
 * Delegation of agency and sub-unit mailboxes over REST (Điều 10.1): the head of an agency (role
 * agency-admin) or the operator grants a person of the same agency the use of the agency's or a
 * sub-unit's mailbox (`read` or `manage`, optionally `sendAs`), revokes it, lists the grants in
 * force and reads the mailbox's delegation history (grants, revocations, uses, mail sent as it).
 * The role checks and the rules are in the directory's DelegationService, the same as the CLI's.
 */
import type { FastifyInstance } from 'fastify';
import { callerOf, noContent, type ApiDeps } from './context.ts';

const address = { type: 'string', minLength: 3, maxLength: 320 } as const;

export function delegationRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const service = deps.directory.delegations;

  app.get<{ Querystring: { mailbox?: string; delegate?: string } }>(
    '/api/v1/delegations',
    {
      schema: {
        summary: 'Các ủy quyền hộp thư đang có hiệu lực (Điều 10.1) / Mailbox delegations in force',
        tags: ['delegations'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { mailbox: address, delegate: address },
        },
      },
    },
    async (req) => {
      const q = req.query;
      return service.list(await callerOf(deps, req), {
        ...(q.mailbox ? { mailbox: q.mailbox } : {}),
        ...(q.delegate ? { delegate: q.delegate } : {}),
      });
    },
  );

  app.post<{
    Body: { mailbox: string; delegate: string; rights: 'read' | 'manage'; sendAs?: boolean; reason?: string };
  }>(
    '/api/v1/delegations',
    {
      schema: {
        summary:
          'Ủy quyền quản lý, sử dụng hộp thư cơ quan, đơn vị (Điều 10.1); cấp lại thì thay quyền cũ / Delegate an agency mailbox (replaces an earlier grant)',
        tags: ['delegations'],
        body: {
          type: 'object',
          required: ['mailbox', 'delegate', 'rights'],
          additionalProperties: false,
          properties: {
            mailbox: address,
            delegate: address,
            rights: {
              type: 'string',
              enum: ['read', 'manage'],
              description:
                'read: đọc (IMAP "lrs") / read; manage: đọc và quản lý ("lrswikxte") / read and manage',
            },
            sendAs: { type: 'boolean', description: 'Được gửi thay hộp thư / may send as the mailbox' },
            reason: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await service.grant(await callerOf(deps, req), b.mailbox, b.delegate, {
        rights: b.rights,
        sendAs: b.sendAs === true,
        ...(b.reason ? { reason: b.reason } : {}),
      });
      return reply.code(201).send(r);
    },
  );

  app.delete<{ Querystring: { mailbox: string; delegate: string; reason?: string } }>(
    '/api/v1/delegations',
    {
      schema: {
        summary: 'Thu hồi ủy quyền, có hiệu lực ngay / Revoke a delegation at once',
        tags: ['delegations'],
        querystring: {
          type: 'object',
          required: ['mailbox', 'delegate'],
          additionalProperties: false,
          properties: { mailbox: address, delegate: address, reason: { type: 'string', maxLength: 500 } },
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      await service.revoke(
        await callerOf(deps, req),
        q.mailbox,
        q.delegate,
        q.reason ? { reason: q.reason } : {},
      );
      return noContent(reply);
    },
  );

  app.get<{ Querystring: { mailbox: string; limit?: number } }>(
    '/api/v1/delegations/history',
    {
      schema: {
        summary:
          'Lịch sử ủy quyền và sử dụng một hộp thư / Delegation history of a mailbox (grants, revocations, uses, mail sent as it)',
        tags: ['delegations'],
        querystring: {
          type: 'object',
          required: ['mailbox'],
          additionalProperties: false,
          properties: { mailbox: address, limit: { type: 'integer', minimum: 1, maximum: 1000 } },
        },
      },
    },
    async (req) => service.history(await callerOf(deps, req), req.query.mailbox, req.query.limit ?? 200),
  );
}
