/**
 * Typed POP3 errors and their one mapping to the wire (DESIGN.md convention 6).
 *
 * Handlers throw `Pop3Error` for anything the client should hear as `-ERR`; the session turns
 * every error into bytes only through `errorToWire`:
 *   Pop3Error            -ERR [code] "vi / en"  (its own response code, if any)
 *   CongthuError         -ERR [SYS/PERM] for a limit or forbidden action, -ERR [SYS/TEMP] otherwise
 *   anything else        -ERR [SYS/TEMP] with a generic text, and the caller logs it (RFC 3206 §4)
 * Texts are Vietnamese first, then English; no text ever names another account (G3).
 */
import type { Bilingual } from '../../util/errors.ts';
import { isCongthuError } from '../../util/errors.ts';
import { errLine, type Pop3RespCode } from '../../protocol/pop3/index.ts';

export type Pop3ErrorKind =
  | 'syntax'
  | 'wrong-state'
  | 'no-such-message'
  | 'auth'
  | 'in-use'
  | 'privacy-required'
  | 'unavailable'
  | 'update-failed'
  | 'too-many-errors';

export class Pop3Error extends Error {
  readonly kind: Pop3ErrorKind;
  readonly code: Pop3RespCode | null;
  readonly text: Bilingual;
  constructor(kind: Pop3ErrorKind, code: Pop3RespCode | null, text: Bilingual) {
    super(`${text.vi} / ${text.en}`);
    this.name = 'Pop3Error';
    this.kind = kind;
    this.code = code;
    this.text = text;
  }
}

const E = (kind: Pop3ErrorKind, code: Pop3RespCode | null, vi: string, en: string): Pop3Error =>
  new Pop3Error(kind, code, { vi, en });

/** The named refusals of the server, so tests and code share one wording. */
export const errors = {
  syntax: (detail: string) => E('syntax', null, 'Lệnh sai cú pháp', `Syntax error: ${detail}`),
  unknownCommand: () => E('syntax', null, 'Lệnh không được hỗ trợ', 'Unknown command'),
  tooLong: () => E('syntax', null, 'Dòng lệnh quá dài', 'Line too long (RFC 2449 §4: 255 octets)'),
  wrongState: () =>
    E('wrong-state', null, 'Lệnh không dùng được ở trạng thái này', 'Command not valid in this state'),
  noSuchMessage: () => E('no-such-message', null, 'Không có thư này', 'No such message'),
  messageGone: () =>
    E(
      'no-such-message',
      null,
      'Thư đã bị xóa bởi một phiên khác',
      'The message was removed by another session',
    ),
  userFirst: () => E('wrong-state', null, 'Hãy gửi lệnh USER trước', 'Send USER first'),
  apop: () =>
    E(
      'auth',
      'AUTH',
      'APOP không được hỗ trợ; hãy dùng USER/PASS hoặc AUTH PLAIN qua TLS',
      'APOP is not supported; use USER/PASS or AUTH PLAIN over TLS',
    ),
  privacyRequired: () =>
    E(
      'privacy-required',
      'AUTH',
      'Phải bật mã hóa (STLS) trước khi đăng nhập',
      'Encryption required: use STLS before signing in',
    ),
  alreadySecure: () => E('wrong-state', null, 'Kết nối đã được mã hóa', 'TLS is already active'),
  noTls: () => E('unavailable', 'SYS/PERM', 'Máy chủ chưa cấu hình TLS', 'TLS is not available'),
  unknownMechanism: () =>
    E('auth', 'AUTH', 'Cơ chế xác thực không được hỗ trợ', 'Unsupported authentication mechanism'),
  saslCancelled: () => E('auth', 'AUTH', 'Đã hủy xác thực', 'Authentication cancelled'),
  saslBadBase64: () => E('auth', 'AUTH', 'Dữ liệu base64 không hợp lệ', 'Invalid base64 data'),
  saslMalformed: () => E('auth', 'AUTH', 'Dữ liệu xác thực không hợp lệ', 'Malformed authentication data'),
  authzidRefused: () =>
    E(
      'auth',
      'AUTH',
      'Không được đăng nhập thay cho tài khoản khác',
      'Signing in as another identity (authzid) is not allowed',
    ),
  signIn: (text: Bilingual) => new Pop3Error('auth', 'AUTH', text),
  inUse: () =>
    E(
      'in-use',
      'IN-USE',
      'Hộp thư đang được một phiên POP3 khác sử dụng',
      'The mailbox is in use by another POP3 session',
    ),
  maildropUnavailable: () =>
    E('unavailable', 'SYS/TEMP', 'Tạm thời không mở được hộp thư', 'The mailbox cannot be opened now'),
  updateFailed: () =>
    E(
      'update-failed',
      'SYS/TEMP',
      'Một số thư đã đánh dấu xóa chưa được xóa',
      'Some deleted messages not removed',
    ),
  tooManyErrors: () =>
    E('too-many-errors', null, 'Quá nhiều lệnh sai; đóng kết nối', 'Too many bad commands; closing'),
  tooManyAuthFailures: () =>
    E(
      'too-many-errors',
      'AUTH',
      'Đăng nhập sai quá nhiều lần; đóng kết nối',
      'Too many failed sign-ins; closing',
    ),
} as const;

const internalText: Bilingual = {
  vi: 'Lỗi tạm thời của máy chủ; hãy thử lại sau',
  en: 'Temporary server error; try again later',
};

/** The one place where an error becomes bytes. `expected` is false when the caller should log it. */
export function errorToWire(e: unknown): { line: Buffer; expected: boolean } {
  if (e instanceof Pop3Error) return { line: errLine(`${e.text.vi} / ${e.text.en}`, e.code), expected: true };
  if (isCongthuError(e)) {
    const code: Pop3RespCode = e.kind === 'limit' || e.kind === 'forbidden' ? 'SYS/PERM' : 'SYS/TEMP';
    return { line: errLine(`${e.text.vi} / ${e.text.en}`, code), expected: e.kind !== 'internal' };
  }
  return { line: errLine(`${internalText.vi} / ${internalText.en}`, 'SYS/TEMP'), expected: false };
}
