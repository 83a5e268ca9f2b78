/**
 * Message flags (RFC 9051 §2.3.2): the system flags, and keywords (atoms) a client may set.
 * Stored as one space-separated string in a canonical order (system flags first, then keywords
 * sorted), with `seen` and `deleted` mirrored in columns for counting. \Recent is not stored
 * (RFC 9051 drops it; RFC 3501 sessions compute it).
 */
import { invalid } from '../util/errors.ts';

export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;
export type SystemFlag = (typeof SYSTEM_FLAGS)[number];

/** RFC 9051 §9: flag-keyword is an atom; we also bound length and count. */
const KEYWORD = /^[\x21\x23-\x27\x2b-\x5a\x5e-\x7a\x7c\x7e]{1,100}$/; // atom-chars minus ( ) { % * " \ ] and CTLs
export const MAX_KEYWORDS_PER_MESSAGE = 64;

export function normaliseFlag(flag: string): string {
  if (flag.startsWith('\\')) {
    const sys = SYSTEM_FLAGS.find((f) => f.toLowerCase() === flag.toLowerCase());
    if (!sys)
      throw invalid('flag.invalid', `Cờ hệ thống không hợp lệ: ${flag}`, `Not a system flag: ${flag}`);
    return sys;
  }
  if (!KEYWORD.test(flag))
    throw invalid('flag.invalid', `Từ khóa không hợp lệ: ${flag}`, `Invalid keyword: ${flag}`);
  return flag;
}

/** Canonical string for a set of flags (validated, deduplicated case-insensitively). */
export function flagString(flags: Iterable<string>): string {
  const system = new Set<string>();
  const keywords = new Map<string, string>();
  for (const f of flags) {
    const n = normaliseFlag(f);
    if (n.startsWith('\\')) system.add(n);
    else if (!keywords.has(n.toLowerCase())) keywords.set(n.toLowerCase(), n);
  }
  if (keywords.size > MAX_KEYWORDS_PER_MESSAGE)
    throw invalid('flag.too-many', 'Quá nhiều từ khóa trên một thư.', 'Too many keywords on one message.');
  const sys = SYSTEM_FLAGS.filter((f) => system.has(f));
  const kw = [...keywords.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return [...sys, ...kw].join(' ');
}

export function parseFlagString(s: string): string[] {
  return s === '' ? [] : s.split(' ');
}

export function hasFlag(flags: string, flag: SystemFlag): boolean {
  return parseFlagString(flags).includes(flag);
}
