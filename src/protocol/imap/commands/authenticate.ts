/**
 * AUTHENTICATE (RFC 9051 §6.2.2) with an initial response (SASL-IR, RFC 4959):
 *   authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp] *(CRLF base64)
 *   initial-resp = (base64 / "=")          ; "=" is an empty initial response
 * The further `*(CRLF base64)` lines are read one by one after the session calls
 * `parser.beginSaslResponse(tag)` (events `sasl-response` / `sasl-cancel`).
 */
import { decodeBase64Strict } from '../base64.ts';
import { NOT_AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface AuthenticateCommand {
  readonly name: 'AUTHENTICATE';
  readonly tag: string;
  /** Upper case, e.g. PLAIN, SCRAM-SHA-256, XOAUTH2. */
  readonly mechanism: string;
  /** null: no initial response; empty: "=" (an empty one); otherwise the decoded octets. */
  readonly initialResponse: Uint8Array | null;
}

export const authenticate: CommandSpec<AuthenticateCommand> = {
  name: 'AUTHENTICATE',
  states: NOT_AUTHENTICATED,
  rfc: 'RFC 9051 §6.2.2, RFC 4959',
  parse(r, head) {
    r.sp();
    const mechanism = r.atom('SASL mechanism').toUpperCase();
    let initialResponse: Uint8Array | null = null;
    if (r.trySp()) {
      const bytes = r.restOfLine();
      if (bytes.length === 1 && bytes[0] === 0x3d) {
        initialResponse = new Uint8Array(0);
      } else {
        initialResponse = decodeBase64Strict(bytes);
        if (initialResponse === null || bytes.length === 0) r.fail('initial response is not base64');
      }
    }
    r.end();
    return { name: 'AUTHENTICATE', tag: head.tag, mechanism, initialResponse };
  },
};
