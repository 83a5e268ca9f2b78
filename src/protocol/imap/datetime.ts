/**
 * IMAP dates (SEARCH) and date-times (APPEND, INTERNALDATE), RFC 9051 §9:
 *
 *   date        = date-text / DQUOTE date-text DQUOTE
 *   date-text   = date-day "-" date-month "-" date-year        ; 1*2DIGIT "-" Mon "-" 4DIGIT
 *   date-time   = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
 *   date-day-fixed = (SP DIGIT) / 2DIGIT
 *   time        = 2DIGIT ":" 2DIGIT ":" 2DIGIT
 *   zone        = ("+" / "-") 4DIGIT
 *
 * Values are checked against the calendar (no 31-Feb, no 25:61:61, no +9999; IMAP-12).
 * Month names are case-insensitive, as every ABNF quoted string is.
 */

export interface ImapDate {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
}

export interface ImapDateTime extends ImapDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Offset from UTC in minutes, as written (`-0700` → -420). */
  readonly zoneMinutes: number;
  /** The instant, milliseconds since the epoch. */
  readonly epochMs: number;
}

export const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/** 1..12 for a month name in any case, 0 otherwise. */
export function monthNumber(name: string): number {
  if (name.length !== 3) return 0;
  const lower = name.toLowerCase();
  return MONTH_NAMES.findIndex((m) => m.toLowerCase() === lower) + 1;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isValidDate(year: number, month: number, day: number): boolean {
  return (
    year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** Milliseconds since the epoch of a calendar date-time at a UTC offset (works for years < 100). */
export function toEpochMs(
  d: ImapDate & { readonly hour: number; readonly minute: number; readonly second: number },
  zoneMinutes: number,
): number {
  const t = new Date(0);
  t.setUTCFullYear(d.year, d.month - 1, d.day);
  t.setUTCHours(d.hour, d.minute, d.second, 0);
  return t.getTime() - zoneMinutes * 60_000;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * The text of an IMAP date-time without the quotes, e.g. ` 7-Jul-1996 02:44:25 -0700`
 * (day padded with a space, RFC 9051 date-day-fixed), at the given offset from UTC.
 */
export function formatDateTime(epochMs: number, zoneMinutes = 0): string {
  const t = new Date(epochMs + zoneMinutes * 60_000);
  const day = t.getUTCDate();
  const sign = zoneMinutes < 0 ? '-' : '+';
  const abs = Math.abs(zoneMinutes);
  return (
    `${day < 10 ? ` ${day}` : day}-${MONTH_NAMES[t.getUTCMonth()]}-${String(t.getUTCFullYear()).padStart(4, '0')} ` +
    `${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())} ` +
    `${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`
  );
}

/** The text of an IMAP date, e.g. `1-Feb-1994`. */
export function formatDate(date: ImapDate): string {
  return `${date.day}-${MONTH_NAMES[date.month - 1]}-${String(date.year).padStart(4, '0')}`;
}
