/**
 * Compliance reports over REST (Điều 13): the checking-frequency report (Điều 12) per agency and
 * period, as JSON or as CSV (a header row, UTF-8 with a BOM so that Excel shows Vietnamese). The
 * operator and the auditor read any agency (or, without `agency`, the whole province); an agency
 * administrator only its own. The service checks the role; this route validates and formats.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { complianceCsv } from '../../governance/index.ts';
import { callerOf, type ApiDeps } from './context.ts';

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

export function governanceUnavailable(reply: FastifyReply): FastifyReply {
  return reply.code(503).send({
    error: {
      code: 'governance.unavailable',
      message: {
        vi: 'Chức năng quản trị chưa được bật trên máy chủ này.',
        en: 'The governance services are not enabled on this server.',
      },
    },
  });
}

export function reportRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: { agency?: string; from: string; to: string; format?: 'json' | 'csv' } }>(
    '/api/v1/reports/checking',
    {
      schema: {
        summary:
          'Tần suất kiểm tra hộp thư (Điều 12): tỷ lệ tuân thủ, ngày thiếu, hộp thư cơ quan dưới yêu cầu / Mailbox checking frequency: compliance, days missed, agency mailboxes below the requirement',
        tags: ['reports'],
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          additionalProperties: false,
          properties: {
            agency: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
              description: 'Mã cơ quan / agency code; bỏ trống: toàn tỉnh (operator, auditor)',
            },
            from: date,
            to: date,
            format: { type: 'string', enum: ['json', 'csv'] },
          },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return governanceUnavailable(reply);
      const q = req.query;
      const r = await deps.governance.checking.report(caller, {
        from: q.from,
        to: q.to,
        ...(q.agency ? { agency: q.agency } : {}),
      });
      if (q.format !== 'csv') return r;
      const name = `kiem-tra-hop-thu_${r.agency?.code ?? 'toan-tinh'}_${r.from}_${r.to}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(complianceCsv(r.mailboxes));
    },
  );
}
