/**
 * The one authentication service that SMTP, IMAP, POP3 and HTTP call.
 *
 * Order of checks, chosen so that nothing leaks to someone without the password (catalogue AUTH-02):
 * 1. a client refused by the throttle gets `throttled` without a password check;
 * 2. the password is verified, against a dummy hash when the account does not exist or is deleted,
 *    so the time taken and the answer are the same for "no such user" and "wrong password";
 * 3. only with the right password does the caller learn the account's state: suspended, locked,
 *    a default password that must be changed (Điều 9.2.a), or an expired one (Điều 5.1).
 * Failures are counted per address, network and account (auth-throttle.ts); the reply to a failure
 * is delayed accordingly; ≥ `lockFailures` consecutive failures lock the account for `lockMinutes`.
 * Every successful sign-in is recorded as an access event. A password verified a moment ago is not
 * hashed again (verified-cache.ts, `auth.verifiedCacheSeconds`); every other check still runs.
 */
import type { Bilingual } from '../util/errors.ts';
import { MINUTE_MS } from '../util/clock.ts';
import { appendAudit } from '../store/index.ts';
import { recordAccess, type AccessProtocol } from './access.ts';
import { AuthThrottle, type ThrottleSettings } from './auth-throttle.ts';
import { passwordExpiresAt, resolveAccount, type AccountRow, type DirectoryContext } from './context.ts';
import { normalisePassword } from './password-policy.ts';
import { MAX_PASSWORD_BYTES } from './password-hash.ts';
import { VerifiedCredentials } from './verified-cache.ts';

export type AuthStatus =
  | 'ok'
  | 'invalid' // unknown account, deleted account or wrong password: indistinguishable
  | 'throttled' // too many failures from this client: try later
  | 'locked' // right password, but the account is locked after many failures
  | 'suspended' // Điều 8
  | 'password-change-required' // default password (Điều 9.2.a)
  | 'password-expired'; // older than maxAgeDays (Điều 5.1)

export interface AuthRequest {
  username: string;
  password: string;
  protocol: AccessProtocol;
  clientIp: string | null;
}

export interface AuthenticatedAccount {
  id: string;
  address: string;
  displayName: string;
  role: AccountRow['role'];
  kind: AccountRow['kind'];
  orgId: string;
  adminOrgId: string | null;
}

export interface AuthResult {
  status: AuthStatus;
  /** Set when the password was right (every status but invalid and throttled). */
  account?: AuthenticatedAccount;
  message: Bilingual;
  /** For ok: days until the password expires, when within the warning period. */
  passwordExpiresInDays?: number;
}

export interface AuthSettings extends ThrottleSettings {
  accountLockFailures: number;
  lockMinutes: number;
  /** How long a successful password check is remembered (verified-cache.ts); 0: never. */
  verifiedCacheSeconds: number;
}

const CHANGE_HINT_VI = 'Hãy đăng nhập vào thư điện tử trên web để đổi mật khẩu.';
const CHANGE_HINT_EN = 'Sign in to webmail to change your password.';

export function authMessage(status: AuthStatus, webUrl: string): Bilingual {
  switch (status) {
    case 'ok':
      return { vi: 'Đăng nhập thành công.', en: 'Signed in.' };
    case 'invalid':
      return { vi: 'Tên đăng nhập hoặc mật khẩu không đúng.', en: 'Wrong user name or password.' };
    case 'throttled':
      return {
        vi: 'Đăng nhập sai quá nhiều lần từ địa chỉ này; hãy thử lại sau.',
        en: 'Too many failed sign-ins from this address; try again later.',
      };
    case 'locked':
      return {
        vi: 'Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần; hãy thử lại sau hoặc liên hệ quản trị.',
        en: 'The account is temporarily locked after many failed sign-ins; try later or contact the administrator.',
      };
    case 'suspended':
      return {
        vi: 'Hộp thư đang bị tạm khóa (Điều 8); cơ quan, đơn vị cần gửi đề nghị khôi phục tới Sở KH&CN.',
        en: 'The mailbox is suspended (Điều 8); your agency must ask the operator to restore it.',
      };
    case 'password-change-required':
      return {
        vi: `Phải đổi mật khẩu mặc định trước khi sử dụng (Điều 9.2.a). ${CHANGE_HINT_VI} ${webUrl}`,
        en: `The default password must be changed before use (Điều 9.2.a). ${CHANGE_HINT_EN} ${webUrl}`,
      };
    case 'password-expired':
      return {
        vi: `Mật khẩu đã hết hạn; phải đổi ít nhất 3 tháng một lần (Điều 5.1). ${CHANGE_HINT_VI} ${webUrl}`,
        en: `The password has expired; it must be changed at least every 3 months (Điều 5.1). ${CHANGE_HINT_EN} ${webUrl}`,
      };
  }
}

export class AuthService {
  readonly throttle: AuthThrottle;
  private readonly verified: VerifiedCredentials;
  /** Waits out a delay; tests replace it to run without sleeping. */
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms));

  constructor(
    private readonly ctx: DirectoryContext,
    private readonly settings: AuthSettings,
    private readonly webUrl: string,
  ) {
    this.throttle = new AuthThrottle(settings, ctx.clock);
    this.verified = new VerifiedCredentials(settings.verifiedCacheSeconds * 1000);
  }

  private result(status: AuthStatus, account?: AccountRow, extra: Partial<AuthResult> = {}): AuthResult {
    return {
      status,
      message: authMessage(status, this.webUrl),
      ...(account
        ? {
            account: {
              id: account.id,
              address: `${account.local_part}@${account.domain}`,
              displayName: account.display_name,
              role: account.role,
              kind: account.kind,
              orgId: account.org_id,
              adminOrgId: account.admin_org_id,
            },
          }
        : {}),
      ...extra,
    };
  }

  async authenticate(req: AuthRequest): Promise<AuthResult> {
    const { ctx } = this;
    const ip = req.clientIp;
    if (this.throttle.isBlocked(ip)) return this.result('throttled');
    const password = normalisePassword(req.password);
    const username = req.username.slice(0, 320);
    const account = await resolveAccount(ctx.store.db, ctx.settings, username);
    const usable = account && account.state !== 'deleted' && account.password_hash !== null ? account : null;
    const nowMs = ctx.clock.now().getTime();
    let ok: boolean;
    if (usable !== null && Buffer.byteLength(password) <= MAX_PASSWORD_BYTES) {
      const stored = usable.password_hash!;
      ok = this.verified.has(stored, password, nowMs) || (await ctx.hasher.verify(stored, password));
      if (ok) this.verified.add(stored, password, nowMs);
    } else ok = await ctx.hasher.verifyDummy(password);

    if (!ok || usable === null) {
      const counted = this.throttle.recordFailure(
        ip,
        usable?.id ?? `unknown:${username.toLowerCase()}`,
        password,
      );
      if (usable && counted) await this.countAccountFailure(usable);
      await this.sleep(this.throttle.delayMs(ip, usable?.id ?? null));
      return this.result('invalid');
    }

    const now = ctx.clock.now();
    if (usable.locked_until !== null && Number(usable.locked_until) > now.getTime())
      return this.result('locked', usable);
    this.throttle.recordSuccess(ip, usable.id);
    if (usable.failed_logins > 0 || usable.locked_until !== null)
      await ctx.store.write(async (tx) => {
        await tx.db
          .updateTable('accounts')
          .set({ failed_logins: 0, locked_until: null })
          .where('id', '=', usable.id)
          .execute();
      });
    if (usable.state === 'suspended') return this.result('suspended', usable);
    if (usable.password_must_change === 1) return this.result('password-change-required', usable);
    const expires = passwordExpiresAt(usable, ctx.settings);
    if (expires !== null && expires <= now.getTime()) return this.result('password-expired', usable);

    await ctx.store.write(async (tx) => {
      await recordAccess(tx, {
        accountId: usable.id,
        protocol: req.protocol,
        kind: 'login',
        clientIp: ip,
        at: now,
      });
      if (ctx.hasher.needsRehash(usable.password_hash!)) {
        const hash = await ctx.hasher.hash(password);
        await tx.db
          .updateTable('accounts')
          .set({ password_hash: hash })
          .where('id', '=', usable.id)
          .execute();
      }
    });
    const daysLeft =
      expires === null ? undefined : Math.ceil((expires - now.getTime()) / (24 * 60 * MINUTE_MS));
    return this.result(
      'ok',
      usable,
      daysLeft !== undefined && daysLeft <= ctx.settings.password.warnDays
        ? { passwordExpiresInDays: daysLeft }
        : {},
    );
  }

  private async countAccountFailure(account: AccountRow): Promise<void> {
    const { ctx, settings } = this;
    await ctx.store.write(async (tx) => {
      const row = await tx.db
        .selectFrom('accounts')
        .select(['failed_logins', 'locked_until'])
        .where('id', '=', account.id)
        .executeTakeFirstOrThrow();
      const failures = row.failed_logins + 1;
      const now = ctx.clock.now();
      const lock = failures >= settings.accountLockFailures;
      await tx.db
        .updateTable('accounts')
        .set({
          failed_logins: lock ? 0 : failures,
          ...(lock ? { locked_until: now.getTime() + settings.lockMinutes * MINUTE_MS } : {}),
        })
        .where('id', '=', account.id)
        .execute();
      if (lock)
        await appendAudit(
          tx,
          { id: 'system', label: 'Congthu' },
          {
            action: 'account.auth-lock',
            targetType: 'account',
            targetId: account.id,
            reason: `${failures} consecutive failed sign-ins`,
            details: { lockMinutes: settings.lockMinutes },
          },
          now,
        );
    });
  }
}
