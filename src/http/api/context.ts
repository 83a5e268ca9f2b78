/**
 * What the REST API is built from, and how a request becomes a Caller: a bearer token of a live
 * session (`Authorization: Bearer …`). Restricted sessions (default or expired password) reach
 * only the password change (Điều 9.2.a).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CongthuError } from '../../util/errors.ts';
import type { DataStore } from '../../store/index.ts';
import {
  sessionCaller,
  type Caller,
  type Directory,
  type SessionInfo,
  type SessionService,
} from '../../directory/index.ts';
import type { CalendarService, Governance } from '../../governance/index.ts';

export interface ApiDeps {
  store: DataStore;
  directory: Directory;
  sessions: SessionService;
  calendar: CalendarService;
  /** Lifecycle, exemptions and compromise reports; without it those routes answer 503. */
  governance?: Governance;
}

export function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(h.trim());
  return m ? m[1]! : null;
}

export const unauthenticated = (): CongthuError =>
  new CongthuError('unauthenticated', 'auth.required', {
    vi: 'Cần đăng nhập (phiên hết hạn hoặc không hợp lệ).',
    en: 'Sign-in required (the session has expired or is not valid).',
  });

export const mustChangePassword = (): CongthuError =>
  new CongthuError('forbidden', 'auth.password-change-required', {
    vi: 'Phải đổi mật khẩu trước khi sử dụng hệ thống (Điều 9.2.a).',
    en: 'The password must be changed before anything else.',
  });

export async function sessionOf(
  deps: ApiDeps,
  req: FastifyRequest,
  opts: { allowRestricted?: boolean } = {},
): Promise<SessionInfo> {
  const token = bearer(req);
  const s = token ? await deps.sessions.resolve(token) : null;
  if (!s) throw unauthenticated();
  if (s.restricted && !opts.allowRestricted) throw mustChangePassword();
  return s;
}

/** The caller of an authenticated, unrestricted request. */
export async function callerOf(deps: ApiDeps, req: FastifyRequest): Promise<Caller> {
  return sessionCaller(await sessionOf(deps, req), req.ip);
}

export function noContent(reply: FastifyReply): FastifyReply {
  return reply.code(204).send();
}
