/**
 * One-time activation links (Điều 9.2.a without a password in clear): a mailbox created, or
 * restored after a compromise, through a request gets no password; a link sent to the agency's
 * mailbox lets its holder set the first one.
 *
 * - The token is 256 random bits, shown only in the mail; the database keeps its SHA-256.
 * - A link is valid for 72 hours, works once (the "used" mark is a conditional update in the same
 *   transaction that stores the password, so two concurrent uses cannot both succeed), and a newer
 *   link for the same mailbox supersedes the older one.
 * - The password chosen passes the policy of Điều 9.2.b and is not a default password.
 * - A link is issued in the caller's transaction (the approval) and mailed after the commit. A link
 *   whose mail never went out (a crash in between) is re-issued by `resendPending`: a new token,
 *   since the old one was never kept.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { HOUR_MS, type Clock } from '../../util/clock.ts';
import { conflict, invalid, notFound } from '../../util/errors.ts';
import { randomToken, uuidv7 } from '../../util/ids.ts';
import { appendAudit, type Actor, type DataStore, type Tx } from '../../store/index.ts';
import { authorise, type Caller, type Directory } from '../../directory/index.ts';
import { agencyIdOf, findOrgById, requireAccount } from '../../directory/context.ts';
import type { NoticeService } from '../notices.ts';

export const ACTIVATION_HOURS = 72;

export interface ActivationSettings {
  domain: string;
  from: string;
  fromName: string;
  /** Base address of the web app, without a trailing slash. */
  publicUrl: string;
}

export interface IssuedActivation {
  id: string;
  token: string;
  accountId: string;
  recipients: string[];
  createdAt: Date;
  expiresAt: Date;
}

export interface ActivationInfo {
  address: string;
  displayName: string;
  kind: string;
  expiresAt: string;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** "14:05 ngày 07/08/2026" in Vietnam. */
export function vnDateTime(at: Date): string {
  const t = new Date(at.getTime() + 7 * HOUR_MS).toISOString();
  return `${t.slice(11, 16)} ngày ${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)}`;
}

export class ActivationService {
  constructor(
    private readonly store: DataStore,
    private readonly directory: Directory,
    private readonly notices: NoticeService,
    private readonly clock: Clock,
    readonly settings: ActivationSettings,
  ) {}

  link(token: string): string {
    return `${this.settings.publicUrl}/activate#${token}`;
  }

  /** A new link for the account in `tx`; older open links of the account stop working. */
  async issue(
    tx: Tx,
    input: { accountId: string; requestId: string | null; recipients: string[]; actor: Actor },
  ): Promise<IssuedActivation> {
    const now = this.clock.now();
    await tx.db
      .updateTable('activations')
      .set({ superseded_at: now.getTime() })
      .where('account_id', '=', input.accountId)
      .where('used_at', 'is', null)
      .where('superseded_at', 'is', null)
      .execute();
    const token = randomToken(32);
    const id = uuidv7(now.getTime());
    const expiresAt = new Date(now.getTime() + ACTIVATION_HOURS * HOUR_MS);
    const recipients = [...new Set(input.recipients)];
    await tx.db
      .insertInto('activations')
      .values({
        id,
        token_hash: hashToken(token),
        account_id: input.accountId,
        request_id: input.requestId,
        recipients: JSON.stringify(recipients),
        created_at: now.getTime(),
        expires_at: expiresAt.getTime(),
        used_at: null,
        superseded_at: null,
        delivered_at: null,
      })
      .execute();
    await appendAudit(
      tx,
      input.actor,
      {
        action: 'activation.issue',
        targetType: 'account',
        targetId: input.accountId,
        details: { activation: id, request: input.requestId, expiresAt: expiresAt.toISOString(), recipients },
      },
      now,
    );
    return { id, token, accountId: input.accountId, recipients, createdAt: now, expiresAt };
  }

  /** Mails the link to its recipients (idempotent per link) and marks it delivered. */
  async deliver(a: IssuedActivation): Promise<void> {
    const acc = await this.store.db
      .selectFrom('accounts')
      .select(['local_part', 'domain', 'display_name'])
      .where('id', '=', a.accountId)
      .executeTakeFirstOrThrow();
    const address = `${acc.local_part}@${acc.domain}`;
    const s = this.settings;
    const until = vnDateTime(a.expiresAt);
    const link = this.link(a.token);
    const messageId = `<activation.${a.id}@${s.domain}>`;
    await this.notices.deliverMessage(messageId, a.recipients, async (to) => {
      const text = [
        `Hộp thư điện tử công vụ ${address} (${acc.display_name}) đã sẵn sàng để kích hoạt.`,
        '',
        'Đề nghị cơ quan, đơn vị chuyển đường dẫn dưới đây cho người sử dụng hộp thư. Người sử dụng mở đường dẫn và tự đặt mật khẩu (ít nhất 8 ký tự, có chữ in hoa, chữ thường, chữ số và ký tự đặc biệt ! @ # % $ * &, Điều 9.2.b). Đường dẫn chỉ dùng được một lần và hết hạn lúc ' +
          until +
          ' (72 giờ). Hệ thống không bao giờ gửi mật khẩu qua thư.',
        '',
        link,
        '',
        'Trân trọng,',
        s.fromName,
        '',
        '----------------------------------------------------------------------',
        '(English)',
        '',
        `The official mailbox ${address} (${acc.display_name}) is ready to be activated.`,
        'Please pass the link above to the holder of the mailbox, who opens it and sets the password (at least 8 characters with upper- and lower-case letters, a digit and one of ! @ # % $ * &). The link works once and expires in 72 hours (' +
          a.expiresAt.toISOString() +
          '). The system never sends passwords by mail.',
      ].join('\r\n');
      const mail = new MailComposer({
        from: { name: s.fromName, address: s.from },
        to,
        subject: `Kích hoạt hộp thư ${address} / Activate the mailbox ${address}`,
        text,
        textEncoding: 'quoted-printable',
        messageId,
        date: a.createdAt,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Congthu-Activation': address },
      });
      return mail.compile().build();
    });
    await this.store.write(async (tx) => {
      await tx.db
        .updateTable('activations')
        .set({ delivered_at: this.clock.now().getTime() })
        .where('id', '=', a.id)
        .execute();
    });
  }

  private async find(token: string) {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(token))
      throw notFound(
        'activation.invalid',
        'Đường dẫn kích hoạt không hợp lệ.',
        'The activation link is not valid.',
      );
    const row = await this.store.db
      .selectFrom('activations')
      .innerJoin('accounts', 'accounts.id', 'activations.account_id')
      .select([
        'activations.id',
        'activations.account_id',
        'activations.expires_at',
        'activations.used_at',
        'activations.superseded_at',
        'accounts.local_part',
        'accounts.domain',
        'accounts.display_name',
        'accounts.kind',
        'accounts.state',
      ])
      .where('activations.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row)
      throw notFound(
        'activation.invalid',
        'Đường dẫn kích hoạt không hợp lệ.',
        'The activation link is not valid.',
      );
    if (row.used_at !== null)
      throw conflict(
        'activation.used',
        'Đường dẫn kích hoạt đã được sử dụng; mỗi đường dẫn chỉ dùng một lần.',
        'The activation link has been used already; each link works once.',
      );
    if (row.superseded_at !== null)
      throw conflict(
        'activation.superseded',
        'Đường dẫn kích hoạt đã được thay bằng một đường dẫn mới hơn.',
        'The activation link has been replaced by a newer one.',
      );
    if (Number(row.expires_at) <= this.clock.now().getTime())
      throw conflict(
        'activation.expired',
        'Đường dẫn kích hoạt đã hết hạn (72 giờ); đề nghị Sở Khoa học và Công nghệ gửi lại.',
        'The activation link has expired (72 hours); ask the operator for a new one.',
      );
    if (row.state !== 'active')
      throw conflict(
        'activation.account-not-active',
        'Hộp thư không ở trạng thái hoạt động; không thể kích hoạt.',
        'The mailbox is not active; it cannot be activated.',
      );
    return row;
  }

  /** Whom a link is for (GET before the form): address, name, expiry. */
  async inspect(token: string): Promise<ActivationInfo> {
    const r = await this.find(token);
    return {
      address: `${r.local_part}@${r.domain}`,
      displayName: r.display_name,
      kind: r.kind,
      expiresAt: new Date(Number(r.expires_at)).toISOString(),
    };
  }

  /** Sets the first password and uses up the link, in one transaction. */
  async activate(
    token: string,
    password: string,
    sourceIp: string | null = null,
  ): Promise<{ address: string }> {
    if (typeof password !== 'string' || password.length === 0)
      throw invalid('activation.password-required', 'Cần nhập mật khẩu.', 'A password is required.');
    const row = await this.find(token);
    const address = `${row.local_part}@${row.domain}`;
    return this.store.write(async (tx) => {
      const now = this.clock.now().getTime();
      const used = await tx.db
        .updateTable('activations')
        .set({ used_at: now })
        .where('id', '=', row.id)
        .where('used_at', 'is', null)
        .where('superseded_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1)
        throw conflict(
          'activation.used',
          'Đường dẫn kích hoạt đã được sử dụng; mỗi đường dẫn chỉ dùng một lần.',
          'The activation link has been used already; each link works once.',
        );
      return this.directory.credentials.setActivatedPassword(
        tx,
        { id: row.account_id, label: address, sourceIp },
        row.account_id,
        password,
      );
    });
  }

  /**
   * A new link for a mailbox that still has no password of its own (the first link expired or was
   * lost): the operator's decision ('account.set-password'), mailed like the first one to the
   * agency's mailbox (or, for the agency mailbox itself, to the operators). Older links stop working.
   */
  async reissue(
    caller: Caller,
    address: string,
  ): Promise<{ address: string; expiresAt: string; recipients: string[] }> {
    const db = this.store.db;
    const account = await requireAccount(db, this.directory.ctx.settings, address);
    const agencyId = agencyIdOf(await findOrgById(db, account.org_id));
    authorise(caller, 'account.set-password', { agencyId, accountId: account.id });
    if (account.state !== 'active' || account.password_hash !== null)
      throw conflict(
        'activation.not-needed',
        'Chỉ gửi lại đường dẫn kích hoạt cho hộp thư đang hoạt động và chưa có mật khẩu.',
        'An activation link is sent again only for an active mailbox without a password.',
      );
    const agencyMailbox = agencyId
      ? await db
          .selectFrom('accounts')
          .select('id')
          .where('org_id', '=', agencyId)
          .where('kind', '=', 'agency')
          .where('state', '=', 'active')
          .executeTakeFirst()
      : undefined;
    const recipients =
      agencyMailbox && agencyMailbox.id !== account.id
        ? [agencyMailbox.id]
        : (
            await db
              .selectFrom('accounts')
              .select('id')
              .where('role', '=', 'operator')
              .where('state', '=', 'active')
              .execute()
          ).map((r) => r.id);
    const issued = await this.store.write((tx) =>
      this.issue(tx, { accountId: account.id, requestId: null, recipients, actor: caller.actor }),
    );
    await this.deliver(issued);
    const addrs = await db
      .selectFrom('accounts')
      .select(['local_part', 'domain'])
      .where('id', 'in', recipients.length ? recipients : [''])
      .execute();
    return {
      address: `${account.local_part}@${account.domain}`,
      expiresAt: issued.expiresAt.toISOString(),
      recipients: addrs.map((a) => `${a.local_part}@${a.domain}`),
    };
  }

  /** Links whose mail never went out: re-issued with a new token and mailed. */
  async resendPending(): Promise<number> {
    const now = this.clock.now().getTime();
    const open = await this.store.db
      .selectFrom('activations')
      .selectAll()
      .where('delivered_at', 'is', null)
      .where('used_at', 'is', null)
      .where('superseded_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
    for (const a of open) {
      const fresh = await this.store.write((tx) =>
        this.issue(tx, {
          accountId: a.account_id,
          requestId: a.request_id,
          recipients: JSON.parse(a.recipients) as string[],
          actor: { id: 'system', label: 'Congthu' },
        }),
      );
      await this.deliver(fresh);
    }
    return open.length;
  }
}
