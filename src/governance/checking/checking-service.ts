/**
 * The checking-frequency report (Điều 12, Điều 13.1 and 13.4): per agency (its own mailbox, its
 * sub-units' mailboxes and the personal mailboxes of its people) or, for the operator and the
 * auditor, the whole province; per period of civil dates. The rules are in compute.ts; this
 * service gathers the mailboxes, the working days and the accesses of the period in ONE query,
 * and checks the role (`report.checking`: operator and auditor any agency, the agency
 * administrator its own). Reading a report changes nothing and is not audited.
 */
import type { Clock } from '../../util/clock.ts';
import { invalid } from '../../util/errors.ts';
import type { DataStore } from '../../store/index.ts';
import { authorise, type Caller } from '../../directory/index.ts';
import { findOrgByCode } from '../../directory/context.ts';
import { addDays, daysBetween, isCivilDate, type CivilDate } from '../calendar/index.ts';
import type { CalendarService } from '../calendar-service.ts';
import { vnDate, vnMidnight } from '../lifecycle-dates.ts';
import {
  computeCompliance,
  daysOfPeriod,
  type CheckedMailbox,
  type CheckingSettings,
  type MailboxCompliance,
} from './compute.ts';

/** Longest period of one report: a year and a day. */
export const MAX_REPORT_DAYS = 366;

export interface CheckingReport {
  agency: { code: string; name: string } | null;
  from: string;
  to: string;
  generatedAt: string;
  windows: { morning: { from: string; to: string }; afternoon: { from: string; to: string } };
  requiredRate: number;
  workingDays: number;
  legalBasis: 'Điều 12';
  /** Every mailbox in scope, agency and sub-unit mailboxes first, then personal, by address. */
  mailboxes: MailboxCompliance[];
  /** The agency and sub-unit mailboxes whose rate is below `requiredRate`. */
  belowRequirement: string[];
}

export interface CheckingQuery {
  agency?: string; // org code; omitted: the whole province (operator, auditor)
  from: string;
  to: string;
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

export class CheckingService {
  constructor(
    private readonly store: DataStore,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    readonly settings: CheckingSettings,
  ) {}

  async report(caller: Caller, q: CheckingQuery): Promise<CheckingReport> {
    const from = date(q.from, 'from');
    const to = date(q.to, 'to');
    if (to < from)
      throw invalid(
        'report.bad-period',
        'Ngày kết thúc phải không trước ngày bắt đầu.',
        'The end date must not be before the start date.',
      );
    if (daysBetween(from, to) >= MAX_REPORT_DAYS)
      throw invalid(
        'report.period-too-long',
        `Một báo cáo tối đa ${MAX_REPORT_DAYS} ngày.`,
        `A report covers at most ${MAX_REPORT_DAYS} days.`,
      );
    const db = this.store.db;
    let agency: { id: string; code: string; name: string } | null = null;
    if (q.agency !== undefined && q.agency.trim() !== '') {
      const org = await findOrgByCode(db, q.agency);
      if (org.kind !== 'agency')
        throw invalid(
          'report.not-an-agency',
          `"${org.code}" không phải là cơ quan, đơn vị cấp sở, ngành, địa phương.`,
          `"${org.code}" is not an agency.`,
        );
      agency = { id: org.id, code: org.code, name: org.name };
    }
    authorise(caller, 'report.checking', agency ? { agencyId: agency.id } : {});

    const now = this.clock.now();
    const start = vnMidnight(from);
    const end = vnMidnight(addDays(to, 1));
    let orgIds: string[] | null = null;
    if (agency) {
      const subs = await db
        .selectFrom('organisations')
        .select('id')
        .where('parent_id', '=', agency.id)
        .execute();
      orgIds = [agency.id, ...subs.map((s) => s.id)];
    }
    const accounts = await db
      .selectFrom('accounts')
      .innerJoin('organisations', 'organisations.id', 'accounts.org_id')
      .select([
        'accounts.id',
        'accounts.kind',
        'accounts.local_part',
        'accounts.domain',
        'accounts.display_name',
        'accounts.state',
        'accounts.state_changed_at',
        'accounts.created_at',
        'organisations.code as org_code',
      ])
      .$if(orgIds !== null, (qb) => qb.where('accounts.org_id', 'in', orgIds!))
      .where('accounts.created_at', '<', end)
      .where((eb) =>
        eb.or([eb('accounts.state', '<>', 'deleted'), eb('accounts.state_changed_at', '>=', start)]),
      )
      .execute();
    const exemptions = await db
      .selectFrom('lifecycle_exemptions')
      .innerJoin('accounts', 'accounts.id', 'lifecycle_exemptions.account_id')
      .select(['lifecycle_exemptions.account_id', 'from_date', 'until_date'])
      .$if(orgIds !== null, (qb) => qb.where('accounts.org_id', 'in', orgIds!))
      .where('until_date', '>=', from)
      .where('from_date', '<=', to)
      .execute();
    // One query for every access of the period that is a check (see compute.ts).
    const accesses = await db
      .selectFrom('access_events')
      .innerJoin('accounts', 'accounts.id', 'access_events.mailbox_id')
      .select(['access_events.mailbox_id', 'access_events.at'])
      .$if(orgIds !== null, (qb) => qb.where('accounts.org_id', 'in', orgIds!))
      .where('access_events.at', '>=', start)
      .where('access_events.at', '<', end)
      .where((eb) =>
        eb.or([
          eb('access_events.kind', '=', 'inbox'),
          eb.and([eb('access_events.kind', '=', 'login'), eb('access_events.protocol', '=', 'pop3')]),
        ]),
      )
      .execute();

    const cal = await this.calendar.calendar();
    const today = vnDate(now);
    const workingDays = daysOfPeriod(from, to).filter((d) => d <= today && cal.isWorkingDay(d));
    const mailboxes: CheckedMailbox[] = accounts.map((a) => ({
      id: a.id,
      address: `${a.local_part}@${a.domain}`,
      kind: a.kind,
      displayName: a.display_name,
      orgCode: a.org_code,
      countFrom: addDays(vnDate(Number(a.created_at)), 1),
      countUntil: a.state === 'active' ? null : addDays(vnDate(Number(a.state_changed_at)), -1),
      exemptions: exemptions
        .filter((e) => e.account_id === a.id)
        .map((e) => ({ from: e.from_date, until: e.until_date })),
    }));
    const order = (k: string): number => (k === 'agency' ? 0 : k === 'sub-unit' ? 1 : 2);
    mailboxes.sort((a, b) => order(a.kind) - order(b.kind) || a.address.localeCompare(b.address));
    const rows = computeCompliance({
      mailboxes,
      workingDays,
      accesses: accesses.map((a) => ({ mailboxId: a.mailbox_id, at: Number(a.at) })),
      settings: this.settings,
      now,
    });
    return {
      agency: agency ? { code: agency.code, name: agency.name } : null,
      from,
      to,
      generatedAt: now.toISOString(),
      windows: { morning: { ...this.settings.morning }, afternoon: { ...this.settings.afternoon } },
      requiredRate: this.settings.requiredRate,
      workingDays: workingDays.length,
      legalBasis: 'Điều 12',
      mailboxes: rows,
      belowRequirement: rows.filter((r) => r.kind !== 'personal' && r.belowRequirement).map((r) => r.address),
    };
  }
}
