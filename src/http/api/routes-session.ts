/**
 * Signing in and out, and the signed-in user's own account: POST/DELETE /api/v1/session,
 * GET /api/v1/me, PUT /api/v1/me/password, GET /api/v1/me/sign-ins (Điều 5.5: the user sees its
 * sign-in history).
 */
import type { FastifyInstance } from 'fastify';
import { CongthuError } from '../../util/errors.ts';
import { listAccess, sessionCaller } from '../../directory/index.ts';
import { bearer, noContent, sessionOf, type ApiDeps } from './context.ts';

const bilingual = { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } } as const;

export function sessionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Body: { username: string; password: string } }>(
    '/api/v1/session',
    {
      schema: {
        summary: 'Đăng nhập / Sign in',
        tags: ['session'],
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', maxLength: 320 },
            password: { type: 'string', maxLength: 1024 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              token: { type: 'string' },
              expiresAt: { type: 'string' },
              address: { type: 'string' },
              role: { type: 'string' },
              mustChangePassword: { type: 'boolean' },
              message: bilingual,
            },
          },
        },
      },
    },
    async (req, reply) => {
      const r = await deps.directory.auth.authenticate({
        username: req.body.username,
        password: req.body.password,
        protocol: 'http',
        clientIp: req.ip,
      });
      const restricted = r.status === 'password-change-required' || r.status === 'password-expired';
      if ((r.status !== 'ok' && !restricted) || !r.account)
        throw new CongthuError(
          r.status === 'throttled' ? 'limit' : 'unauthenticated',
          `auth.${r.status}`,
          r.message,
        );
      const s = await deps.sessions.create(r.account, {
        restricted,
        clientIp: req.ip,
        userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
      });
      return reply.code(201).send({
        token: s.token,
        expiresAt: s.expiresAt.toISOString(),
        address: r.account.address,
        role: r.account.role,
        mustChangePassword: restricted,
        message: r.message,
      });
    },
  );

  app.delete(
    '/api/v1/session',
    { schema: { summary: 'Đăng xuất / Sign out', tags: ['session'] } },
    async (req, reply) => {
      const token = bearer(req);
      if (token) await deps.sessions.revoke(token);
      return noContent(reply);
    },
  );

  app.get(
    '/api/v1/me',
    { schema: { summary: 'Tài khoản của tôi / My account', tags: ['me'] } },
    async (req) => {
      const s = await sessionOf(deps, req, { allowRestricted: true });
      const caller = sessionCaller(s, req.ip);
      return { ...(await deps.directory.accounts.show(caller, s.address)), sessionRestricted: s.restricted };
    },
  );

  app.put<{ Body: { current: string; next: string } }>(
    '/api/v1/me/password',
    {
      schema: {
        summary: 'Đổi mật khẩu (Điều 9.2) / Change my password',
        tags: ['me'],
        body: {
          type: 'object',
          required: ['current', 'next'],
          additionalProperties: false,
          properties: {
            current: { type: 'string', maxLength: 1024 },
            next: { type: 'string', maxLength: 1024 },
          },
        },
      },
    },
    async (req, reply) => {
      const s = await sessionOf(deps, req, { allowRestricted: true });
      await deps.directory.credentials.changeOwnPassword(sessionCaller(s, req.ip), {
        accountId: s.accountId,
        current: req.body.current,
        next: req.body.next,
      });
      return noContent(reply); // every session of the account has ended: sign in again
    },
  );

  app.get<{ Querystring: { limit?: number } }>(
    '/api/v1/me/sign-ins',
    {
      schema: {
        summary: 'Lịch sử đăng nhập (Điều 5.5) / My sign-in history',
        tags: ['me'],
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } },
        },
      },
    },
    async (req) => {
      const s = await sessionOf(deps, req);
      const rows = await listAccess(deps.store.db, s.accountId, req.query.limit ?? 100);
      return rows.map((r) => ({
        at: r.at.toISOString(),
        protocol: r.protocol,
        kind: r.kind,
        clientIp: r.clientIp,
      }));
    },
  );
}
