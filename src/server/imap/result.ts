/** The tagged answer of an IMAP command handler (RFC 9051 §7.1): status, optional code, text. */
import type { ResponseCode } from '../../protocol/imap/index.ts';

/** The answer a handler gives: the tagged status line. */
export interface CommandResult {
  status: 'OK' | 'NO' | 'BAD';
  text: string;
  code?: ResponseCode;
}

export const ok = (text: string, code?: ResponseCode): CommandResult =>
  code ? { status: 'OK', text, code } : { status: 'OK', text };
