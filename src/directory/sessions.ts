/**
 * Sessions of the web app and the REST API (information-security level 3: idle-session timeout).
 *
 * A session is created from a sign-in through the authentication service. Its token is 256 random
 * bits shown once to the client; the database keeps only its SHA-256. A session ends after
 * `idleMinutes` without use or `maxHours` in all, on sign-out, and for every session of an account
 * when its password changes or the account is suspended or deleted. A session opened with a
 * default or expired password is *restricted*: it may only change the password (Điều 9.2.a).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../util/clock.ts';
import { MINUTE_MS, HOUR_MS } from '../util/clock.ts';
import { randomToken } from '../util/ids.ts';
import type { DataStore } from '../store/index.ts';
import type { AuthenticatedAccount } from './auth-service.ts';
import type { Caller } from './context.ts';

export interface SessionSettings {
  idleMinutes: number;
  maxHours: number;
}

export interface SessionInfo {
  accountId: string;
  address: string;
  displayName: string;
  role: AuthenticatedAccount['role'];
  adminAgencyId: string | null;
  restricted: boolean;
  expiresAt: Date;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class SessionService {
  constructor(
    private readonly store: DataStore,
    private readonly clock: Clock,
    private readonly settings: SessionSettings,
  ) {}

  async create(
    account: AuthenticatedAccount,
    opts: { restricted: boolean; clientIp: string | null; userAgent: string | null },
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = randomToken(32);
    const now = this.clock.now().getTime();
    const expiresAt = now + Math.min(this.settings.idleMinutes * MINUTE_MS, this.settings.maxHours * HOUR_MS);
    await this.store.write(async (tx) => {
      await tx.db
        .insertInto('sessions')
        .values({
          token_hash: hashToken(token),
          account_id: account.id,
          restricted: opts.restricted ? 1 : 0,
          created_at: now,
          last_seen_at: now,
          expires_at: expiresAt,
          client_ip: opts.clientIp,
          user_agent: opts.userAgent?.slice(0, 300) ?? null,
        })
        .execute();
    });
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** The live session for a token (and its use is recorded), or null. */
  async resolve(token: string): Promise<SessionInfo | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const h = hashToken(token);
    const now = this.clock.now().getTime();
    const row = await this.store.db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .select([
        'sessions.account_id',
        'sessions.restricted',
        'sessions.created_at',
        'sessions.expires_at',
        'accounts.local_part',
        'accounts.domain',
        'accounts.display_name',
        'accounts.role',
        'accounts.admin_org_id',
        'accounts.state',
      ])
      .where('sessions.token_hash', '=', h)
      .executeTakeFirst();
    if (!row || Number(row.expires_at) <= now || row.state !== 'active') {
      if (row)
        await this.store.write(
          async (tx) => void (await tx.db.deleteFrom('sessions').where('token_hash', '=', h).execute()),
        );
      return null;
    }
    const hardEnd = Number(row.created_at) + this.settings.maxHours * HOUR_MS;
    const expiresAt = Math.min(now + this.settings.idleMinutes * MINUTE_MS, hardEnd);
    // Sliding expiry, written at most once a minute per session.
    if (expiresAt - Number(row.expires_at) > MINUTE_MS)
      await this.store.write(async (tx) => {
        await tx.db
          .updateTable('sessions')
          .set({ last_seen_at: now, expires_at: expiresAt })
          .where('token_hash', '=', h)
          .execute();
      });
    return {
      accountId: row.account_id,
      address: `${row.local_part}@${row.domain}`,
      displayName: row.display_name,
      role: row.role,
      adminAgencyId: row.admin_org_id,
      restricted: row.restricted === 1,
      expiresAt: new Date(Math.max(expiresAt, Number(row.expires_at))),
    };
  }

  async revoke(token: string): Promise<void> {
    await this.store.write(async (tx) => {
      await tx.db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
    });
  }

  /** End every session of an account (password changed, suspended, deleted). */
  async revokeAll(accountId: string): Promise<void> {
    await this.store.write(async (tx) => {
      await tx.db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
    });
  }
}

/** The caller a session acts as. */
export function sessionCaller(s: SessionInfo, clientIp: string | null): Caller {
  return {
    principal: { accountId: s.accountId, role: s.role, adminAgencyId: s.adminAgencyId },
    actor: { id: s.accountId, label: s.address, sourceIp: clientIp },
  };
}
