/**
 * Compliance reports over REST (Điều 13): the checking-frequency report (Điều 12) per agency and
 * period, as JSON or as CSV (a header row, UTF-8 with a BOM so that Excel shows Vietnamese). The
 * operator and the auditor read any agency (or, without `agency`, the whole province); an agency
 * administrator only its own. The service checks the role; this route validates and formats.
 * The usage report (Điều 13) per agency and period as JSON, CSV, HTML or PDF; the finance view
 * (accounts and storage per agency) as JSON or CSV for the operator and the auditor.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { complianceCsv, financeCsv, usageCsv, usageHtml, usagePdf } from '../../governance/index.ts';
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

  app.get<{
    Querystring: { agency?: string; from: string; to: string; format?: 'json' | 'csv' | 'html' | 'pdf' };
  }>(
    '/api/v1/reports/usage',
    {
      schema: {
        summary:
          'Tình hình sử dụng (Điều 13): tài khoản, dung lượng, thư gửi và nhận, yêu cầu đúng và trễ hạn, sự cố / Usage: accounts, storage, mail sent and received, requests on time and late, incidents',
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
              description: 'Mã cơ quan / agency code; bỏ trống: mọi cơ quan và toàn tỉnh (operator, auditor)',
            },
            from: date,
            to: date,
            format: { type: 'string', enum: ['json', 'csv', 'html', 'pdf'] },
          },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return governanceUnavailable(reply);
      const q = req.query;
      const r = await deps.governance.usage.report(caller, {
        from: q.from,
        to: q.to,
        ...(q.agency ? { agency: q.agency } : {}),
      });
      const name = `tinh-hinh-su-dung_${r.agency?.code ?? 'toan-tinh'}_${r.from}_${r.to}`;
      if (q.format === 'csv')
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(usageCsv(r));
      if (q.format === 'html')
        return reply.header('content-type', 'text/html; charset=utf-8').send(usageHtml(r));
      if (q.format === 'pdf')
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="${name}.pdf"`)
          .send(await usagePdf(r));
      return r;
    },
  );

  app.get<{ Querystring: { format?: 'json' | 'csv' } }>(
    '/api/v1/reports/finance',
    {
      schema: {
        summary:
          'Tài khoản và dung lượng theo cơ quan (tài chính) / Accounts and storage per agency (finance view)',
        tags: ['reports'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: ['json', 'csv'] } },
        },
      },
    },
    async (req, reply) => {
      const caller = await callerOf(deps, req);
      if (!deps.governance) return governanceUnavailable(reply);
      const f = await deps.governance.usage.finance(caller);
      if (req.query.format !== 'csv') return f;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="tai-khoan-dung-luong_${f.generatedAt.slice(0, 10)}.csv"`,
        )
        .send(financeCsv(f));
    },
  );
}
