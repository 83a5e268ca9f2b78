/**
 * Mailbox addresses of the official e-mail system (Quy chế, Điều 6; REQUIREMENTS "Mailboxes and
 * addresses").
 *
 * Pure functions, no I/O. They turn what an operator types (an agency's abbreviation, an official's
 * full name) into the local part of an address under the province's domain, pick the numeric
 * suffix for a repeated name, and normalise an address typed at sign-in or sent by a client.
 *
 * Invariants of every local part this module issues:
 * - only `[a-z0-9]`, plus exactly one `.` between a sub-unit and its agency (Điều 6.1.b);
 * - at most 64 octets (RFC 5321 §4.5.3.1.1);
 * - a personal local part is letters only, optionally followed by a suffix `[1-9][0-9]*`, so the stem
 *   of any suffixed address is unambiguous (that is why digits in a name are refused);
 * - nothing is ever dropped silently: a character that cannot be represented is reported to the
 *   person who typed it, naming the character and its code point.
 *
 * One namespace holds every kind of mailbox (agency, sub-unit, personal, aliases, and every address
 * ever issued, deleted or not); the caller passes that whole set to {@link nextPersonalLocalPart}.
 */

import { invalid } from '../util/errors.ts';
import type { CongthuError } from '../util/errors.ts';

/** RFC 5321 §4.5.3.1.1: maximum length of a local part, in octets. */
export const MAX_LOCAL_PART_OCTETS = 64;

/** RFC 5321 §4.5.3.1.2: maximum length of a domain, in octets. */
export const MAX_DOMAIN_OCTETS = 255;

/** Room kept after a personal stem for the suffix of Điều 6.2.b: four digits, i.e. up to 9999. */
export const PERSONAL_SUFFIX_RESERVE = 4;

/** Longest personal stem accepted: 64 − 4 = 60 octets, so `stem9999` still fits in 64. */
export const MAX_PERSONAL_STEM_OCTETS = MAX_LOCAL_PART_OCTETS - PERSONAL_SUFFIX_RESERVE;

const LEGACY_D = /[đðɖ]/gu; // after lower-casing: đ (U+0111), ð (U+00F0), ɖ (U+0256)
const COMBINING_MARKS = /\p{M}/gu;
const LOCAL_ASCII = /^[a-z0-9]*$/;
const WHITESPACE = /\s/u; // Unicode White_Space + line terminators: NBSP, tabs, U+2000–U+200A, U+3000…
const INVISIBLE = /[\p{C}\p{Z}]/u;
const ONLY_MARKS = /^\p{M}+$/u;

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/**
 * Fold a string for Vietnamese comparison: Unicode NFD, drop every combining mark (`\p{M}`), lower
 * case, and map đ/Đ and their legacy look-alikes (Ð U+00D0, ð U+00F0, Ɖ U+0189, ɖ U+0256) to `d`.
 *
 * Insensitive to NFC/NFD input and to old/new tone placement (Thủy/Thuỷ, Hòa/Hoà), so it is the key
 * for duplicate detection and for search. Characters it cannot fold (ß, ø, CJK, emoji…) are kept as
 * they are: callers that need ASCII check the result (REQUIREMENTS "Mailboxes and addresses").
 */
export function foldVietnamese(input: string): string {
  // Lower-casing can itself produce combining marks (İ → i + U+0307), so decompose after it.
  return input
    .normalize('NFD')
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(LEGACY_D, 'd');
}

/** `U+002D`-style code point list of a string. */
function codePoints(s: string): string {
  return [...s]
    .map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`)
    .join(' ');
}

/** How to show an offending grapheme in a message: the glyph when it is visible, always the code points. */
function describe(g: string): string {
  return INVISIBLE.test(g) || ONLY_MARKS.test(g) ? codePoints(g) : `"${g}" (${codePoints(g)})`;
}

interface Folded {
  readonly folded: string;
  /** Graphemes (as typed, NFC) whose folded form is not in [a-z0-9], unique, in order of appearance. */
  readonly offending: readonly string[];
}

/** Fold a whitespace-free word grapheme by grapheme, collecting what cannot become `[a-z0-9]`. */
function foldToAscii(word: string): Folded {
  let folded = '';
  const offending: string[] = [];
  for (const { segment } of graphemes.segment(word.normalize('NFC'))) {
    const f = foldVietnamese(segment);
    if (LOCAL_ASCII.test(f)) folded += f;
    else if (!offending.includes(segment)) offending.push(segment);
  }
  return { folded, offending };
}

function octets(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * Local part of a personal mailbox, `hovaten` (Điều 6.2.a): the full name, family name first, every
 * word joined, diacritics removed (đ/Đ → d), lower-case ASCII. "Nguyễn Văn Long" → `nguyenvanlong`.
 *
 * - Any Unicode whitespace (space, NBSP, tab, ideographic space…) separates words; leading, trailing
 *   and repeated whitespace is ignored.
 * - Anything that does not fold to `[a-z0-9]` (hyphen, apostrophe, dot, CJK, emoji, zero-width
 *   characters…) is refused with `address.invalid-character`, naming the characters: a name is
 *   never altered silently. The operator corrects the name as recorded or decides otherwise.
 * - Digits are refused (`address.digit-in-name`): a stem ending in a digit would make the suffixes
 *   of Điều 6.2.b ambiguous ("abc1" + "1" = "abc11" = "abc" + "11").
 * - Length: the stem must be at most 60 octets (64 of RFC 5321 §4.5.3.1.1 minus 4), so that every
 *   suffix up to 9999 still fits; a longer stem is `address.too-long`. This rule is checked here,
 *   on the stem, so a name is accepted or refused once, whatever its later namesakes;
 *   {@link nextPersonalLocalPart} checks the final address as well.
 * - Empty or whitespace-only: `address.empty-name`.
 */
export function personalLocalPart(fullName: string): string {
  const words = fullName
    .normalize('NFC')
    .split(/\s+/u)
    .filter((w) => w !== '');
  if (words.length === 0) {
    throw invalid('address.empty-name', 'Họ và tên không được để trống.', 'The full name must not be empty.');
  }
  let stem = '';
  const offending: string[] = [];
  for (const word of words) {
    const r = foldToAscii(word);
    stem += r.folded;
    for (const g of r.offending) if (!offending.includes(g)) offending.push(g);
  }
  if (offending.length > 0) {
    const list = offending.map(describe).join(', ');
    throw invalid(
      'address.invalid-character',
      `Họ và tên có ký tự không thể đưa vào địa chỉ thư điện tử: ${list}. Địa chỉ cá nhân chỉ gồm các chữ cái của họ và tên, viết liền, không dấu (Điều 6.2.a).`,
      `The full name contains characters that cannot appear in an e-mail address: ${list}. A personal address is made only of the letters of the full name, joined, without diacritics (Điều 6.2.a).`,
      { characters: offending, codePoints: offending.map(codePoints) },
    );
  }
  const digits = [...new Set(stem.match(/[0-9]/g) ?? [])];
  if (digits.length > 0) {
    const list = digits.map((d) => `"${d}"`).join(', ');
    throw invalid(
      'address.digit-in-name',
      `Họ và tên không được chứa chữ số (${list}): chữ số chỉ dùng để phân biệt những người trùng họ và tên (Điều 6.2.b).`,
      `A full name must not contain digits (${list}): digits only tell apart people with the same full name (Điều 6.2.b).`,
      { digits },
    );
  }
  if (stem.length > MAX_PERSONAL_STEM_OCTETS) {
    throw invalid(
      'address.too-long',
      `Địa chỉ tạo từ họ và tên dài ${stem.length} ký tự, vượt quá giới hạn ${MAX_PERSONAL_STEM_OCTETS} ký tự (${MAX_LOCAL_PART_OCTETS} ký tự theo RFC 5321, trừ ${PERSONAL_SUFFIX_RESERVE} ký tự dành cho số thứ tự).`,
      `The address made from the full name is ${stem.length} characters long, over the limit of ${MAX_PERSONAL_STEM_OCTETS} (the ${MAX_LOCAL_PART_OCTETS} of RFC 5321 minus ${PERSONAL_SUFFIX_RESERVE} kept for a sequence number).`,
      { length: stem.length, max: MAX_PERSONAL_STEM_OCTETS, stem },
    );
  }
  return stem;
}

type AbbrevRole = 'agency' | 'unit';

const ROLE_TEXT: Record<AbbrevRole, { vi: string; en: string }> = {
  agency: { vi: 'Tên viết tắt của cơ quan, đơn vị', en: 'The agency abbreviation' },
  unit: { vi: 'Tên viết tắt của phòng, ban trực thuộc', en: 'The sub-unit abbreviation' },
};

/** Validate and fold one abbreviation (Điều 6.1): `[a-z0-9]`, starts with a letter, 1..64 octets. */
function abbreviation(raw: string, role: AbbrevRole): string {
  const who = ROLE_TEXT[role];
  const s = raw.normalize('NFC').trim();
  if (s === '') {
    throw invalid(
      'address.empty-abbreviation',
      `${who.vi} không được để trống.`,
      `${who.en} must not be empty.`,
      {
        part: role,
      },
    );
  }
  if (WHITESPACE.test(s)) {
    throw invalid(
      'address.whitespace-in-abbreviation',
      `${who.vi} phải viết liền, không có dấu cách (Điều 6.1): "${s}".`,
      `${who.en} must be written as one word, without spaces (Điều 6.1): "${s}".`,
      { part: role, value: s },
    );
  }
  if (s.includes('.')) {
    throw invalid(
      'address.dot-in-abbreviation',
      `${who.vi} không được chứa dấu chấm: dấu chấm chỉ dùng để nối phòng, ban với cơ quan, đơn vị (Điều 6.1.b).`,
      `${who.en} must not contain a dot: the dot only joins a sub-unit to its agency (Điều 6.1.b).`,
      { part: role, value: s },
    );
  }
  const r = foldToAscii(s);
  if (r.offending.length > 0) {
    const list = r.offending.map(describe).join(', ');
    throw invalid(
      'address.invalid-character',
      `${who.vi} có ký tự không thể đưa vào địa chỉ thư điện tử: ${list}. Chỉ dùng chữ cái và chữ số, viết liền, không dấu (Điều 6.1).`,
      `${who.en} contains characters that cannot appear in an e-mail address: ${list}. Use only letters and digits, joined, without diacritics (Điều 6.1).`,
      { part: role, characters: r.offending, codePoints: r.offending.map(codePoints) },
    );
  }
  if (!/^[a-z]/.test(r.folded)) {
    throw invalid(
      'address.leading-digit',
      `${who.vi} phải bắt đầu bằng một chữ cái: "${r.folded}".`,
      `${who.en} must start with a letter: "${r.folded}".`,
      { part: role, value: r.folded },
    );
  }
  if (r.folded.length > MAX_LOCAL_PART_OCTETS) {
    throw invalid(
      'address.too-long',
      `${who.vi} dài ${r.folded.length} ký tự, vượt quá giới hạn ${MAX_LOCAL_PART_OCTETS} ký tự (RFC 5321).`,
      `${who.en} is ${r.folded.length} characters long, over the limit of ${MAX_LOCAL_PART_OCTETS} (RFC 5321).`,
      { part: role, length: r.folded.length, max: MAX_LOCAL_PART_OCTETS },
    );
  }
  return r.folded;
}

/**
 * Local part of an agency mailbox (Điều 6.1.a): the abbreviation "viết liền, không dấu", folded like
 * a name (diacritics removed, đ → d, lower case). It is an operator-chosen code, so it is validated,
 * not repaired: surrounding whitespace is trimmed, but whitespace inside is refused
 * (`address.whitespace-in-abbreviation`), as is a dot (`address.dot-in-abbreviation`, dots are
 * reserved for sub-units), any character outside `[a-z0-9]` after folding
 * (`address.invalid-character`), a leading digit (`address.leading-digit`), an empty value
 * (`address.empty-abbreviation`) and more than 64 octets (`address.too-long`, RFC 5321 §4.5.3.1.1).
 */
export function agencyLocalPart(abbrev: string): string {
  return abbreviation(abbrev, 'agency');
}

/**
 * Local part of a sub-unit mailbox (Điều 6.1.b): `<unit>.<agency>`, each part validated like
 * {@link agencyLocalPart}; the whole is at most 64 octets (RFC 5321 §4.5.3.1.1, `address.too-long`).
 */
export function subUnitLocalPart(unitAbbrev: string, agencyAbbrev: string): string {
  const unit = abbreviation(unitAbbrev, 'unit');
  const agency = abbreviation(agencyAbbrev, 'agency');
  const local = `${unit}.${agency}`;
  if (local.length > MAX_LOCAL_PART_OCTETS) {
    throw invalid(
      'address.too-long',
      `Địa chỉ của phòng, ban "${local}" dài ${local.length} ký tự, vượt quá giới hạn ${MAX_LOCAL_PART_OCTETS} ký tự (RFC 5321); hãy chọn tên viết tắt ngắn hơn.`,
      `The sub-unit address "${local}" is ${local.length} characters long, over the limit of ${MAX_LOCAL_PART_OCTETS} (RFC 5321); choose a shorter abbreviation.`,
      { part: 'sub-unit', length: local.length, max: MAX_LOCAL_PART_OCTETS },
    );
  }
  return local;
}

/**
 * Local part for the next person whose name gives `stem` (Điều 6.2.b).
 *
 * `issued` must hold every local part ever issued in the single namespace: agencies, sub-units,
 * people, aliases, including deleted and retired ones (an address is never handed to someone else).
 * Compared case-insensitively.
 *
 * - `stem` itself when it was never issued (the first holder of a name gets the bare name);
 * - otherwise `stem` + n, with n the smallest integer ≥ 1 greater than every suffix already issued
 *   for this stem, so numbers grow with each later registration and a deleted number is never
 *   reused: with `nguyenvanlong` and `nguyenvanlong2` issued, the next is `nguyenvanlong3`.
 *
 * Only `stem` followed by `[1-9][0-9]*` counts as a suffix of the stem (`nguyenvanlongb`,
 * `nguyenvanlong01` do not). Suffixes are compared as big integers, so no precision is lost.
 * The stem must be letters only, as {@link personalLocalPart} makes it (`address.invalid-stem`); the
 * result must fit in 64 octets (RFC 5321 §4.5.3.1.1, `address.too-long`).
 */
export function nextPersonalLocalPart(stem: string, issued: Iterable<string>): string {
  if (!/^[a-z]+$/.test(stem)) {
    throw invalid(
      'address.invalid-stem',
      `Phần tên "${stem}" không hợp lệ: phải gồm các chữ cái a–z, không dấu, không chữ số.`,
      `The name stem "${stem}" is invalid: it must be letters a–z only, without diacritics or digits.`,
      { stem },
    );
  }
  let taken = false;
  let highest = 0n;
  for (const raw of issued) {
    const local = raw.toLowerCase();
    if (local === stem) {
      taken = true;
    } else if (local.startsWith(stem)) {
      const rest = local.slice(stem.length);
      if (/^[1-9][0-9]*$/.test(rest)) {
        const n = BigInt(rest);
        if (n > highest) highest = n;
      }
    }
  }
  if (!taken) return stem;
  const result = `${stem}${highest + 1n}`;
  if (result.length > MAX_LOCAL_PART_OCTETS) {
    throw invalid(
      'address.too-long',
      `Địa chỉ tiếp theo cho họ và tên này ("${result}") dài ${result.length} ký tự, vượt quá giới hạn ${MAX_LOCAL_PART_OCTETS} ký tự (RFC 5321); quản trị viên cần đặt địa chỉ khác.`,
      `The next address for this name ("${result}") is ${result.length} characters long, over the limit of ${MAX_LOCAL_PART_OCTETS} (RFC 5321); the operator must choose another address.`,
      { length: result.length, max: MAX_LOCAL_PART_OCTETS, stem },
    );
  }
  return result;
}

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Whether `domain` is a syntactically valid host name (RFC 1035 §2.3.1 "LDH" as relaxed by RFC 1123
 * §2.1; RFC 5321 §4.1.2 `Domain`): dot-separated labels of 1..63 letters, digits and hyphens, not
 * starting or ending with a hyphen, at most 255 octets (RFC 5321 §4.5.3.1.2), case-insensitive.
 * No trailing root dot (strip it first), no address literals, no U-labels (IDNs must be given in
 * A-label form, `xn--…`). The last label may not be all digits (RFC 3696 §2), so `1.2.3.4` is not a
 * domain.
 */
export function isValidDomain(domain: string): boolean {
  if (typeof domain !== 'string' || domain === '' || domain.length > MAX_DOMAIN_OCTETS) return false;
  const labels = domain.split('.');
  if (!labels.every((l) => LDH_LABEL.test(l))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1] ?? '');
}

// RFC 5322 §3.2.3 atext, with RFC 6532 §3.2 UTF8-non-ascii; upper-case ASCII is gone after folding.
const DOT_ATOM =
  /^[a-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+(?:\.[a-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+)*$/u;
const FORBIDDEN_IN_ADDRESS = /[\p{C}\p{Z}\s\p{Default_Ignorable_Code_Point}]/u;

function malformed(
  reason: string,
  vi: string,
  en: string,
  extra: Record<string, unknown> = {},
): CongthuError {
  return invalid(
    'address.malformed',
    `Địa chỉ thư điện tử không hợp lệ: ${vi}`,
    `Invalid e-mail address: ${en}`,
    {
      reason,
      ...extra,
    },
  );
}

/**
 * Normalise an address typed at sign-in or sent by a client, for looking up a mailbox: trim, Unicode
 * NFC, lower case, one trailing root dot removed from the domain.
 *
 * Refused with `address.malformed` (the message says why; `details.reason` is a stable key):
 * control, format, zero-width, unassigned or private-use characters and whitespace anywhere inside;
 * not exactly one `@` (so no quoted local parts); an empty local part or domain; a local part that
 * is not a dot-atom (RFC 5322 §3.2.3, UTF-8 allowed by RFC 6532) or longer than 64 octets
 * (RFC 5321 §4.5.3.1.1); a domain that is not {@link isValidDomain} (at most 255 octets,
 * RFC 5321 §4.5.3.1.2).
 *
 * Total: for any string it returns a result or throws a `CongthuError`, nothing else.
 */
export function normaliseAddress(addr: string): { local: string; domain: string } {
  if (typeof addr !== 'string') {
    throw malformed('not-text', 'không phải là một chuỗi ký tự.', 'not a text string.');
  }
  const trimmed = addr.trim();
  if (trimmed === '') {
    throw malformed('empty', 'chưa nhập địa chỉ.', 'the address is empty.');
  }
  const bad = FORBIDDEN_IN_ADDRESS.exec(trimmed);
  if (bad) {
    const cp = codePoints(bad[0]);
    throw malformed(
      'forbidden-character',
      `có dấu cách, ký tự điều khiển hoặc ký tự ẩn (${cp}) bên trong địa chỉ.`,
      `it contains whitespace, a control character or an invisible character (${cp}).`,
      { codePoint: cp },
    );
  }
  const s = trimmed.normalize('NFC').toLowerCase().normalize('NFC');
  const parts = s.split('@');
  if (parts.length !== 2) {
    throw malformed(
      'at-sign',
      `địa chỉ phải có đúng một ký tự "@" (đang có ${parts.length - 1}).`,
      `an address must contain exactly one "@" (found ${parts.length - 1}).`,
    );
  }
  const [local = '', rawDomain = ''] = parts;
  if (local === '') {
    throw malformed('empty-local', 'thiếu phần tên trước ký tự "@".', 'the part before "@" is missing.');
  }
  const localOctets = octets(local);
  if (localOctets > MAX_LOCAL_PART_OCTETS) {
    throw malformed(
      'local-too-long',
      `phần trước "@" dài ${localOctets} byte, vượt quá giới hạn ${MAX_LOCAL_PART_OCTETS} byte (RFC 5321).`,
      `the part before "@" is ${localOctets} octets long, over the limit of ${MAX_LOCAL_PART_OCTETS} (RFC 5321).`,
    );
  }
  if (!DOT_ATOM.test(local)) {
    throw malformed(
      'local-syntax',
      'phần trước "@" có ký tự không được phép, hoặc dấu chấm ở đầu, ở cuối hay hai dấu chấm liền nhau.',
      'the part before "@" contains a character that is not allowed, or a dot at its start, at its end or doubled.',
    );
  }
  const domain = rawDomain.endsWith('.') ? rawDomain.slice(0, -1) : rawDomain;
  if (domain === '') {
    throw malformed('empty-domain', 'thiếu tên miền sau ký tự "@".', 'the domain after "@" is missing.');
  }
  const domainOctets = octets(domain);
  if (domainOctets > MAX_DOMAIN_OCTETS) {
    throw malformed(
      'domain-too-long',
      `tên miền dài ${domainOctets} byte, vượt quá giới hạn ${MAX_DOMAIN_OCTETS} byte (RFC 5321).`,
      `the domain is ${domainOctets} octets long, over the limit of ${MAX_DOMAIN_OCTETS} (RFC 5321).`,
    );
  }
  if (!isValidDomain(domain)) {
    throw malformed(
      'domain-syntax',
      `tên miền "${domain}" không hợp lệ: chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang và các dấu chấm phân cách.`,
      `the domain "${domain}" is invalid: only letters without diacritics, digits, hyphens and separating dots are allowed.`,
    );
  }
  return { local, domain };
}
