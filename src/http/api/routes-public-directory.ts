/**
 * The public directory over REST (Điều 11.1), and its operator side:
 *
 * - GET /api/v1/public/directory?q=…&agency=… — no sign-in; active personal, agency and sub-unit
 *   mailboxes by name (diacritics optional), agency or title. Limited per client address and per
 *   network (429 with Retry-After), a minimum query length, no wildcards, at most
 *   `directory.maxResults` entries with `truncated`, no paging: nothing lists the whole directory
 *   (Decree 91/2020 on spam). The rules are in src/directory/public-directory.ts.
 * - GET /api/v1/directory/hidden, POST and DELETE /api/v1/directory/hidden/:address — the
 *   operator hides an entry with a reason, shows it again, lists the hidden ones (audited).
 */
import type { FastifyInstance } from 'fastify';
import { isCongthuError } from '../../util/errors.ts';
import { callerOf, noContent, type ApiDeps } from './context.ts';

const address = { type: 'string', minLength: 1, maxLength: 320 } as const;
const kind = { type: 'string', enum: ['personal', 'agency', 'sub-unit'] } as const;

const entrySchema = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'Họ tên hoặc tên cơ quan / Display name' },
    title: { type: ['string', 'null'], description: 'Chức danh / Title' },
    agency: { type: 'string', description: 'Cơ quan / Agency' },
    unit: { type: ['string', 'null'], description: 'Đơn vị trực thuộc / Sub-unit' },
    address: { type: 'string', description: 'Địa chỉ thư điện tử công vụ / Official address' },
    kind,
  },
} as const;

const hiddenSchema = {
  type: 'object',
  properties: {
    address: { type: 'string' },
    name: { type: 'string' },
    kind,
    state: { type: 'string' },
    reason: { type: 'string' },
    hiddenBy: { type: 'string' },
    hiddenAt: { type: 'string' },
  },
} as const;

export function publicDirectoryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const service = deps.directory.publicDirectory;

  app.get<{ Querystring: { q: string; agency?: string } }>(
    '/api/v1/public/directory',
    {
      schema: {
        summary:
          'Tra cứu danh bạ thư điện tử công vụ, không cần đăng nhập (Điều 11.1) / Public directory search, no sign-in',
        description:
          'Tìm theo họ tên (không cần dấu), cơ quan, chức danh: mỗi từ phải là đầu một từ của mục. ' +
          'Tối thiểu directory.minQueryChars ký tự, không ký tự đại diện, tối đa directory.maxResults kết quả ' +
          '("truncated": true khi còn nữa), không phân trang; giới hạn số lần tra cứu mỗi phút theo địa chỉ IP (429). / ' +
          'Search by name (diacritics optional), agency or title: each word must begin a word of the entry. ' +
          'At least directory.minQueryChars characters, no wildcards, at most directory.maxResults results ' +
          '("truncated": true when more matched), no paging; searches per minute limited per client address (429).',
        tags: ['public'],
        security: [],
        querystring: {
          type: 'object',
          required: ['q'],
          additionalProperties: false,
          properties: {
            q: {
              type: 'string',
              maxLength: 100,
              description: 'Họ tên, cơ quan hoặc chức danh / Name, agency or title',
            },
            agency: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
              description:
                'Lọc theo tên hoặc mã cơ quan, đơn vị / Only this agency or sub-unit (name or code)',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              query: { type: 'string' },
              results: { type: 'array', items: entrySchema },
              truncated: { type: 'boolean' },
            },
          },
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      try {
        service.admit(req.ip);
      } catch (e) {
        if (isCongthuError(e) && typeof e.details.retryAfterSeconds === 'number')
          reply.header('retry-after', String(e.details.retryAfterSeconds));
        throw e;
      }
      return service.search({
        q: req.query.q,
        ...(req.query.agency !== undefined ? { agency: req.query.agency } : {}),
      });
    },
  );

  app.get(
    '/api/v1/directory/hidden',
    {
      schema: {
        summary: 'Các mục đã ẩn khỏi danh bạ công khai / Entries hidden from the public directory',
        tags: ['public'],
        response: { 200: { type: 'array', items: hiddenSchema } },
      },
    },
    async (req) => service.listHidden(await callerOf(deps, req)),
  );

  app.post<{ Params: { address: string }; Body: { reason: string } }>(
    '/api/v1/directory/hidden/:address',
    {
      schema: {
        summary:
          'Ẩn một mục khỏi danh bạ công khai, có lý do / Hide an entry from the public directory, with a reason',
        tags: ['public'],
        params: { type: 'object', required: ['address'], properties: { address } },
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
        },
        response: { 201: hiddenSchema },
      },
    },
    async (req, reply) => {
      const r = await service.hide(await callerOf(deps, req), req.params.address, req.body.reason);
      return reply.code(201).send(r);
    },
  );

  app.delete<{ Params: { address: string }; Querystring: { reason?: string } }>(
    '/api/v1/directory/hidden/:address',
    {
      schema: {
        summary: 'Hiện lại một mục trong danh bạ công khai / Show a hidden entry again',
        tags: ['public'],
        params: { type: 'object', required: ['address'], properties: { address } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: { type: 'string', maxLength: 500 } },
        },
      },
    },
    async (req, reply) => {
      await service.unhide(await callerOf(deps, req), req.params.address, req.query.reason);
      return noContent(reply);
    },
  );
}
