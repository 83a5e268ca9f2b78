/**
 * Limits and switches of the incremental IMAP command parser.
 *
 * Every limit bounds memory or work per connection (reliability-security.md IMAP-01..03):
 * the parser never holds more than `maxLineLength` bytes of an unfinished line, never more than
 * `maxCommandSize` (or `maxAppendCommandSize` for APPEND) for one command, and never recurses.
 * The session may change them at any time with `parser.setOptions()`, e.g. a tiny literal limit
 * before authentication and the advertised APPENDLIMIT afterwards.
 */

/**
 * How non-synchronising literals `{n+}` are accepted (RFC 7888):
 *   'plus'  LITERAL+ advertised: any size up to the ordinary limits
 *   'minus' LITERAL- (and IMAP4rev2, RFC 9051 §4.3): at most 4096 octets
 *   'none'  not advertised: every `{n+}` is refused
 * RFC 7888 §5: the wire form is `{n+}` for both; there is no `{n-}`.
 */
export type NonSyncLiteralPolicy = 'plus' | 'minus' | 'none';

/** RFC 7888 §4: the largest non-synchronising literal a LITERAL- server must accept. */
export const LITERAL_MINUS_MAX = 4096;

export interface ImapParserOptions {
  /** Longest command line outside literals, CRLF excluded. Longer → `BAD [TOOBIG]`. */
  readonly maxLineLength: number;
  /** Largest literal in any command but APPEND (LOGIN, SEARCH, …). Keep it tiny before login. */
  readonly maxLiteralSize: number;
  /** Largest total of lines and literals of one command but APPEND. */
  readonly maxCommandSize: number;
  /** Largest message literal in APPEND: the advertised APPENDLIMIT (RFC 7889). */
  readonly maxAppendLiteralSize: number;
  /** Largest total of one APPEND command (all messages of a MULTIAPPEND, RFC 3502). */
  readonly maxAppendCommandSize: number;
  /**
   * Largest refused non-synchronising literal the parser reads and throws away so that the
   * connection survives; a larger one ends it (`* BYE [TOOBIG]`), as the client is already sending.
   */
  readonly maxSkipLiteralSize: number;
  /** Deepest nesting of parentheses, NOT/OR search keys and body section parts. */
  readonly maxNesting: number;
  /** Most arguments (flags, search keys, fetch items, strings…) in one command. */
  readonly maxArguments: number;
  readonly nonSyncLiterals: NonSyncLiteralPolicy;
  /**
   * APPEND literals larger than this are not buffered: the parser hands their bytes out as
   * `literal-data` events and the command refers to them by id. `Infinity` buffers everything
   * (up to maxAppendLiteralSize).
   */
  readonly streamAppendLiteralsOver: number;
  /**
   * UTF8=ACCEPT is enabled (RFC 6855) or the session speaks IMAP4rev2 (RFC 9051 §5.1): mailbox
   * names are UTF-8 rather than modified UTF-7, and APPEND accepts `UTF8 (~{n}…)`.
   */
  readonly utf8: boolean;
}

export const DEFAULT_PARSER_OPTIONS: Readonly<ImapParserOptions> = Object.freeze({
  maxLineLength: 64 * 1024,
  maxLiteralSize: 64 * 1024,
  maxCommandSize: 1024 * 1024,
  maxAppendLiteralSize: 50 * 1024 * 1024,
  maxAppendCommandSize: 200 * 1024 * 1024,
  maxSkipLiteralSize: 8 * 1024 * 1024,
  maxNesting: 100,
  maxArguments: 10_000,
  nonSyncLiterals: 'minus',
  streamAppendLiteralsOver: Number.POSITIVE_INFINITY,
  utf8: false,
});

/** Hard ceilings on configuration, so that a typo cannot make the parser unsafe. */
const CEILING: Partial<Record<keyof ImapParserOptions, number>> = {
  maxLineLength: 16 * 1024 * 1024,
  maxNesting: 1000,
  maxArguments: 1_000_000,
};

/** Merge `partial` over `base`, checking every number; throws a TypeError on a bad value. */
export function resolveParserOptions(
  partial: Partial<ImapParserOptions> = {},
  base: Readonly<ImapParserOptions> = DEFAULT_PARSER_OPTIONS,
): ImapParserOptions {
  const merged: ImapParserOptions = { ...base, ...partial };
  for (const key of Object.keys(merged) as (keyof ImapParserOptions)[]) {
    const value = merged[key];
    if (typeof value !== 'number') continue;
    const infinityOk = key === 'streamAppendLiteralsOver';
    if (Number.isNaN(value) || value < 0 || (!infinityOk && !Number.isFinite(value))) {
      throw new TypeError(`IMAP parser option ${key} must be a non-negative number, got ${value}`);
    }
    const ceiling = CEILING[key];
    if (ceiling !== undefined && value > ceiling) {
      throw new TypeError(`IMAP parser option ${key} must not exceed ${ceiling}, got ${value}`);
    }
  }
  if (merged.maxNesting < 1 || merged.maxLineLength < 64) {
    throw new TypeError('IMAP parser options: maxNesting ≥ 1 and maxLineLength ≥ 64 are required');
  }
  if (!['plus', 'minus', 'none'].includes(merged.nonSyncLiterals)) {
    throw new TypeError(`IMAP parser option nonSyncLiterals is invalid: ${String(merged.nonSyncLiterals)}`);
  }
  return merged;
}
