/**
 * RFC 5322 address lists (From, To, Cc, Bcc, Reply-To, Sender) parsed for IMAP ENVELOPE and search.
 *
 * Purpose: turn `"Nguyễn Văn A" <a@quangtri.gov.vn>, Nhóm: b@x, c@y;, d@z (Comment)` into a flat
 * list of entries shaped like the IMAP address structure (RFC 9051 §7.5.2): mailboxes, and group
 * start / group end markers around the members of a group (RFC 5322 §3.4).
 *
 * Grammar covered, tolerantly: name-addr and addr-spec (RFC 5322 §3.4), groups including the empty
 * `undisclosed-recipients:;`, quoted strings with quoted-pairs (§3.2.4), nested comments (§3.2.2),
 * domain literals (§3.4.1), and the obsolete forms of §4.4: obs-route (`<@a,@b:u@c>`), obs-local-part
 * and obs-domain with CFWS around dots, obs-phrase with dots, empty list elements (`a@b,,c@d`).
 *
 * Invariants
 * - Never throws; garbage yields what can be recognised (unterminated quotes, comments, `<` and
 *   groups run to the end of the input; stray specials are skipped).
 * - Linear in the input length; at most `maxAddresses` entries (MIME-02 address-count cap).
 * - Works on a JS string: pass the header value as UTF-8 text (RFC 6532); 8-bit characters are atext.
 * - `name` keeps RFC 2047 encoded words undecoded (ENVELOPE carries them raw, RFC 9051 §7.5.2); use
 *   `decodeHeaderWords` for display. Encoded words are never decoded inside an addr-spec (RFC 2047 §5,
 *   the Mailsploit class of spoofing).
 * - `mailbox` is the local-part as written minus CFWS (quoted local-parts keep their quotes);
 *   `host` is null when the address has no domain; group markers have null mailbox and host.
 */
import { decodeHeaderWords } from './header.ts';

export interface ParsedAddress {
  readonly kind: 'mailbox' | 'group-start' | 'group-end';
  /** Display name (unquoted phrase, encoded words kept), or the group name for 'group-start'. */
  readonly name: string | null;
  /** obs-route ("@a.example,@b.example"), or null. */
  readonly route: string | null;
  /** Local part of a mailbox; null for group markers. */
  readonly mailbox: string | null;
  /** Domain of a mailbox; null for group markers and for addresses without a domain. */
  readonly host: string | null;
}

export const DEFAULT_MAX_ADDRESSES = 10_000;

type TokenKind = 'atom' | 'quoted' | 'comment' | 'literal' | '<' | '>' | '@' | ',' | ';' | ':' | '.';

interface Token {
  readonly kind: TokenKind;
  /** Text as written (quoted strings with their quotes). */
  readonly raw: string;
  /** Unquoted text for quoted strings and comments; raw otherwise. */
  readonly text: string;
  /** Whitespace or a comment came before this token. */
  readonly spaced: boolean;
}

const SPECIALS = new Set(['<', '>', '@', ',', ';', ':', '.']);
const ATOM_STOP = new Set([
  ' ',
  '\t',
  '\r',
  '\n',
  '(',
  ')',
  '<',
  '>',
  '@',
  ',',
  ';',
  ':',
  '.',
  '"',
  '[',
  ']',
  '\\',
]);

/** Reads a delimited run (`"…"` or `(…)` with nesting) starting after the opener. */
function readDelimited(
  s: string,
  from: number,
  close: string,
  nests: boolean,
): { text: string; next: number } {
  let depth = 1;
  let text = '';
  let i = from;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if (nests && c === '(') depth++;
    else if (c === close && --depth === 0) return { text, next: i + 1 };
    if (c !== '\r' && c !== '\n') text += c;
    i++;
  }
  return { text, next: i };
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let spaced = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      spaced = true;
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    let text: string;
    if (c === '"') {
      const r = readDelimited(s, i + 1, '"', false);
      kind = 'quoted';
      text = r.text;
      i = r.next;
    } else if (c === '(') {
      const r = readDelimited(s, i + 1, ')', true);
      kind = 'comment';
      text = r.text.trim();
      i = r.next;
    } else if (c === '[') {
      const close = s.indexOf(']', i + 1);
      i = close < 0 ? s.length : close + 1;
      kind = 'literal';
      text = s.slice(start, i);
    } else if (SPECIALS.has(c)) {
      kind = c as TokenKind;
      text = c;
      i++;
    } else {
      i++;
      if (c !== ')' && c !== ']' && c !== '\\') while (i < s.length && !ATOM_STOP.has(s[i] as string)) i++;
      kind = 'atom';
      text = s.slice(start, i);
    }
    out.push({ kind, raw: s.slice(start, i), text, spaced });
    spaced = kind === 'comment';
  }
  return out;
}

/** A display phrase: words joined by single spaces where the source had space, quotes removed. */
function joinPhrase(tokens: readonly Token[]): string | null {
  let out = '';
  for (const t of tokens) {
    if (out !== '' && t.spaced) out += ' ';
    out += t.kind === 'quoted' ? t.text : t.raw;
  }
  out = out.trim();
  return out === '' ? null : out;
}

/** An addr-spec piece: tokens joined without CFWS (obs-local-part, obs-domain). */
function joinTight(tokens: readonly Token[]): string {
  let out = '';
  for (const t of tokens) out += t.raw;
  return out;
}

const WORDISH = new Set<TokenKind>(['atom', 'quoted', '.', 'literal']);

class AddressParser {
  private j = 0;
  readonly out: ParsedAddress[] = [];
  private inGroup = false;

  constructor(
    private readonly t: readonly Token[],
    private readonly max: number,
  ) {}

  private push(a: ParsedAddress): void {
    if (this.out.length < this.max) this.out.push(a);
  }

  run(): ParsedAddress[] {
    const t = this.t;
    while (this.j < t.length && this.out.length < this.max) {
      const kind = (t[this.j] as Token).kind;
      if (kind === ',' || kind === '>') {
        this.j++;
      } else if (kind === ';') {
        this.j++;
        if (this.inGroup) this.endGroup();
      } else {
        this.parseAddress();
      }
    }
    if (this.inGroup) this.endGroup(); // tolerate a group that never closed
    return this.out;
  }

  private endGroup(): void {
    this.inGroup = false;
    this.push({ kind: 'group-end', name: null, route: null, mailbox: null, host: null });
  }

  /** One mailbox or a group start, from `j` up to (not including) the next `,` or `;`. */
  private parseAddress(): void {
    const t = this.t;
    const phrase: Token[] = [];
    const comments: string[] = [];
    while (this.j < t.length) {
      const tok = t[this.j] as Token;
      if (WORDISH.has(tok.kind)) {
        phrase.push(tok);
        this.j++;
      } else if (tok.kind === 'comment') {
        if (tok.text !== '') comments.push(tok.text);
        this.j++;
      } else if (tok.kind === '<') {
        this.j++;
        this.angleAddr(joinPhrase(phrase), comments);
        return;
      } else if (tok.kind === ':' && !this.inGroup) {
        this.j++;
        this.inGroup = true;
        this.push({
          kind: 'group-start',
          name: joinPhrase(phrase) ?? '',
          route: null,
          mailbox: null,
          host: null,
        });
        return;
      } else if (tok.kind === ':') {
        phrase.push(tok); // a colon inside a group: junk, keep it as text
        this.j++;
      } else if (tok.kind === '@') {
        this.j++;
        this.addrSpec(phrase, comments);
        return;
      } else {
        break; // ',' ';' '>'
      }
    }
    // A phrase without '@' or '<': a bare local part ("root", "undisclosed-recipients").
    if (phrase.length > 0) {
      const mailbox = joinPhrase(phrase) ?? '';
      this.push({ kind: 'mailbox', name: comments[0] ?? null, route: null, mailbox, host: null });
    }
  }

  /** After `local @`: the domain, then tolerate a following `<addr>` (`a@b <a@b>`). */
  private addrSpec(local: Token[], comments: string[]): void {
    const t = this.t;
    const domain: Token[] = [];
    while (this.j < t.length) {
      const tok = t[this.j] as Token;
      if (tok.kind === 'atom' || tok.kind === '.' || tok.kind === 'literal' || tok.kind === 'quoted') {
        domain.push(tok);
      } else if (tok.kind === 'comment') {
        if (tok.text !== '') comments.push(tok.text);
      } else if (tok.kind === '@') {
        domain.push(tok); // "a@b@c": keep the rest in the host rather than lose it
      } else if (tok.kind === '<') {
        this.j++;
        const name = `${joinTight(local)}@${joinTight(domain)}`;
        this.angleAddr(name, comments);
        return;
      } else {
        break;
      }
      this.j++;
    }
    const host = joinTight(domain);
    this.push({
      kind: 'mailbox',
      name: comments[0] ?? null,
      route: null,
      mailbox: joinTight(local),
      host: host === '' ? null : host,
    });
  }

  /** After `<`: [obs-route ":"] local "@" domain ">" then trailing comments. */
  private angleAddr(name: string | null, comments: string[]): void {
    const t = this.t;
    const inner: Token[] = [];
    let routeEnded = false;
    while (this.j < t.length) {
      const tok = t[this.j] as Token;
      this.j++;
      if (tok.kind === '>') break;
      if (tok.kind === 'comment') continue;
      if (tok.kind === ':') routeEnded = true;
      const inRoute = inner[0]?.kind === '@' && !routeEnded;
      if (tok.kind === ';' || tok.kind === '<' || (tok.kind === ',' && !inRoute)) {
        this.j--; // an unterminated angle-addr: stop before the next structural token
        break;
      }
      inner.push(tok);
    }
    // Trailing CFWS up to the separator.
    while (this.j < t.length) {
      const tok = t[this.j] as Token;
      if (tok.kind === ',' || tok.kind === ';') break;
      if (tok.kind === 'comment' && tok.text !== '') comments.push(tok.text);
      this.j++;
    }
    let route: string | null = null;
    let addr = inner;
    const colon = inner.findIndex((x) => x.kind === ':');
    if (colon >= 0 && inner[0]?.kind === '@') {
      route = joinTight(inner.slice(0, colon)) || null;
      addr = inner.slice(colon + 1);
    } else if (colon >= 0) {
      addr = inner.filter((x) => x.kind !== ':');
    }
    const at = addr.findIndex((x) => x.kind === '@');
    const local = at < 0 ? addr : addr.slice(0, at);
    const domain = at < 0 ? [] : addr.slice(at + 1);
    const mailbox = joinTight(local);
    const host = joinTight(domain);
    const display = name ?? comments[0] ?? null;
    if (mailbox === '' && host === '' && display === null) return; // "<>"
    this.push({ kind: 'mailbox', name: display, route, mailbox, host: host === '' ? null : host });
  }
}

/** Parses an RFC 5322 address-list (or mailbox-list) value. Never throws. */
export function parseAddressList(value: string, options: { maxAddresses?: number } = {}): ParsedAddress[] {
  try {
    return new AddressParser(tokenize(value), options.maxAddresses ?? DEFAULT_MAX_ADDRESSES).run();
  } catch {
    return []; // defensive: the parser is total, but a crash here must never take down ingest
  }
}

/** `Name <local@host>` with the name decoded (RFC 2047) for display and search; '' for group ends. */
export function formatAddress(a: ParsedAddress): string {
  if (a.kind === 'group-end') return '';
  const name = a.name === null ? '' : decodeHeaderWords(a.name);
  if (a.kind === 'group-start') return `${name}:`;
  const addr = a.host === null ? (a.mailbox ?? '') : `${a.mailbox ?? ''}@${a.host}`;
  if (name === '') return addr;
  return addr === '' ? name : `${name} <${addr}>`;
}

/** Mailboxes only, each as `Name <local@host>`, joined with ", ". */
export function formatAddressList(list: readonly ParsedAddress[]): string {
  return list
    .filter((a) => a.kind === 'mailbox')
    .map(formatAddress)
    .join(', ');
}
