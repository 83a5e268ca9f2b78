/**
 * A framed command: what the incremental parser hands to the grammar once a command is complete,
 * and the two scanners the framing needs.
 *
 * Layout: `lines[i]` is the text of the i-th line without CRLF; every line but the last ends with
 * a literal announcement (`{n}`, `{n+}`, `~{n}`, `~{n+}`; RFC 9051 §4.3, RFC 7888, RFC 3516)
 * whose octets are `literals[i]`:
 *
 *   C: a LOGIN {4}\r\n   → lines[0] = "a LOGIN {4}"   literals[0] = "fred"
 *   C: fred {6+}\r\n     → lines[1] = " {6+}"         literals[1] = "secret"
 *   C: secret\r\n        → lines[2] = ""              (the command ends here)
 *
 * so `lines.length === literals.length + 1`. An announcement counts only outside a quoted string
 * (`"x {3}` at the end of a line is an unterminated quoted string, not a literal).
 */
import { latin1 } from './mutf7.ts';

export interface FramedLiteral {
  /** Unique per parser; `literal-data` events of a streamed literal carry the same id. */
  readonly id: number;
  readonly size: number;
  /** literal8, `~{n}` (RFC 3516): may contain NUL. */
  readonly binary: boolean;
  readonly synchronizing: boolean;
  /** The octets, or null when they were streamed out as `literal-data` events. */
  readonly data: Uint8Array | null;
  /** The octets contain NUL, which only literal8 may carry (RFC 9051 §9 CHAR8 = %x01-ff). */
  readonly hasNul: boolean;
}

export interface CommandFrame {
  readonly lines: readonly Uint8Array[];
  readonly literals: readonly FramedLiteral[];
}

/** A literal announcement at the end of a line: `{n}`, `{n+}`, `~{n}`, `~{n+}`. */
export interface LiteralSpec {
  readonly valid: boolean;
  readonly size: number;
  readonly binary: boolean;
  readonly nonSync: boolean;
}

const MAX_LITERAL_SPEC = 2n ** 63n - 1n;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/** The literal announcement ending `b[0..len)`, if any (the caller checks quoting). */
export function literalSpecAtEnd(b: Uint8Array, len = b.length): LiteralSpec | null {
  let i = len;
  if (i < 3 || b[i - 1] !== 0x7d) return null;
  i--;
  const nonSync = b[i - 1] === 0x2b;
  if (nonSync) i--;
  let j = i;
  while (j > 0 && isDigit(b[j - 1])) j--;
  if (j === i || j === 0 || b[j - 1] !== 0x7b) return null;
  const binary = j >= 2 && b[j - 2] === 0x7e;
  if (i - j > 19) return { valid: false, size: Number.POSITIVE_INFINITY, binary, nonSync };
  const v = BigInt(latin1(b.subarray(j, i)));
  return { valid: v <= MAX_LITERAL_SPEC, size: Number(v), binary, nonSync };
}

/** Quote state after scanning `bytes` from `state` (0 outside, 1 inside, 2 after a backslash inside). */
export function scanQuotes(bytes: Uint8Array, state: number): number {
  let s = state;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (s === 0) {
      if (c === 0x22) s = 1;
    } else if (s === 1) {
      if (c === 0x5c) s = 2;
      else if (c === 0x22) s = 0;
    } else {
      s = 1;
    }
  }
  return s;
}
