/**
 * Structured logs (pino, JSON lines). Secrets never reach a log: the redaction list covers every
 * field name under which a password, token or key could travel, at any depth we use.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

const SECRET_FIELDS = [
  'password',
  'pass',
  'newPassword',
  'currentPassword',
  'oneTimePassword',
  'token',
  'secret',
  'authorization',
  'cookie',
];

export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(options: {
  level: LevelWithSilent;
  destination?: NodeJS.WritableStream;
  name?: string;
}): Logger {
  return pino(
    {
      name: options.name ?? 'congthu',
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      base: { pid: process.pid },
    },
    options.destination ?? process.stdout,
  );
}
