/**
 * The working-day calendar over REST: anyone signed in reads it (deadlines are counted with it);
 * the operator records days off and working days (REQUIREMENTS "Working days").
 */
import type { FastifyInstance } from 'fastify';
import { callerOf, noContent, type ApiDeps } from './context.ts';

const dateParam = {
  type: 'object',
  required: ['date'],
  properties: { date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
} as const;

export function calendarRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const c = deps.calendar;

  app.get<{ Params: { year: number } }>(
    '/api/v1/calendar/:year',
    {
      schema: {
        summary: 'Lịch một năm / A year of the calendar',
        tags: ['calendar'],
        params: {
          type: 'object',
          required: ['year'],
          properties: { year: { type: 'integer', minimum: 1900, maximum: 2199 } },
        },
      },
    },
    async (req) => {
      await callerOf(deps, req);
      return c.showYear(req.params.year);
    },
  );

  app.get<{ Params: { date: string } }>(
    '/api/v1/calendar/days/:date',
    {
      schema: {
        summary: 'Một ngày có làm việc không / Is it a working day',
        tags: ['calendar'],
        params: dateParam,
      },
    },
    async (req) => {
      await callerOf(deps, req);
      return c.explain(req.params.date);
    },
  );

  app.get<{ Querystring: { from: string; n: number } }>(
    '/api/v1/calendar/add-working-days',
    {
      schema: {
        summary: 'Ngày sau N ngày làm việc / N working days after a date',
        tags: ['calendar'],
        querystring: {
          type: 'object',
          required: ['from', 'n'],
          properties: {
            from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
            n: { type: 'integer', minimum: -3650, maximum: 3650 },
          },
        },
      },
    },
    async (req) => {
      await callerOf(deps, req);
      return {
        from: req.query.from,
        workingDays: req.query.n,
        date: await c.addWorkingDays(req.query.from, req.query.n),
      };
    },
  );

  app.put<{ Params: { date: string }; Body: { kind: 'off' | 'work'; reason: { vi: string; en?: string } } }>(
    '/api/v1/calendar/days/:date',
    {
      schema: {
        summary: 'Ghi ngày nghỉ hoặc ngày làm việc / Record a day off or a working day',
        tags: ['calendar'],
        params: dateParam,
        body: {
          type: 'object',
          required: ['kind', 'reason'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: ['off', 'work'] },
            reason: {
              type: 'object',
              required: ['vi'],
              additionalProperties: false,
              properties: {
                vi: { type: 'string', minLength: 1, maxLength: 300 },
                en: { type: 'string', maxLength: 300 },
              },
            },
          },
        },
      },
    },
    async (req) => c.setDay(await callerOf(deps, req), req.params.date, req.body.kind, req.body.reason),
  );

  app.delete<{ Params: { date: string } }>(
    '/api/v1/calendar/days/:date',
    {
      schema: {
        summary: 'Bỏ ghi chép một ngày / Remove the record of a date',
        tags: ['calendar'],
        params: dateParam,
      },
    },
    async (req) => c.clearDay(await callerOf(deps, req), req.params.date),
  );

  app.put<{ Body: { on: boolean } }>(
    '/api/v1/calendar/culture-day',
    {
      schema: {
        summary: 'Ngày nghỉ 24/11 / The 24/11 holiday',
        tags: ['calendar'],
        body: {
          type: 'object',
          required: ['on'],
          additionalProperties: false,
          properties: { on: { type: 'boolean' } },
        },
      },
    },
    async (req, reply) => {
      await c.setCultureDay(await callerOf(deps, req), req.body.on);
      return noContent(reply);
    },
  );
}
