/**
 * Classified-document incidents over REST (Điều 10.4, 11.3):
 *
 * - POST /api/v1/incidents {folder, uid, note?}: the signed-in holder reports a message of its own
 *   mailbox as containing state secrets; the heads, the operators and the sender are notified.
 * - GET /api/v1/incidents[?agency&state], GET /api/v1/incidents/:id (id or "SC-MAT-2026-0001"):
 *   the timeline (chain of custody) and the evidence metadata: hashes, sizes, where each copy was.
 * - POST /api/v1/incidents/:id/contain|assess|close: the state machine (operator).
 * - POST /api/v1/incidents/:id/content-grants {auditor}: the operator lets one auditor read it.
 * - GET /api/v1/incidents/:id/content[?sha256]: the quarantined message (message/rfc822), for the
 *   operator or a granted auditor; every read is recorded.
 * The service checks roles; these routes validate and translate.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { INCIDENT_STATES, type Governance } from '../../governance/index.ts';
import { callerOf, type ApiDeps } from './context.ts';

const idParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
const TAGS = ['incidents'];

function unavailable(reply: FastifyReply): FastifyReply {
  return reply.code(503).send({
    error: {
      code: 'incidents.unavailable',
      message: {
        vi: 'Chức năng xử lý sự cố tài liệu mật chưa được bật trên máy chủ này.',
        en: 'Classified-document incidents are not enabled on this server.',
      },
    },
  });
}

export function incidentRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const gov = (): Governance | undefined => deps.governance;

  app.post<{ Body: { mailbox?: string; folder: string; uid: number; note?: string } }>(
    '/api/v1/incidents',
    {
      schema: {
        summary:
          'Báo cáo thư có nội dung bí mật nhà nước (Điều 10.4, 11.3) / Report a message containing state secrets',
        description:
          'The message is one of the caller’s own mailbox (or of `mailbox`, an agency mailbox it uses by delegation), by folder and UID. The head of the agency, the operators and the sending agency are notified.',
        tags: TAGS,
        body: {
          type: 'object',
          required: ['folder', 'uid'],
          additionalProperties: false,
          properties: {
            mailbox: { type: 'string', minLength: 1, maxLength: 320 },
            folder: { type: 'string', minLength: 1, maxLength: 1000 },
            uid: { type: 'integer', minimum: 1, maximum: 4294967295 },
            note: { type: 'string', maxLength: 2000 },
          },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      const b = req.body;
      const r = await g.incidents.report(caller, {
        ...(b.mailbox ? { mailbox: b.mailbox } : {}),
        folder: b.folder,
        uid: b.uid,
        ...(b.note ? { note: b.note } : {}),
      });
      return reply.code(201).send(r);
    },
  );

  app.get<{ Querystring: { agency?: string; state?: string; limit?: number } }>(
    '/api/v1/incidents',
    {
      schema: {
        summary: 'Danh sách sự cố tài liệu mật / List classified-document incidents',
        tags: TAGS,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            agency: { type: 'string', minLength: 1, maxLength: 64 },
            state: { type: 'string', enum: [...INCIDENT_STATES] },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
          },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      const q = req.query;
      return g.incidents.list(caller, {
        ...(q.agency ? { agency: q.agency } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/incidents/:id',
    {
      schema: {
        summary:
          'Một sự cố: diễn biến, chuỗi lưu giữ chứng cứ, mã băm (không có nội dung thư) / One incident: timeline, custody, hashes (no content)',
        tags: TAGS,
        params: idParam,
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return g.incidents.show(caller, req.params.id);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/incidents/:id/contain',
    {
      schema: {
        summary:
          'Cách ly: gỡ mọi bản sao của thư khỏi mọi hộp thư, lưu làm chứng cứ / Contain: remove every copy into the quarantine',
        tags: TAGS,
        params: idParam,
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return g.incidents.contain(caller, req.params.id);
    },
  );

  app.post<{ Params: { id: string }; Body: { assessment: string } }>(
    '/api/v1/incidents/:id/assess',
    {
      schema: {
        summary: 'Ghi kết quả đánh giá mức độ lộ, lọt thông tin / Record the assessment of the leak',
        tags: TAGS,
        params: idParam,
        body: {
          type: 'object',
          required: ['assessment'],
          additionalProperties: false,
          properties: { assessment: { type: 'string', minLength: 1, maxLength: 10000 } },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return g.incidents.assess(caller, req.params.id, req.body.assessment);
    },
  );

  app.post<{ Params: { id: string }; Body: { note?: string } | undefined }>(
    '/api/v1/incidents/:id/close',
    {
      schema: {
        summary: 'Đóng sự cố / Close the incident',
        tags: TAGS,
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { note: { type: 'string', maxLength: 2000 } },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return g.incidents.close(caller, req.params.id, req.body?.note);
    },
  );

  app.post<{ Params: { id: string }; Body: { auditor: string } }>(
    '/api/v1/incidents/:id/content-grants',
    {
      schema: {
        summary:
          'Cho phép một cán bộ kiểm tra an ninh đọc nội dung thư của sự cố / Let one security auditor read the content',
        tags: TAGS,
        params: idParam,
        body: {
          type: 'object',
          required: ['auditor'],
          additionalProperties: false,
          properties: { auditor: { type: 'string', minLength: 1, maxLength: 320 } },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return reply.code(201).send(await g.incidents.grantContent(caller, req.params.id, req.body.auditor));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { sha256?: string } }>(
    '/api/v1/incidents/:id/content',
    {
      schema: {
        summary:
          'Nội dung thư được lưu làm chứng cứ (ghi nhật ký mỗi lần đọc) / The quarantined message (every read recorded)',
        description:
          'message/rfc822. The operator, or a security auditor the operator granted for this incident. Without sha256: the reported message.',
        tags: TAGS,
        params: idParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      const r = await g.incidents.content(caller, req.params.id, req.query.sha256);
      return reply
        .header('content-type', 'message/rfc822')
        .header('content-disposition', `attachment; filename="${r.number}.eml"`)
        .header('x-content-sha256', r.sha256)
        .header('cache-control', 'no-store')
        .send(r.content);
    },
  );
}
