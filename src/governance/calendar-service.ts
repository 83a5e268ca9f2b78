/**
 * The working-day calendar as the operator keeps it (REQUIREMENTS "Working days"): each year the
 * government announces the days off and the Saturdays worked; the operator records them here.
 * A year with no record uses the computed default (statutory holidays, Tết and Giỗ Tổ from the
 * lunar calendar, compensatory days). Editing a day of such a year first copies the computed
 * default into the record, so the edit applies on top of it. The optional 24/11 holiday (Vietnam
 * Culture Day) is a switch the operator turns on, not code. 2026 is preloaded as announced.
 * Every change is audited. Readers get a cached WorkingDayCalendar, reloaded after changes and at
 * most a minute old (the CLI and the server are separate processes).
 */
import type { Clock } from '../util/clock.ts';
import { invalid } from '../util/errors.ts';
import { appendAudit, type DataStore, type Tx } from '../store/index.ts';
import { authorise, type Caller } from '../directory/index.ts';
import {
  WorkingDayCalendar,
  defaultCalendarYear,
  parseCivilDate,
  statutoryHolidays,
  vn2026StateAgencies,
  type CalendarData,
  type CalendarEntry,
  type CalendarYearData,
  type CivilDate,
  type WorkingDayExplanation,
} from './calendar/index.ts';

const CULTURE_DAY_KEY = 'calendar.cultureDay';
const SEEDED_KEY = 'calendar.seeded';
const CACHE_MS = 60_000;

/** The days off that the 24/11 switch adds to a year: 24/11, or its compensatory day. */
function cultureDayOnly(year: number): ReturnType<typeof statutoryHolidays> {
  const without = new Set(
    statutoryHolidays(year, { cultureDay: false }).map((h) => `${h.date} ${h.name.en}`),
  );
  return statutoryHolidays(year, { cultureDay: true }).filter((h) => !without.has(`${h.date} ${h.name.en}`));
}

export interface YearView {
  year: number;
  source: 'data' | 'computed';
  cultureDay: boolean;
  daysOff: Array<{ date: string; reason: { vi: string; en: string } }>;
  extraWorkingDays: Array<{ date: string; reason: { vi: string; en: string } }>;
}

function checkYear(year: number): number {
  if (!Number.isInteger(year) || year < 1900 || year > 2199)
    throw invalid(
      'calendar.bad-year',
      `Năm không hợp lệ: ${year} (1900–2199).`,
      `Invalid year: ${year} (1900–2199).`,
    );
  return year;
}

function cleanReason(r: { vi: string; en?: string }): { vi: string; en: string } {
  const vi = r.vi.normalize('NFC').trim();
  const en = (r.en ?? r.vi).normalize('NFC').trim();
  if (vi === '' || vi.length > 300 || en.length > 300)
    throw invalid(
      'calendar.bad-reason',
      'Lý do phải có, tối đa 300 ký tự.',
      'A reason is required, at most 300 characters.',
    );
  return { vi, en };
}

export class CalendarService {
  private cached: { at: number; calendar: WorkingDayCalendar } | null = null;

  constructor(
    private readonly store: DataStore,
    private readonly clock: Clock,
  ) {}

  /** Load the preloaded years once (2026 as announced). Idempotent. */
  async seed(): Promise<void> {
    await this.store.write(async (tx) => {
      const done = await tx.db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', SEEDED_KEY)
        .executeTakeFirst();
      if (done) return;
      const y2026 = vn2026StateAgencies({ cultureDay: false });
      const exists = await tx.db
        .selectFrom('calendar_years')
        .select('year')
        .where('year', '=', 2026)
        .executeTakeFirst();
      if (!exists) await this.writeYear(tx, y2026);
      await tx.db.insertInto('meta').values({ key: SEEDED_KEY, value: '2026' }).execute();
    });
    this.cached = null;
  }

  async cultureDay(): Promise<boolean> {
    const row = await this.store.db
      .selectFrom('meta')
      .select('value')
      .where('key', '=', CULTURE_DAY_KEY)
      .executeTakeFirst();
    return row?.value === '1';
  }

  /** The calendar every deadline is counted with. */
  async calendar(): Promise<WorkingDayCalendar> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.calendar;
    const cultureDay = await this.cultureDay();
    const years = await this.store.db.selectFrom('calendar_years').select('year').orderBy('year').execute();
    const entries = await this.store.db.selectFrom('calendar_entries').selectAll().orderBy('date').execute();
    const data: CalendarYearData[] = years.map(({ year }) => {
      const own = entries.filter((e) => e.year === year);
      const daysOff: CalendarEntry[] = own
        .filter((e) => e.kind === 'off')
        .map((e) => ({ date: parseCivilDate(e.date), reason: { vi: e.reason_vi, en: e.reason_en } }));
      const extra = own
        .filter((e) => e.kind === 'work')
        .map((e) => ({ date: parseCivilDate(e.date), reason: { vi: e.reason_vi, en: e.reason_en } }));
      if (cultureDay) {
        // The switch applies to recorded years too, unless the operator recorded that day already.
        const taken = new Set(own.map((e) => e.date));
        for (const h of cultureDayOnly(year))
          if (!taken.has(h.date)) daysOff.push({ date: h.date, reason: h.name });
      }
      return { year, daysOff, extraWorkingDays: extra };
    });
    const calendar = new WorkingDayCalendar(data as CalendarData, { cultureDay });
    this.cached = { at: now, calendar };
    return calendar;
  }

  async showYear(year: number): Promise<YearView> {
    checkYear(year);
    const cal = await this.calendar();
    const map = (e: CalendarEntry): { date: string; reason: { vi: string; en: string } } => ({
      date: e.date,
      reason: e.reason,
    });
    return {
      year,
      source: cal.sourceOfYear(year),
      cultureDay: await this.cultureDay(),
      daysOff: cal.daysOffOfYear(year).map(map),
      extraWorkingDays: cal.extraWorkingDaysOfYear(year).map(map),
    };
  }

  async explain(date: string): Promise<{ date: CivilDate } & WorkingDayExplanation> {
    const d = parseCivilDate(date);
    return { date: d, ...(await this.calendar()).explain(d) };
  }

  async addWorkingDays(date: string, n: number): Promise<CivilDate> {
    return (await this.calendar()).addWorkingDays(parseCivilDate(date), n);
  }

  private async writeYear(tx: Tx, y: CalendarYearData): Promise<void> {
    const now = this.clock.now().getTime();
    await tx.db
      .insertInto('calendar_years')
      .values({ year: y.year, updated_at: now })
      .onConflict((oc) => oc.column('year').doUpdateSet({ updated_at: now }))
      .execute();
    for (const [kind, list] of [
      ['off', y.daysOff],
      ['work', y.extraWorkingDays],
    ] as const)
      for (const e of list)
        await tx.db
          .insertInto('calendar_entries')
          .values({
            date: e.date,
            year: y.year,
            kind,
            reason_vi: e.reason.vi,
            reason_en: e.reason.en,
            updated_at: now,
          })
          .onConflict((oc) => oc.column('date').doNothing())
          .execute();
  }

  /** Make `year` a recorded year, starting from the computed default (if not recorded yet). */
  private async materialise(tx: Tx, year: number): Promise<void> {
    const exists = await tx.db
      .selectFrom('calendar_years')
      .select('year')
      .where('year', '=', year)
      .executeTakeFirst();
    if (!exists) await this.writeYear(tx, defaultCalendarYear(year, { cultureDay: false }));
  }

  /** Record `date` as a day off (kind off) or a working day (kind work), replacing what was there. */
  async setDay(
    caller: Caller,
    date: string,
    kind: 'off' | 'work',
    reason: { vi: string; en?: string },
  ): Promise<YearView> {
    authorise(caller, 'calendar.edit', {});
    const d = parseCivilDate(date);
    const r = cleanReason(reason);
    const year = Number(d.slice(0, 4));
    checkYear(year);
    await this.store.write(async (tx) => {
      await this.materialise(tx, year);
      const now = this.clock.now();
      await tx.db.deleteFrom('calendar_entries').where('date', '=', d).execute();
      await tx.db
        .insertInto('calendar_entries')
        .values({ date: d, year, kind, reason_vi: r.vi, reason_en: r.en, updated_at: now.getTime() })
        .execute();
      await appendAudit(
        tx,
        caller.actor,
        { action: `calendar.set-${kind}`, targetType: 'calendar', targetId: d, reason: r.vi },
        now,
      );
    });
    this.cached = null;
    return this.showYear(year);
  }

  /** Remove the record of `date`: it follows the weekday rule again. */
  async clearDay(caller: Caller, date: string): Promise<YearView> {
    authorise(caller, 'calendar.edit', {});
    const d = parseCivilDate(date);
    const year = Number(d.slice(0, 4));
    await this.store.write(async (tx) => {
      await this.materialise(tx, year);
      const gone = await tx.db.deleteFrom('calendar_entries').where('date', '=', d).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0)
        throw invalid(
          'calendar.no-entry',
          `Ngày ${d} không có trong lịch đã ghi.`,
          `${d} has no recorded entry.`,
        );
      await appendAudit(
        tx,
        caller.actor,
        { action: 'calendar.clear', targetType: 'calendar', targetId: d },
        this.clock.now(),
      );
    });
    this.cached = null;
    return this.showYear(year);
  }

  /** Record a year from the computed default, for the operator to adjust to the announcement. */
  async adoptDefault(caller: Caller, year: number): Promise<YearView> {
    authorise(caller, 'calendar.edit', {});
    checkYear(year);
    await this.store.write(async (tx) => {
      await this.materialise(tx, year);
      await appendAudit(
        tx,
        caller.actor,
        { action: 'calendar.adopt-default', targetType: 'calendar', targetId: String(year) },
        this.clock.now(),
      );
    });
    this.cached = null;
    return this.showYear(year);
  }

  /** The 24/11 Vietnam Culture Day holiday: on or off for every year. */
  async setCultureDay(caller: Caller, on: boolean): Promise<void> {
    authorise(caller, 'calendar.edit', {});
    await this.store.write(async (tx) => {
      await tx.db
        .insertInto('meta')
        .values({ key: CULTURE_DAY_KEY, value: on ? '1' : '0' })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: on ? '1' : '0' }))
        .execute();
      await appendAudit(
        tx,
        caller.actor,
        { action: 'calendar.culture-day', targetType: 'calendar', details: { on } },
        this.clock.now(),
      );
    });
    this.cached = null;
  }
}
