/**
 * Mailbox requests over REST (Điều 7.2, 8.3) and the one-time activation links:
 *
 * - POST /api/v1/requests: file a request (agency administrator for its own agency; the
 *   operator). JSON with the scanned legal basis in base64 (`file.contentBase64`): no multipart
 *   dependency, and the route alone accepts a body as large as the configured maximum file size.
 * - GET /api/v1/requests[?agency&state&overdue], GET /api/v1/requests/:id (id or ref "YC-2026-0001"):
 *   with the deadline, the working days left and the overdue flag.
 * - POST /api/v1/requests/:id/review|approve|reject|withdraw: the state machine.
 * - GET /api/v1/requests/:id/letter.html|letter.pdf: the numbered reply; /basis: the scan.
 * - GET /api/v1/activation?token=…: whom a link is for; POST /api/v1/activation {token, password}:
 *   sets the first password. No session: the token is the credential.
 * The services check roles; these routes validate and translate.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { invalid } from '../../util/errors.ts';
import { REQUEST_KINDS, REQUEST_STATES } from '../../governance/index.ts';
import { callerOf, type ApiDeps } from './context.ts';

const idParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;

function unavailable(reply: FastifyReply): FastifyReply {
  return reply.code(503).send({
    error: {
      code: 'requests.unavailable',
      message: {
        vi: 'Chức năng đề nghị cấp, thay đổi, xóa hộp thư chưa được bật trên máy chủ này.',
        en: 'Mailbox requests are not enabled on this server.',
      },
    },
  });
}

function decodeBase64(b64: string): Buffer {
  const clean = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1)
    throw invalid(
      'request.bad-file-encoding',
      'Tệp đính kèm phải được mã hóa base64.',
      'The attached file must be base64-encoded.',
    );
  return Buffer.from(clean, 'base64');
}

/** RFC 6266 filename parameters: an ASCII fallback and the UTF-8 name. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

interface FileBody {
  agency?: string;
  kind: string;
  details: Record<string, unknown>;
  basis: { number: string; date: string; issuer: string };
  file: { name?: string; type?: string; contentBase64: string };
}

export function requestRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const maxBytes = deps.governance?.requests.settings.maxBasisBytes ?? 20 * 1024 * 1024;
  const gov = () => deps.governance;

  app.post<{ Body: FileBody }>(
    '/api/v1/requests',
    {
      bodyLimit: Math.ceil((maxBytes * 4) / 3) + 64 * 1024,
      schema: {
        summary:
          'Gửi đề nghị cấp mới, thay đổi, xóa, khôi phục hộp thư (Điều 7.2.a, 8.3.a) / File a mailbox request',
        description:
          'details by kind: create-personal {name, org?, title?, personId?}; create-sub-unit {code, name}; create-agency {code, name, category?, contact} (operator only); change {address, name?, title?, transferTo?, quotaBytes?, addAliases?, removeAliases?}; delete {address, reason: retirement|resignation|transfer-out|dissolution}; restore {address}. The file is the scanned legal basis (PDF, JPEG or PNG), base64.',
        tags: ['requests'],
        body: {
          type: 'object',
          required: ['kind', 'details', 'basis', 'file'],
          additionalProperties: false,
          properties: {
            agency: text(64),
            kind: { type: 'string', enum: [...REQUEST_KINDS] },
            details: { type: 'object' },
            basis: {
              type: 'object',
              required: ['number', 'date', 'issuer'],
              additionalProperties: false,
              properties: {
                number: text(100),
                date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
                issuer: text(300),
              },
            },
            file: {
              type: 'object',
              required: ['contentBase64'],
              additionalProperties: false,
              properties: {
                name: text(255),
                type: text(100),
                contentBase64: { type: 'string', minLength: 1 },
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      const b = req.body;
      const r = await g.requests.file(caller, {
        ...(b.agency ? { agency: b.agency } : {}),
        kind: b.kind,
        details: b.details,
        basis: b.basis,
        file: {
          content: decodeBase64(b.file.contentBase64),
          ...(b.file.type ? { type: b.file.type } : {}),
          ...(b.file.name ? { filename: b.file.name } : {}),
        },
      });
      return reply.code(201).send(r);
    },
  );

  app.get<{ Querystring: { agency?: string; state?: string; overdue?: boolean; limit?: number } }>(
    '/api/v1/requests',
    {
      schema: {
        summary:
          'Danh sách đề nghị, hạn xử lý, số ngày làm việc còn lại, quá hạn / List requests with deadlines',
        tags: ['requests'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            agency: text(64),
            state: { type: 'string', enum: [...REQUEST_STATES] },
            overdue: { type: 'boolean' },
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
      return g.requests.list(caller, {
        ...(q.agency ? { agency: q.agency } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.overdue ? { overdue: true } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/requests/:id',
    { schema: { summary: 'Một đề nghị / One request', tags: ['requests'], params: idParam } },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return g.requests.show(caller, req.params.id);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/requests/:id/review',
    {
      schema: {
        summary: 'Nhận xử lý đề nghị (Điều 7.2.b) / Take a request in review',
        tags: ['requests'],
        params: idParam,
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return g.requests.review(caller, req.params.id);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/requests/:id/approve',
    {
      schema: {
        summary:
          'Chấp thuận và thực hiện đề nghị, gửi văn bản trả lời (Điều 7.2.b, 8.3.b) / Approve, execute, send the reply',
        tags: ['requests'],
        params: idParam,
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return g.requests.approve(caller, req.params.id);
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/v1/requests/:id/reject',
    {
      schema: {
        summary: 'Từ chối đề nghị, nêu lý do, gửi văn bản trả lời / Reject with a reason, send the reply',
        tags: ['requests'],
        params: idParam,
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: { reason: text(2000) },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return g.requests.reject(caller, req.params.id, req.body.reason);
    },
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } }>(
    '/api/v1/requests/:id/withdraw',
    {
      schema: {
        summary: 'Rút đề nghị chưa được quyết định / Withdraw an open request',
        tags: ['requests'],
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: text(2000) },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return g.requests.withdraw(caller, req.params.id, req.body?.reason);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/requests/:id/letter.html',
    {
      schema: {
        summary: 'Văn bản trả lời (HTML) / The reply letter as HTML',
        tags: ['requests'],
        params: idParam,
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      const l = await g.requests.letter(caller, req.params.id);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', disposition('inline', `cong-van-${l.number.replace('/', '-')}.html`))
        .send(l.html);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/requests/:id/letter.pdf',
    {
      schema: {
        summary: 'Văn bản trả lời (PDF) / The reply letter as PDF',
        tags: ['requests'],
        params: idParam,
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      const l = await g.requests.letterPdf(caller, req.params.id);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          disposition('attachment', `cong-van-${l.number.replace('/', '-')}.pdf`),
        )
        .send(l.pdf);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/requests/:id/basis',
    {
      schema: {
        summary: 'Bản quét văn bản căn cứ / The scanned legal basis',
        tags: ['requests'],
        params: idParam,
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      const f = await g.requests.basisFile(caller, req.params.id);
      return reply
        .type(f.type)
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-disposition',
          disposition('attachment', f.filename ?? `van-ban-can-cu.${f.type.split('/')[1]}`),
        )
        .send(f.content);
    },
  );

  app.post<{ Params: { address: string } }>(
    '/api/v1/accounts/:address/activation',
    {
      schema: {
        summary: 'Gửi lại đường dẫn kích hoạt cho hộp thư chưa có mật khẩu / Send a new activation link',
        tags: ['requests'],
        params: {
          type: 'object',
          required: ['address'],
          properties: { address: text(320) },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      const g = gov();
      if (!g) return unavailable(reply);
      return g.activations.reissue(caller, req.params.address);
    },
  );

  app.get<{ Querystring: { token: string } }>(
    '/api/v1/activation',
    {
      schema: {
        summary: 'Đường dẫn kích hoạt dành cho hộp thư nào / Whom an activation link is for',
        tags: ['requests'],
        security: [],
        querystring: {
          type: 'object',
          required: ['token'],
          additionalProperties: false,
          properties: { token: text(100) },
        },
      },
    },
    async (req, reply) => {
      const g = gov();
      if (!g) return unavailable(reply);
      reply.header('cache-control', 'no-store');
      return g.activations.inspect(req.query.token);
    },
  );

  app.post<{ Body: { token: string; password: string } }>(
    '/api/v1/activation',
    {
      schema: {
        summary:
          'Kích hoạt hộp thư: đặt mật khẩu lần đầu (Điều 9.2) / Activate a mailbox: set its first password',
        tags: ['requests'],
        security: [],
        body: {
          type: 'object',
          required: ['token', 'password'],
          additionalProperties: false,
          properties: { token: text(100), password: { type: 'string', maxLength: 1024 } },
        },
      },
    },
    async (req, reply) => {
      const g = gov();
      if (!g) return unavailable(reply);
      reply.header('cache-control', 'no-store');
      return g.activations.activate(req.body.token, req.body.password, req.ip);
    },
  );
}
