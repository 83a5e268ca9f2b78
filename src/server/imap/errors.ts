/**
 * Typed IMAP errors and their one mapping to the wire (DESIGN.md convention 6):
 *
 *   ImapProtocolError (codec)  its own tag/status/code: BAD for syntax, NO [LIMIT]/[TOOBIG], BYE if fatal
 *   ImapError (handlers)       tag NO|BAD [CODE] "vi / en"
 *   CongthuError (domain)      by code first (over-quota → NO [OVERQUOTA], RFC 9208 §5), then by kind:
 *                              invalid → NO [CANNOT] (flags: BAD), not-found → NO [NONEXISTENT],
 *                              conflict → NO [ALREADYEXISTS]/[HASCHILDREN]/[CANNOT], limit → NO [LIMIT],
 *                              forbidden → NO [NOPERM]
 *   anything else              NO [SERVERBUG] with a generic text; the caller logs it (RFC 5530)
 * Texts are Vietnamese first, then English (folded to ASCII on the wire unless UTF-8 is enabled);
 * no text ever names another account (G3).
 */
import type { Bilingual } from '../../util/errors.ts';
import { isCongthuError } from '../../util/errors.ts';
import type { ResponseCode, SimpleResponseCode } from '../../protocol/imap/index.ts';
import type { CommandResult } from './result.ts';

/** The connection is gone, or a response broke off mid-literal: no tagged answer is possible. */
export class ConnectionClosed extends Error {
  constructor(message = 'connection closed') {
    super(message);
    this.name = 'ConnectionClosed';
  }
}

export class ImapError extends Error {
  readonly status: 'NO' | 'BAD';
  readonly code: ResponseCode | undefined;
  readonly text: Bilingual;
  /** Counts toward the bad-command limit (syntax, unknown command, wrong state). */
  readonly counted: boolean;
  constructor(status: 'NO' | 'BAD', code: ResponseCode | undefined, text: Bilingual, counted = false) {
    super(`${text.vi} / ${text.en}`);
    this.name = 'ImapError';
    this.status = status;
    this.code = code;
    this.text = text;
    this.counted = counted;
  }
}

const c = (code: SimpleResponseCode): ResponseCode => ({ code });
const NO = (code: SimpleResponseCode | null, vi: string, en: string): ImapError =>
  new ImapError('NO', code ? c(code) : undefined, { vi, en });
const BAD = (vi: string, en: string, counted = true): ImapError =>
  new ImapError('BAD', undefined, { vi, en }, counted);

/** The named refusals of the server, so tests and code share one wording. */
export const errors = {
  unknownCommand: (verb: string) => BAD('Lệnh không được hỗ trợ', `Unknown command ${verb.slice(0, 32)}`),
  wrongState: () => BAD('Lệnh không dùng được ở trạng thái này', 'Command not valid in this state'),
  syntax: (en: string) => BAD('Lệnh sai cú pháp', en),
  privacyRequired: () =>
    NO('PRIVACYREQUIRED', 'Phải bật mã hóa (STARTTLS) trước khi đăng nhập', 'Use STARTTLS before signing in'),
  alreadySecure: () => BAD('Kết nối đã được mã hóa', 'TLS is already active'),
  noTls: () => NO('UNAVAILABLE', 'Máy chủ chưa cấu hình TLS', 'TLS is not available'),
  mechanism: () => NO('CANNOT', 'Cơ chế xác thực không được hỗ trợ', 'Unsupported authentication mechanism'),
  saslMalformed: () => BAD('Dữ liệu xác thực không hợp lệ', 'Malformed authentication data'),
  saslCancelled: () => BAD('Đã hủy xác thực', 'Authentication cancelled', false),
  authzid: () =>
    NO(
      'AUTHORIZATIONFAILED',
      'Không được đăng nhập thay cho tài khoản khác',
      'Signing in as another identity (authzid) is not allowed',
    ),
  signIn: (code: SimpleResponseCode, text: Bilingual) => new ImapError('NO', c(code), text),
  noSuchMailbox: () => NO('NONEXISTENT', 'Không có thư mục này', 'No such mailbox'),
  tryCreate: () => NO('TRYCREATE', 'Không có thư mục đích', 'No such mailbox; create it first'),
  inUse: () => NO('INUSE', 'Thư mục đang được mở trong phiên này', 'The mailbox is selected in this session'),
  readOnly: () => NO('READ-ONLY', 'Thư mục đang mở ở chế độ chỉ đọc', 'The mailbox is read-only (EXAMINE)'),
  badSequence: () => BAD('Số thứ tự thư không hợp lệ', 'Invalid message sequence number'),
  expungeIssued: () =>
    NO('EXPUNGEISSUED', 'Một số thư đã bị xóa bởi phiên khác', 'Some of the messages were expunged'),
  badCharset: () =>
    new ImapError(
      'NO',
      { code: 'BADCHARSET', charsets: ['UTF-8', 'US-ASCII'] },
      { vi: 'Bảng mã không được hỗ trợ', en: 'Unsupported charset' },
    ),
  searchBudget: () =>
    NO('LIMIT', 'Tìm kiếm mất quá nhiều thời gian; hãy thu hẹp điều kiện', 'Search took too long; narrow it'),
  unknownCte: () => NO('UNKNOWN-CTE', 'Không giải mã được nội dung phần thư', 'Cannot decode this body part'),
  emptyMessage: () => NO('CANNOT', 'Thư rỗng', 'Empty message'),
  tooBig: () => NO('TOOBIG', 'Thư vượt quá kích thước cho phép', 'Message too large (APPENDLIMIT)'),
  quotaRoot: () => NO('NONEXISTENT', 'Không có gốc hạn mức này', 'No such quota root'),
  setQuota: () => NO('NOPERM', 'Chỉ quản trị viên được đổi hạn mức', 'Only the operator can change quotas'),
  compressAlgorithm: () => BAD('Thuật toán nén không được hỗ trợ', 'Only COMPRESS DEFLATE is supported'),
  compressionActive: () => NO('COMPRESSIONACTIVE', 'Kết nối đã được nén', 'Compression is already active'),
  qresyncNotEnabled: () =>
    BAD('Phải dùng ENABLE QRESYNC trước', 'QRESYNC and VANISHED need ENABLE QRESYNC first (RFC 7162 §3.2.3)'),
  seqMatchData: () =>
    BAD(
      'Dữ liệu đối chiếu số thứ tự không hợp lệ',
      'Sequence match data sets differ in size (RFC 7162 §3.2.5)',
    ),
  tooManyErrors: () => BAD('Quá nhiều lệnh sai; đóng kết nối', 'Too many bad commands; closing'),
  idleExpected: () => BAD('Đang ở chế độ IDLE', 'IDLE in progress'),
  noRight: (rights: string) =>
    NO(
      'NOPERM',
      `Bạn không có quyền này trên hộp thư được ủy quyền (quyền "${rights}")`,
      `Not permitted in this delegated mailbox (RFC 4314 right "${rights}")`,
    ),
  aclByAdministration: () =>
    NO(
      'NOPERM',
      'Quyền sử dụng hộp thư do thủ trưởng cơ quan cấp qua hệ thống quản trị (congthu delegate), không qua IMAP',
      'Mailbox rights are granted by the agency head through the administration (congthu delegate), not over IMAP',
    ),
  crossMailboxRename: () =>
    NO(
      'CANNOT',
      'Không thể đổi tên thư mục sang hộp thư khác',
      'A folder cannot be renamed into another mailbox',
    ),
} as const;

const internalText: Bilingual = {
  vi: 'Lỗi tạm thời của máy chủ; hãy thử lại sau',
  en: 'Temporary server error; try again later',
};

const BY_CODE: Readonly<Record<string, { status: 'NO' | 'BAD'; code: SimpleResponseCode }>> = {
  'mailbox.over-quota': { status: 'NO', code: 'OVERQUOTA' },
  'folder.not-found': { status: 'NO', code: 'NONEXISTENT' },
  'folder.exists': { status: 'NO', code: 'ALREADYEXISTS' },
  'folder.has-children': { status: 'NO', code: 'HASCHILDREN' },
  'folder.bad-name': { status: 'NO', code: 'CANNOT' },
  'folder.inbox': { status: 'NO', code: 'CANNOT' },
  'flag.too-many': { status: 'NO', code: 'LIMIT' },
};

const BY_KIND: Readonly<Record<string, SimpleResponseCode>> = {
  invalid: 'CANNOT',
  'not-found': 'NONEXISTENT',
  conflict: 'CANNOT',
  forbidden: 'NOPERM',
  limit: 'LIMIT',
  unauthenticated: 'AUTHENTICATIONFAILED',
};

/** The one place where an error becomes a tagged result. `expected` false: the caller logs it. */
export function errorToResult(e: unknown): { result: CommandResult; expected: boolean; counted: boolean } {
  if (e instanceof ImapError) {
    return {
      result: {
        status: e.status,
        text: `${e.text.vi} / ${e.text.en}`,
        ...(e.code ? { code: e.code } : {}),
      },
      expected: true,
      counted: e.counted,
    };
  }
  if (isCongthuError(e)) {
    const text = `${e.text.vi} / ${e.text.en}`;
    if (e.code === 'flag.invalid') return { result: { status: 'BAD', text }, expected: true, counted: true };
    const byCode = BY_CODE[e.code];
    if (byCode)
      return {
        result: { status: byCode.status, text, code: c(byCode.code) },
        expected: true,
        counted: false,
      };
    const kindCode = BY_KIND[e.kind];
    if (kindCode)
      return { result: { status: 'NO', text, code: c(kindCode) }, expected: true, counted: false };
  }
  return {
    result: { status: 'NO', text: `${internalText.vi} / ${internalText.en}`, code: c('SERVERBUG') },
    expected: false,
    counted: false,
  };
}
