/**
 * The usage report (Điều 13) and the finance view: one query per metric for the whole period,
 * grouped in the database by organisation (accounts by kind and state, storage and quotas, mail
 * sent (`mail.submit` audit events), mail received (messages saved from SMTP), incidents) or one
 * row per request decided in the period (on time or late needs the decision's date in Vietnam
 * against the deadline); the sums per agency are in usage.ts. Role `report.read`: the operator and
 * the auditor any agency and the province, an agency's head its own agency only. Reading changes
 * nothing.
 */
import type { Clock } from '../../util/clock.ts';
import { invalid } from '../../util/errors.ts';
import type { DataStore } from '../../store/index.ts';
import { authorise, type Caller, type DirectorySettings } from '../../directory/index.ts';
import { findOrgByCode } from '../../directory/context.ts';
import { addDays, daysBetween, isCivilDate, type CivilDate } from '../calendar/index.ts';
import { vnDate, vnMidnight } from '../lifecycle-dates.ts';
import {
  FILTERING_NOTE,
  usageReport,
  type AgencyUsage,
  type FinanceView,
  type UsageAccountGroup,
  type UsageFigures,
  type UsageInput,
  type UsageRequestRow,
} from './usage.ts';

export type { FinanceView } from './usage.ts';

export const MAX_USAGE_DAYS = 366;

export interface UsageQuery {
  agency?: string; // org code; omitted: every agency and the province (operator, auditor)
  from: string;
  to: string;
}

export interface UsageReport {
  agency: { code: string; name: string } | null;
  from: string;
  to: string;
  generatedAt: string;
  legalBasis: 'Điều 13';
  agencies: AgencyUsage[];
  province: UsageFigures | null;
  notes: string[];
}

function date(v: string, name: 'from' | 'to'): CivilDate {
  if (!isCivilDate(v))
    throw invalid(
      'report.bad-date',
      `Ngày ${name === 'from' ? 'bắt đầu' : 'kết thúc'} không hợp lệ: "${v}" (định dạng YYYY-MM-DD).`,
      `Invalid ${name === 'from' ? 'start' : 'end'} date: "${v}" (format YYYY-MM-DD).`,
    );
  return v;
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export class UsageService {
  constructor(
    private readonly store: DataStore,
    private readonly settings: DirectorySettings,
    private readonly clock: Clock,
  ) {}

  async report(caller: Caller, q: UsageQuery): Promise<UsageReport> {
    const from = date(q.from, 'from');
    const to = date(q.to, 'to');
    if (to < from)
      throw invalid(
        'report.bad-period',
        'Ngày kết thúc phải không trước ngày bắt đầu.',
        'The end date must not be before the start date.',
      );
    if (daysBetween(from, to) >= MAX_USAGE_DAYS)
      throw invalid(
        'report.period-too-long',
        `Một báo cáo tối đa ${MAX_USAGE_DAYS} ngày.`,
        `A report covers at most ${MAX_USAGE_DAYS} days.`,
      );
    const agency = await this.agency(q.agency);
    authorise(caller, 'report.read', agency ? { agencyId: agency.id } : {});
    const now = this.clock.now();
    const input = await this.gather(vnMidnight(from), vnMidnight(addDays(to, 1)), vnDate(now));
    const t = usageReport(input, { only: agency ? [agency.id] : null, province: agency === null });
    return {
      agency: agency ? { code: agency.code, name: agency.name } : null,
      from,
      to,
      generatedAt: now.toISOString(),
      legalBasis: 'Điều 13',
      agencies: t.agencies,
      province: t.province,
      notes: [
        FILTERING_NOTE,
        'Tài khoản và dung lượng: tại thời điểm lập báo cáo; thư, yêu cầu, sự cố: trong kỳ. / Accounts and storage: when the report is made; mail, requests, incidents: in the period.',
      ],
    };
  }

  /** Accounts (not deleted) and storage per agency, now: the operator and the auditor. */
  async finance(caller: Caller): Promise<FinanceView> {
    authorise(caller, 'report.read', {});
    const now = this.clock.now();
    const input = await this.gather(now.getTime(), now.getTime(), vnDate(now), { flows: false });
    const r = usageReport(input, { only: null, province: true });
    const live = (f: UsageFigures): number =>
      (['personal', 'agency', 'sub-unit'] as const).reduce(
        (s, k) => s + f.accounts[k].active + f.accounts[k].suspended,
        0,
      );
    const p = r.province!;
    return {
      generatedAt: now.toISOString(),
      agencies: r.agencies.map((a) => ({
        code: a.code,
        name: a.name,
        accounts: live(a),
        usedBytes: a.storage.usedBytes,
        quotaBytes: a.storage.quotaBytes,
      })),
      province: { accounts: live(p), usedBytes: p.storage.usedBytes, quotaBytes: p.storage.quotaBytes },
    };
  }

  private async agency(code: string | undefined): Promise<{ id: string; code: string; name: string } | null> {
    if (code === undefined || code.trim() === '') return null;
    const org = await findOrgByCode(this.store.db, code);
    if (org.kind !== 'agency')
      throw invalid(
        'report.not-an-agency',
        `"${org.code}" không phải là cơ quan, đơn vị cấp sở, ngành, địa phương.`,
        `"${org.code}" is not an agency.`,
      );
    return { id: org.id, code: org.code, name: org.name };
  }

  /** The rows of every metric for [start, end) (epoch ms); `today` for requests past their deadline. */
  async gather(
    start: number,
    end: number,
    today: CivilDate,
    opts: { flows?: boolean } = {},
  ): Promise<UsageInput> {
    const db = this.store.db;
    const flows = opts.flows !== false;
    const orgs = await db
      .selectFrom('organisations')
      .select(['id', 'code', 'name', 'kind', 'parent_id'])
      .execute();
    const accounts = await db
      .selectFrom('accounts')
      .select((eb) => [
        'org_id',
        'kind',
        'state',
        eb.fn.countAll().as('count'),
        eb.fn.sum('used_bytes').as('used'),
        eb.fn.sum('quota_bytes').as('quota'),
        eb.fn.count('quota_bytes').as('overrides'),
      ])
      .groupBy(['org_id', 'kind', 'state'])
      .execute();
    const groups: UsageAccountGroup[] = accounts.map((a) => ({
      orgId: a.org_id,
      kind: a.kind,
      state: a.state,
      count: n(a.count),
      usedBytes: n(a.used),
      quotaOverrideBytes: n(a.quota),
      quotaDefaults: n(a.count) - n(a.overrides),
    }));
    const input: UsageInput = {
      orgs: orgs.map((o) => ({ id: o.id, code: o.code, name: o.name, kind: o.kind, parentId: o.parent_id })),
      accounts: groups,
      sent: [],
      received: [],
      requests: [],
      incidents: [],
      quota: {
        personalBytes: this.settings.quota.personalBytes,
        agencyBytes: this.settings.quota.agencyBytes,
      },
    };
    if (!flows) return input;
    // Sent: one audit event per submission, its actor the submitting account.
    const sent = await db
      .selectFrom('audit_events')
      .innerJoin('accounts', 'accounts.id', 'audit_events.actor')
      .select((eb) => ['accounts.org_id', eb.fn.countAll().as('count')])
      .where('audit_events.action', '=', 'mail.submit')
      .where('audit_events.at', '>=', start)
      .where('audit_events.at', '<', end)
      .groupBy('accounts.org_id')
      .execute();
    input.sent = sent.map((s) => ({ orgId: s.org_id, count: n(s.count) }));
    // Received: one message saved from SMTP delivery per recipient mailbox.
    const received = await db
      .selectFrom('messages')
      .innerJoin('folders', 'folders.id', 'messages.folder_id')
      .innerJoin('accounts', 'accounts.id', 'folders.account_id')
      .select((eb) => ['accounts.org_id', eb.fn.countAll().as('count')])
      .where('messages.source', '=', 'smtp')
      .where('messages.saved_at', '>=', start)
      .where('messages.saved_at', '<', end)
      .groupBy('accounts.org_id')
      .execute();
    input.received = received.map((r) => ({ orgId: r.org_id, count: n(r.count) }));
    // Requests decided (approved or rejected) in the period: on time when decided by the deadline.
    const decided = await db
      .selectFrom('requests')
      .select(['agency_id', 'deadline', 'decided_at'])
      .where('state', 'in', ['approved', 'rejected'])
      .where('decided_at', '>=', start)
      .where('decided_at', '<', end)
      .execute();
    const requests: UsageRequestRow[] = decided.map((r) => ({
      agencyId: r.agency_id,
      outcome: vnDate(n(r.decided_at)) <= r.deadline ? 'on-time' : 'late',
      count: 1,
    }));
    // Undecided, received before the period's end, past the deadline today.
    const overdue = await db
      .selectFrom('requests')
      .select((eb) => ['agency_id', eb.fn.countAll().as('count')])
      .where('state', 'in', ['filed', 'in-review'])
      .where('received_at', '<', end)
      .where('deadline', '<', today)
      .groupBy('agency_id')
      .execute();
    for (const o of overdue)
      requests.push({ agencyId: o.agency_id, outcome: 'open-overdue', count: n(o.count) });
    input.requests = requests;
    const incidents = await db
      .selectFrom('incidents')
      .select((eb) => ['agency_id', eb.fn.countAll().as('count')])
      .where('reported_at', '>=', start)
      .where('reported_at', '<', end)
      .groupBy('agency_id')
      .execute();
    input.incidents = incidents.map((i) => ({ agencyId: i.agency_id, count: n(i.count) }));
    return input;
  }
}
