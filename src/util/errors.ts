/**
 * Typed errors shared by every layer.
 *
 * A `CongthuError` carries a stable machine code and a message in Vietnamese (first) and English,
 * because many of them reach an official through a mail client, the web app or the CLI. Protocol
 * servers map them to the wire in one place (IMAP NO [CODE], SMTP 5xx, HTTP 4xx).
 */

export interface Bilingual {
  readonly vi: string;
  readonly en: string;
}

export type ErrorKind =
  | 'invalid' // bad input from a person or a client: nothing was changed
  | 'not-found'
  | 'conflict' // the request clashes with the current state
  | 'forbidden' // authenticated but not allowed
  | 'unauthenticated'
  | 'limit' // a quota or a rate limit
  | 'internal';

export class CongthuError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly text: Bilingual;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    kind: ErrorKind,
    code: string,
    text: Bilingual,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(`${text.vi} / ${text.en}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CongthuError';
    this.kind = kind;
    this.code = code;
    this.text = text;
    this.details = options.details ?? {};
  }

  /** "Vietnamese / English", for places that show one line. */
  get bilingual(): string {
    return `${this.text.vi} / ${this.text.en}`;
  }
}

export function invalid(
  code: string,
  vi: string,
  en: string,
  details?: Record<string, unknown>,
): CongthuError {
  return new CongthuError('invalid', code, { vi, en }, details ? { details } : {});
}

export function notFound(
  code: string,
  vi: string,
  en: string,
  details?: Record<string, unknown>,
): CongthuError {
  return new CongthuError('not-found', code, { vi, en }, details ? { details } : {});
}

export function conflict(
  code: string,
  vi: string,
  en: string,
  details?: Record<string, unknown>,
): CongthuError {
  return new CongthuError('conflict', code, { vi, en }, details ? { details } : {});
}

export function forbidden(
  code: string,
  vi: string,
  en: string,
  details?: Record<string, unknown>,
): CongthuError {
  return new CongthuError('forbidden', code, { vi, en }, details ? { details } : {});
}

export function isCongthuError(e: unknown): e is CongthuError {
  return e instanceof CongthuError;
}
