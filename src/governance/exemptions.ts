/**
 * Exemptions from the inactivity rules (Điều 7.3 and 8.2.a apply to a mailbox unused "mà không
 * thông báo lý do", without a stated reason): the agency administrator, for its own agency only,
 * or the operator states the reason (long leave, secondment, study…) and the period; the days of
 * the period do not count towards the 3 and 6 months (lifecycle-dates.ts). Audited.
 */
import type { Clock } from '../util/clock.ts';
import { invalid } from '../util/errors.ts';
import { uuidv7 } from '../util/ids.ts';
import { appendAudit, type DataStore } from '../store/index.ts';
import { authorise, type Caller, type DirectorySettings } from '../directory/index.ts';
import { agencyIdOf, findOrgById, requireAccount } from '../directory/context.ts';
import { daysBetween, isCivilDate } from './calendar/index.ts';
import { vnDate } from './lifecycle-dates.ts';

/** Longest exemption: two years (a typo guard; a longer absence is a transfer or a deletion). */
export const MAX_EXEMPTION_DAYS = 731;

export interface Exemption {
  id: string;
  address: string;
  reason: string;
  basis: string | null;
  from: string;
  until: string;
  filedBy: string;
  filedAt: string;
}

export interface ExemptionInput {
  reason: string;
  until: string;
  from?: string;
  basis?: string;
}

function text(v: string | undefined, max: number, field: string): string | null {
  const t = v?.normalize('NFC').trim();
  if (!t) return null;
  if (t.length > max || [...t].some((c) => (c < ' ' && c !== '\t' && c !== '\n') || c === '\u007f'))
    throw invalid(
      'exemption.bad-text',
      `${field} quá dài (tối đa ${max} ký tự) hoặc có ký tự điều khiển.`,
      `${field} is too long (max ${max}) or has control characters.`,
    );
  return t;
}

function date(v: string, field: { vi: string; en: string }): string {
  if (!isCivilDate(v))
    throw invalid(
      'exemption.bad-date',
      `Ngày ${field.vi} không hợp lệ: "${v}" (định dạng YYYY-MM-DD).`,
      `Invalid ${field.en} date: "${v}" (format YYYY-MM-DD).`,
    );
  return v;
}

export class ExemptionService {
  constructor(
    private readonly store: DataStore,
    private readonly settings: DirectorySettings,
    private readonly clock: Clock,
  ) {}

  async file(caller: Caller, address: string, input: ExemptionInput): Promise<Exemption> {
    const reason = text(input.reason, 500, 'Lý do / Reason');
    if (!reason) throw invalid('exemption.reason-required', 'Cần nêu lý do.', 'A reason is required.');
    const basis = text(input.basis, 2000, 'Căn cứ / Basis');
    const now = this.clock.now();
    const today = vnDate(now);
    const from = input.from === undefined ? today : date(input.from, { vi: 'bắt đầu', en: 'start' });
    const until = date(input.until, { vi: 'kết thúc', en: 'end' });
    if (until < from)
      throw invalid(
        'exemption.bad-period',
        'Ngày kết thúc phải sau ngày bắt đầu.',
        'The end date must not be before the start date.',
      );
    if (until < today)
      throw invalid(
        'exemption.past',
        'Thời gian miễn trừ đã kết thúc trước hôm nay.',
        'The exemption period ended before today.',
      );
    if (daysBetween(from, until) > MAX_EXEMPTION_DAYS)
      throw invalid(
        'exemption.too-long',
        `Thời gian miễn trừ tối đa ${MAX_EXEMPTION_DAYS} ngày.`,
        `An exemption lasts at most ${MAX_EXEMPTION_DAYS} days.`,
      );
    return this.store.write(async (tx) => {
      const account = await requireAccount(tx.db, this.settings, address);
      authorise(caller, 'lifecycle.exempt', {
        agencyId: agencyIdOf(await findOrgById(tx.db, account.org_id)),
        accountId: account.id,
      });
      if (account.state === 'deleted')
        throw invalid('account.deleted', 'Hộp thư đã bị xóa.', 'The mailbox has been deleted.');
      const row = {
        id: uuidv7(now.getTime()),
        account_id: account.id,
        reason,
        basis,
        from_date: from,
        until_date: until,
        filed_by: caller.actor.id,
        filed_at: now.getTime(),
      };
      await tx.db.insertInto('lifecycle_exemptions').values(row).execute();
      const addr = `${account.local_part}@${account.domain}`;
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'lifecycle.exempt',
          targetType: 'account',
          targetId: account.id,
          reason: [reason, basis].filter(Boolean).join(' | '),
          details: { address: addr, from, until },
        },
        now,
      );
      return view(row, addr);
    });
  }

  async list(caller: Caller, address: string): Promise<Exemption[]> {
    const db = this.store.db;
    const account = await requireAccount(db, this.settings, address);
    authorise(caller, 'account.read', {
      agencyId: agencyIdOf(await findOrgById(db, account.org_id)),
      accountId: account.id,
    });
    const rows = await db
      .selectFrom('lifecycle_exemptions')
      .selectAll()
      .where('account_id', '=', account.id)
      .orderBy('from_date')
      .execute();
    return rows.map((r) => view(r, `${account.local_part}@${account.domain}`));
  }
}

function view(
  r: {
    id: string;
    reason: string;
    basis: string | null;
    from_date: string;
    until_date: string;
    filed_by: string;
    filed_at: number;
  },
  address: string,
): Exemption {
  return {
    id: r.id,
    address,
    reason: r.reason,
    basis: r.basis,
    from: r.from_date,
    until: r.until_date,
    filedBy: r.filed_by,
    filedAt: new Date(Number(r.filed_at)).toISOString(),
  };
}
