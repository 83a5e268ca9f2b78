/** congthu calendar show|day|add-working-days|set-off|set-working|clear|adopt|culture-day */
import {
  dayOfWeek,
  formatCivilDate,
  parseCivilDate,
  weekdayName,
  type YearView,
} from '../../governance/index.ts';

const weekday = (d: string): string => {
  const w = weekdayName(dayOfWeek(parseCivilDate(d)));
  return `${w.vi} / ${w.en}`;
};
import type { Command, Io } from '../command.ts';
import { optional, required, UsageError } from '../command.ts';
import { printJson } from '../output.ts';
import { withSystem } from '../system.ts';

function parseYear(text: string): number {
  if (!/^\d{4}$/.test(text)) throw new UsageError(`Năm không hợp lệ: ${text}`, `Invalid year: ${text}`);
  return Number(text);
}

function printYear(io: Io, y: YearView): void {
  io.out(
    `Năm ${y.year}: ${y.source === 'data' ? 'lịch đã ghi / recorded' : 'lịch tính theo luật (chưa ghi) / computed default'}` +
      `; Ngày Văn hóa 24/11: ${y.cultureDay ? 'nghỉ / day off' : 'không nghỉ / not a day off'}`,
  );
  io.out('Ngày nghỉ / Days off:');
  for (const d of y.daysOff)
    io.out(`  ${d.date}  ${weekday(d.date).padEnd(20)}  ${d.reason.vi} / ${d.reason.en}`);
  io.out('Ngày làm việc bù / Extra working days:');
  if (y.extraWorkingDays.length === 0) io.out('  -');
  for (const d of y.extraWorkingDays)
    io.out(`  ${d.date}  ${weekday(d.date).padEnd(20)}  ${d.reason.vi} / ${d.reason.en}`);
}

const reasonOptions = { reason: { type: 'string' as const }, 'reason-en': { type: 'string' as const } };

function setDayCommand(kind: 'off' | 'work', verb: string, summary: string): Command {
  return {
    path: ['calendar', verb],
    summary,
    usage: 'YYYY-MM-DD --reason "LÝ DO" [--reason-en "REASON"]',
    positionals: 1,
    options: reasonOptions,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const en = optional(inv, 'reason-en');
        const y = await sys.calendar.setDay(inv.caller, inv.positionals[0]!, kind, {
          vi: required(inv, 'reason'),
          ...(en ? { en } : {}),
        });
        if (inv.json) return printJson(inv.io, y);
        printYear(inv.io, y);
      });
    },
  };
}

export const calendarCommands: Command[] = [
  {
    path: ['calendar', 'show'],
    summary: 'Ngày nghỉ và ngày làm bù của một năm / Days off and extra working days of a year',
    usage: 'YEAR',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const y = await sys.calendar.showYear(parseYear(inv.positionals[0]!));
        if (inv.json) return printJson(inv.io, y);
        printYear(inv.io, y);
      });
    },
  },
  {
    path: ['calendar', 'day'],
    summary: 'Một ngày có phải ngày làm việc không, vì sao / Whether a date is a working day, and why',
    usage: 'YYYY-MM-DD',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const e = await sys.calendar.explain(inv.positionals[0]!);
        if (inv.json) return printJson(inv.io, e);
        inv.io.out(
          `${formatCivilDate(e.date, 'vi')} (${weekday(e.date)}): ${e.working ? 'ngày làm việc / working day' : 'ngày nghỉ / day off'}`,
        );
        for (const r of e.reasons) inv.io.out(`  ${r.vi} / ${r.en}`);
      });
    },
  },
  {
    path: ['calendar', 'add-working-days'],
    summary: 'Ngày sau N ngày làm việc (tính hạn) / The date N working days after DATE (deadlines)',
    usage: 'YYYY-MM-DD N',
    positionals: 2,
    async run(inv) {
      const n = inv.positionals[1]!;
      if (!/^-?\d{1,4}$/.test(n))
        throw new UsageError(`N phải là số nguyên: ${n}`, `N must be a whole number: ${n}`);
      await withSystem(inv.io, async (sys) => {
        const d = await sys.calendar.addWorkingDays(inv.positionals[0]!, Number(n));
        if (inv.json) return printJson(inv.io, { from: inv.positionals[0], workingDays: Number(n), date: d });
        inv.io.out(`${d} (${weekday(d)})`);
      });
    },
  },
  setDayCommand(
    'off',
    'set-off',
    'Ghi một ngày nghỉ theo thông báo của Chính phủ / Record a day off as announced',
  ),
  setDayCommand(
    'work',
    'set-working',
    'Ghi một ngày làm việc bù (ví dụ thứ Bảy) / Record an extra working day (e.g. a Saturday)',
  ),
  {
    path: ['calendar', 'clear'],
    summary: 'Bỏ ghi chép của một ngày / Remove the record of a date',
    usage: 'YYYY-MM-DD',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const y = await sys.calendar.clearDay(inv.caller, inv.positionals[0]!);
        if (inv.json) return printJson(inv.io, y);
        printYear(inv.io, y);
      });
    },
  },
  {
    path: ['calendar', 'adopt'],
    summary:
      'Ghi lịch một năm từ lịch tính theo luật, để sửa theo thông báo / Record a year from the computed default',
    usage: 'YEAR',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const y = await sys.calendar.adoptDefault(inv.caller, parseYear(inv.positionals[0]!));
        if (inv.json) return printJson(inv.io, y);
        printYear(inv.io, y);
      });
    },
  },
  {
    path: ['calendar', 'culture-day'],
    summary: 'Bật/tắt ngày nghỉ 24/11 (Ngày Văn hóa Việt Nam) / Turn the 24/11 holiday on or off',
    usage: 'on|off',
    positionals: 1,
    async run(inv) {
      const v = inv.positionals[0];
      if (v !== 'on' && v !== 'off') throw new UsageError('Dùng on hoặc off', 'Use on or off');
      await withSystem(inv.io, async (sys) => {
        await sys.calendar.setCultureDay(inv.caller, v === 'on');
        if (inv.json) return printJson(inv.io, { cultureDay: v === 'on' });
        inv.io.out(
          v === 'on'
            ? 'Đã bật nghỉ 24/11 / 24/11 is a day off'
            : 'Đã tắt nghỉ 24/11 / 24/11 is a working day',
        );
      });
    },
  },
];
