/**
 * Password rules of the official e-mail system (Quy chế, Điều 9.2.b): "độ dài tối thiểu 8 ký tự và
 * chứa đầy đủ các loại ký tự: ký tự in hoa, ký tự in thường, ký tự số và ký tự đặc biệt
 * (!, @, #, %, $, *, &)", plus the limits an operator of a real system adds.
 *
 * Pure functions, no I/O. Each rule that fails yields one {@link PasswordViolation} with a stable
 * code and a message in Vietnamese and English, so a person sees exactly what to fix.
 *
 * Decisions:
 * - The password is checked in Unicode NFC ({@link normalisePassword}); the credential store must
 *   hash the same NFC form, so "Ư" typed as one or as two code points is the same password.
 *   Nothing is trimmed: leading and trailing spaces are part of the password.
 * - Length is counted in Unicode code points: at least 8, at most 128. 128 code points are at most
 *   512 UTF-8 octets, well under the 1024-octet cap that keeps argon2 hashing cheap and bounded.
 * - Upper and lower case follow Unicode (`\p{Lu}`/`\p{Lt}` and `\p{Ll}`), so Vietnamese letters
 *   such as "Đ", "Ư", "Ễ" count as upper-case and "đ", "ư", "ễ" as lower-case. Letters without case
 *   (CJK…) count as neither.
 * - Digits are the ASCII digits 0–9 only, like the special characters, which are exactly
 *   `! @ # % $ * &`. Other printable characters (space, `-`, `_`, `.`…) are allowed but count
 *   towards no class.
 * - Control, format (zero-width…), private-use, unassigned and lone-surrogate code points and line
 *   or paragraph separators are refused: they cannot be typed reliably on every device.
 * - The password may not contain the account's local part, nor its name stem (the local part
 *   without a trailing number), nor the person's full name joined without spaces, compared after
 *   {@link foldVietnamese} (so case- and diacritic-insensitive), when that text has at least
 *   4 characters.
 */

import { invalid } from '../util/errors.ts';
import { foldVietnamese } from './address.ts';

/** Điều 9.2.b: "độ dài tối thiểu 8 ký tự". */
export const PASSWORD_MIN_CODE_POINTS = 8;

/** Upper bound, in code points: 128 × 4 = 512 UTF-8 octets at most (cap of 1024 octets for argon2). */
export const PASSWORD_MAX_CODE_POINTS = 128;

/** Điều 9.2.b: the only characters that count as special. */
export const PASSWORD_SPECIALS = ['!', '@', '#', '%', '$', '*', '&'] as const;

/** Shortest account or name text that the password may not contain. */
export const ACCOUNT_NAME_MIN_LENGTH = 4;

export type PasswordRule =
  | 'too-short'
  | 'too-long'
  | 'control-char'
  | 'no-upper'
  | 'no-lower'
  | 'no-digit'
  | 'no-special'
  | 'contains-account-name';

export interface PasswordViolation {
  readonly code: PasswordRule;
  readonly vi: string;
  readonly en: string;
}

export interface PasswordContext {
  /** Local part of the mailbox's address, e.g. `nguyenvanlong1`. */
  readonly localPart?: string;
  /** Full name of the holder, e.g. "Nguyễn Văn Long". */
  readonly fullName?: string;
}

const SPECIALS_TEXT = PASSWORD_SPECIALS.join(' ');
const UPPER = /[\p{Lu}\p{Lt}]/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /[0-9]/;
const SPECIAL = /[!@#%$*&]/;
const CONTROL = /[\p{C}\p{Zl}\p{Zp}]/u;

/** The form a password is checked and hashed in: Unicode NFC (as RFC 8265 OpaqueString), not trimmed. */
export function normalisePassword(pw: string): string {
  return pw.normalize('NFC');
}

/** Texts derived from the account that the password must not contain (folded, ≥ 4 characters). */
function accountTexts(context: PasswordContext): string[] {
  const texts: string[] = [];
  if (context.localPart !== undefined) {
    const local = foldVietnamese(context.localPart);
    texts.push(local, local.replace(/[0-9]+$/, ''));
  }
  if (context.fullName !== undefined) {
    texts.push(foldVietnamese(context.fullName).replace(/\s+/gu, ''));
  }
  return texts.filter((t) => [...t].length >= ACCOUNT_NAME_MIN_LENGTH);
}

/**
 * Every rule of Điều 9.2.b (and the system's limits) that `pw` breaks, in a fixed order:
 * too-short, too-long, control-char, no-upper, no-lower, no-digit, no-special, contains-account-name.
 * An empty array means the password is acceptable.
 */
export function checkPassword(pw: string, context: PasswordContext = {}): PasswordViolation[] {
  const s = normalisePassword(pw);
  const length = [...s].length;
  const out: PasswordViolation[] = [];
  if (length < PASSWORD_MIN_CODE_POINTS) {
    out.push({
      code: 'too-short',
      vi: `Mật khẩu phải dài ít nhất ${PASSWORD_MIN_CODE_POINTS} ký tự (hiện có ${length}).`,
      en: `The password must be at least ${PASSWORD_MIN_CODE_POINTS} characters long (it has ${length}).`,
    });
  }
  if (length > PASSWORD_MAX_CODE_POINTS) {
    out.push({
      code: 'too-long',
      vi: `Mật khẩu không được dài quá ${PASSWORD_MAX_CODE_POINTS} ký tự (hiện có ${length}).`,
      en: `The password must not be longer than ${PASSWORD_MAX_CODE_POINTS} characters (it has ${length}).`,
    });
  }
  if (CONTROL.test(s)) {
    out.push({
      code: 'control-char',
      vi: 'Mật khẩu không được chứa ký tự điều khiển hoặc ký tự ẩn (xuống dòng, tab, ký tự độ rộng bằng không…).',
      en: 'The password must not contain control or invisible characters (line breaks, tabs, zero-width characters…).',
    });
  }
  if (!UPPER.test(s)) {
    out.push({
      code: 'no-upper',
      vi: 'Mật khẩu phải có ít nhất một chữ in hoa.',
      en: 'The password must contain at least one upper-case letter.',
    });
  }
  if (!LOWER.test(s)) {
    out.push({
      code: 'no-lower',
      vi: 'Mật khẩu phải có ít nhất một chữ in thường.',
      en: 'The password must contain at least one lower-case letter.',
    });
  }
  if (!DIGIT.test(s)) {
    out.push({
      code: 'no-digit',
      vi: 'Mật khẩu phải có ít nhất một chữ số (0–9).',
      en: 'The password must contain at least one digit (0–9).',
    });
  }
  if (!SPECIAL.test(s)) {
    out.push({
      code: 'no-special',
      vi: `Mật khẩu phải có ít nhất một ký tự đặc biệt trong số: ${SPECIALS_TEXT}.`,
      en: `The password must contain at least one special character from: ${SPECIALS_TEXT}.`,
    });
  }
  const folded = foldVietnamese(s);
  if (accountTexts(context).some((t) => folded.includes(t))) {
    out.push({
      code: 'contains-account-name',
      vi: 'Mật khẩu không được chứa tên tài khoản hoặc họ và tên của người dùng.',
      en: "The password must not contain the account name or the user's full name.",
    });
  }
  return out;
}

/**
 * Throw `password.policy` (a CongthuError of kind 'invalid') when `pw` breaks any rule of
 * {@link checkPassword} (Điều 9.2.b). The message lists exactly the rules that failed, in Vietnamese
 * then English; `details.violations` holds their codes.
 */
export function assertPasswordAcceptable(pw: string, context: PasswordContext = {}): void {
  const violations = checkPassword(pw, context);
  if (violations.length === 0) return;
  throw invalid(
    'password.policy',
    `Mật khẩu chưa đạt yêu cầu (Điều 9.2.b): ${violations.map((v) => v.vi).join(' ')}`,
    `The password does not meet the rules (Điều 9.2.b): ${violations.map((v) => v.en).join(' ')}`,
    { violations: violations.map((v) => v.code) },
  );
}
