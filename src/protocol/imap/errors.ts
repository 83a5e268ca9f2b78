/**
 * Typed protocol errors of the IMAP codec.
 *
 * The parser never throws at its caller: every problem with client input becomes an
 * `ImapProtocolError` inside an `{ kind: 'error' }` event. The error carries everything the
 * session needs to answer on the wire in one place (DESIGN.md convention 6):
 *
 *   tag      the command's tag, or null when it could not be read (answer with `*`)
 *   status   BAD (syntax), NO (a limit the command may not exceed), BYE (fatal)
 *   code     the response code to put in brackets (RFC 9051 §7.1, RFC 5530, RFC 7888/4469 TOOBIG)
 *   fatal    true when the byte stream can no longer be framed: answer, then close the connection
 *
 * `text.en` is the ASCII text for the wire; `text.vi` is for logs and people.
 */
import { CongthuError, type ErrorKind } from '../../util/errors.ts';

export type ImapErrorReason =
  | 'syntax' // the command does not match the grammar (RFC 9051 §9)
  | 'bad-literal' // a literal announcement that is not a valid number64
  | 'line-too-long' // a command line longer than maxLineLength
  | 'literal-too-large' // a literal larger than the configured limit
  | 'command-too-large' // the sum of a command's lines and literals is too large
  | 'non-sync-literal-refused' // LITERAL+ not offered, or LITERAL- and more than 4096 octets
  | 'nesting' // parentheses, NOT/OR or section parts nested deeper than maxNesting
  | 'too-many-arguments' // more than maxArguments items in one command
  | 'idle-expected-done' // a line other than DONE while idling (RFC 2177)
  | 'sasl-bad-response' // an AUTHENTICATE continuation that is not base64 (RFC 9051 §6.2.2)
  | 'internal'; // a bug in the codec; never expected

export type ImapErrorStatus = 'BAD' | 'NO' | 'BYE';

/** The response codes the codec itself may ask for. */
export type ImapErrorCode = 'TOOBIG' | 'LIMIT' | 'SERVERBUG';

const VI: Readonly<Record<ImapErrorReason, string>> = {
  syntax: 'Lệnh IMAP sai cú pháp',
  'bad-literal': 'Khai báo literal không hợp lệ',
  'line-too-long': 'Dòng lệnh quá dài',
  'literal-too-large': 'Dữ liệu literal vượt quá giới hạn',
  'command-too-large': 'Lệnh vượt quá kích thước cho phép',
  'non-sync-literal-refused': 'Không chấp nhận literal không đồng bộ này',
  nesting: 'Lệnh lồng nhau quá sâu',
  'too-many-arguments': 'Lệnh có quá nhiều tham số',
  'idle-expected-done': 'Đang ở chế độ IDLE, chỉ chấp nhận DONE',
  'sasl-bad-response': 'Phản hồi xác thực SASL không hợp lệ',
  internal: 'Lỗi nội bộ của bộ phân tích lệnh IMAP',
};

const KIND: Readonly<Record<ImapErrorReason, ErrorKind>> = {
  syntax: 'invalid',
  'bad-literal': 'invalid',
  'line-too-long': 'limit',
  'literal-too-large': 'limit',
  'command-too-large': 'limit',
  'non-sync-literal-refused': 'limit',
  nesting: 'limit',
  'too-many-arguments': 'limit',
  'idle-expected-done': 'invalid',
  'sasl-bad-response': 'invalid',
  internal: 'internal',
};

export interface ImapProtocolErrorInit {
  readonly reason: ImapErrorReason;
  readonly tag: string | null;
  readonly status: ImapErrorStatus;
  /** English, ASCII, one line: goes on the wire after the status (and code). */
  readonly message: string;
  readonly code?: ImapErrorCode;
  readonly fatal?: boolean;
  /** The command name when it was read (upper case, `UID FETCH` for UID commands). */
  readonly command?: string | null;
}

export class ImapProtocolError extends CongthuError {
  readonly reason: ImapErrorReason;
  readonly tag: string | null;
  readonly status: ImapErrorStatus;
  readonly responseCode: ImapErrorCode | undefined;
  readonly fatal: boolean;
  readonly command: string | null;

  constructor(init: ImapProtocolErrorInit) {
    super(
      KIND[init.reason],
      `imap.${init.reason}`,
      { vi: VI[init.reason], en: init.message },
      {
        details: { tag: init.tag, status: init.status, command: init.command ?? null },
      },
    );
    this.name = 'ImapProtocolError';
    this.reason = init.reason;
    this.tag = init.tag;
    this.status = init.status;
    this.responseCode = init.code;
    this.fatal = init.fatal ?? init.status === 'BYE';
    this.command = init.command ?? null;
  }
}
