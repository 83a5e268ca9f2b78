/**
 * Every error of the API in one shape: `{ error: { code, message: { vi, en }, details? } }`, with
 * the HTTP status from the error's kind. Unexpected errors are logged and answered 500 without
 * internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { isCongthuError, type ErrorKind } from '../../util/errors.ts';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  limit: 429,
  internal: 500,
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    if (isCongthuError(err)) {
      return reply.code(STATUS[err.kind]).send({
        error: {
          code: err.code,
          message: err.text,
          ...(Object.keys(err.details).length ? { details: err.details } : {}),
        },
      });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      return reply.code(400).send({
        error: {
          code: 'request.invalid',
          message: {
            vi: `Yêu cầu không hợp lệ: ${fe.message}`,
            en: `Invalid request: ${fe.message}`,
          },
        },
      });
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send({
        error: {
          code: 'request.invalid',
          message: { vi: `Yêu cầu không hợp lệ: ${fe.message}`, en: fe.message },
        },
      });
    }
    req.log.error({ err }, 'unexpected error in the API');
    return reply.code(500).send({
      error: { code: 'internal', message: { vi: 'Lỗi nội bộ của hệ thống.', en: 'Internal error.' } },
    });
  });
}
