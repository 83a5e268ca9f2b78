/**
 * Written notices as real mail (issue 6 item 6; Điều 7.3 "thông báo bằng văn bản"): each notice
 * gets a number in the operator's yearly register ("12/TB-SKHCN"), is composed with nodemailer's
 * MailComposer (Vietnamese first, English below), comes from the configured system address
 * (`notices.from`, default quantri@<domain>) and is delivered through the one ingest path
 * (source 'system'), like any mail. Each notice is audited.
 *
 * Issuing is crash-safe and idempotent: the notice row (number, Message-ID, recipients) is written
 * first, in one transaction with its audit event; delivery then skips every recipient whose
 * mailbox already holds that Message-ID, so issuing the same notice again after a crash delivers
 * what is missing and never twice.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { appendAudit, type Actor, type DataStore, type Tx } from '../store/index.ts';
import type { IngestInput, IngestResult } from '../mailbox/index.ts';
import { vnDate } from './lifecycle-dates.ts';

export interface NoticeSettings {
  domain: string;
  from: string;
  fromName: string;
  numberPrefix: string;
}

export interface NoticeText {
  subject: { vi: string; en: string };
  body: { vi: string; en: string };
}

export interface IssuedNotice {
  id: string;
  number: string;
  messageId: string;
  recipients: string[];
  createdAt: Date;
}

/** The part of the ingest service notices need. */
export interface NoticeIngest {
  ingest(input: IngestInput): Promise<IngestResult>;
}

/** "Quảng Trị, ngày 05 tháng 08 năm 2026" for a date in Vietnam. */
export function placeAndDate(at: Date): string {
  const [y, m, d] = vnDate(at).split('-');
  return `Quảng Trị, ngày ${d} tháng ${m} năm ${y}`;
}

export class NoticeService {
  constructor(
    private readonly store: DataStore,
    private readonly ingest: NoticeIngest,
    readonly settings: NoticeSettings,
  ) {}

  /**
   * Writes the notice into the register (number, recipients) in `tx`, with its audit event. The
   * id is chosen by the caller so that a retried step finds the same notice.
   */
  async register(
    tx: Tx,
    input: {
      id: string;
      kind: string;
      accountId: string | null;
      recipients: string[];
      text: NoticeText;
      actor: Actor;
      at: Date;
    },
  ): Promise<IssuedNotice> {
    const found = await tx.db.selectFrom('notices').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (found) return issuedOf(found);
    await tx.lock('notices.number');
    const year = Number(vnDate(input.at).slice(0, 4));
    const last = await tx.db
      .selectFrom('notices')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('year', '=', year)
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    const number = `${seq}/${this.settings.numberPrefix}`;
    const row = {
      id: input.id,
      year,
      seq,
      number,
      kind: input.kind,
      account_id: input.accountId,
      subject: `${input.text.subject.vi} / ${input.text.subject.en}`,
      message_id: `<notice.${input.id}@${this.settings.domain}>`,
      recipients: JSON.stringify([...new Set(input.recipients)]),
      created_at: input.at.getTime(),
    };
    await tx.db.insertInto('notices').values(row).execute();
    await appendAudit(
      tx,
      input.actor,
      {
        action: 'notice.issue',
        targetType: 'account',
        targetId: input.accountId,
        reason: input.text.subject.vi,
        details: { notice: number, kind: input.kind, recipients: JSON.parse(row.recipients) as string[] },
      },
      input.at,
    );
    return issuedOf(row);
  }

  /** Delivers a registered notice to every recipient that does not hold it yet. */
  async deliver(notice: IssuedNotice, text: NoticeText): Promise<number> {
    return this.deliverMessage(notice.messageId, notice.recipients, (to) => this.compose(notice, text, to));
  }

  /**
   * Delivers a system message (its Message-ID fixed in advance) through the one ingest path to
   * every recipient account that is not deleted and does not hold it yet: safe to repeat after a
   * crash. `compose` gets the recipients' addresses. Used for notices, request reply letters and
   * activation links.
   */
  async deliverMessage(
    messageId: string,
    recipients: string[],
    compose: (to: string[]) => Promise<Buffer>,
  ): Promise<number> {
    const accounts =
      recipients.length === 0
        ? []
        : await this.store.db
            .selectFrom('accounts')
            .select(['id', 'local_part', 'domain'])
            .where('id', 'in', recipients)
            .where('state', '<>', 'deleted')
            .orderBy('local_part')
            .execute();
    if (accounts.length === 0) return 0;
    const content = await compose(accounts.map((a) => `${a.local_part}@${a.domain}`));
    let delivered = 0;
    for (const { id: accountId } of accounts) {
      const has = await this.store.db
        .selectFrom('messages')
        .innerJoin('folders', 'folders.id', 'messages.folder_id')
        .innerJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
        .select('messages.id')
        .where('folders.account_id', '=', accountId)
        .where('message_meta.message_id', '=', messageId)
        .executeTakeFirst();
      if (has) continue;
      await this.ingest.ingest({
        content,
        deliveries: [{ accountId }],
        source: 'system',
        quota: 'checked-before',
      });
      delivered++;
    }
    return delivered;
  }

  /** The RFC 5322 message, addressed to the recipients' addresses. */
  async compose(notice: IssuedNotice, text: NoticeText, to: string[]): Promise<Buffer> {
    const s = this.settings;
    const body = [
      `Số / No.: ${notice.number}`,
      placeAndDate(notice.createdAt),
      '',
      text.body.vi,
      '',
      'Trân trọng,',
      s.fromName,
      '',
      '----------------------------------------------------------------------',
      '(English)',
      '',
      text.body.en,
      '',
      'Regards,',
      s.fromName,
    ].join('\r\n');
    const mail = new MailComposer({
      from: { name: s.fromName, address: s.from },
      to,
      subject: `[${notice.number}] ${text.subject.vi} / ${text.subject.en}`,
      text: body,
      textEncoding: 'quoted-printable',
      messageId: notice.messageId,
      date: notice.createdAt,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Congthu-Notice': notice.number },
    });
    return mail.compile().build();
  }
}

function issuedOf(row: {
  id: string;
  number: string;
  message_id: string;
  recipients: string;
  created_at: number;
}): IssuedNotice {
  return {
    id: row.id,
    number: row.number,
    messageId: row.message_id,
    recipients: JSON.parse(row.recipients) as string[],
    createdAt: new Date(Number(row.created_at)),
  };
}
