/**
 * Evaluating SEARCH keys (RFC 9051 §6.4.4, every key; RFC 3501 NEW/OLD/RECENT; RFC 7162 MODSEQ;
 * RFC 8514 SAVEDBEFORE/SAVEDON/SAVEDSINCE against the save date, in the same zone as BEFORE/ON/SINCE)
 * against one message at a time.
 *
 * - String keys match a substring after Unicode case folding (NFC, then lower case), so
 *   "thông báo" finds "THÔNG BÁO" and "Thông Báo" (issue 4: Vietnamese without regard to case).
 *   Header keys match the decoded field value (RFC 2047 words decoded); BODY matches the decoded
 *   text of the body parts (transfer encodings and charsets removed, HTML as text); TEXT matches
 *   the decoded header or body.
 * - Only what a key needs is loaded: flags, sizes and dates come from the row; headers read only
 *   the header range of the blob; BODY/TEXT read the message. A time budget bounds the work
 *   (IMAP-16): past it the command ends NO [LIMIT].
 * - The key tree is at most `maxNesting` deep (the codec refuses deeper ones, IMAP-03), so the
 *   recursion here is bounded.
 * - \Recent is not kept: RECENT and NEW match nothing, OLD everything.
 */
import {
  decodeHeaderValue,
  extractText,
  parseHeaderBlock,
  type HeaderBlock,
  type MessageIndex,
} from '../../mail/index.ts';
import type { BlobStore } from '../../store/index.ts';
import { exactFold } from '../../mailbox/index.ts';
import {
  intervalsContain,
  resolveSequenceSet,
  type ImapDate,
  type SearchKey,
} from '../../protocol/imap/index.ts';
import { readRange } from './fetch-sections.ts';
import { errors } from './errors.ts';

/** Zone for the date of INTERNALDATE, SAVEDATE and Date: comparisons (RFC 9051 §6.4.4 "disregarding time"). */
const ZONE_MS = 7 * 3600_000;

/** What string keys compare (NFC, lower case): the same function that built the stored exact text. */
export const fold = exactFold;

export interface SearchRow {
  seq: number;
  uid: number;
  blobId: string;
  size: number;
  internalDate: number;
  /** RFC 8514 SAVEDATE: when the message was stored in this folder. */
  savedAt: number;
  modseq: number;
  flags: string[];
  sentAt: number | null;
  indexJson: string | null;
  /** SORT and THREAD only (search-rows.ts `withSortData`): index.root.envelope as JSON, NULL when none. */
  envelopeJson?: string | null;
  /** SORT and THREAD only: the References field as stored at ingest; null before migration 0010. */
  refs?: string | null;
}

export interface SearchScope {
  /** Number of messages (the value of `*` for sequence numbers). */
  count: number;
  lastUid: number;
  blobs: BlobStore;
  deadline: number;
  /** The UIDs `$` stands for (SEARCHRES, RFC 5182 §2.1). */
  saved?: ReadonlySet<number>;
  /** BODY, TEXT and SUBJECT keys answered from the stored exact text (search-narrow.ts `exactAnswers`). */
  exact?: ReadonlyMap<SearchKey, ExactAnswer>;
}

/** For one BODY/TEXT/SUBJECT key: the UIDs that match, and those whose text is not stored (read them). */
export interface ExactAnswer {
  matched: ReadonlySet<number>;
  unknown: ReadonlySet<number>;
}

/** Which data the keys need, so rows are read with just that. */
export function needs(keys: readonly SearchKey[]): { index: boolean; text: boolean } {
  let index = false;
  let text = false;
  const stack: SearchKey[] = [...keys];
  for (let k = stack.pop(); k; k = stack.pop()) {
    switch (k.type) {
      case 'BODY':
      case 'TEXT':
        text = true;
        index = true;
        break;
      case 'FROM':
      case 'TO':
      case 'CC':
      case 'BCC':
      case 'SUBJECT':
      case 'HEADER':
        index = true;
        break;
      case 'NOT':
        stack.push(k.key);
        break;
      case 'OR':
        stack.push(k.left, k.right);
        break;
      case 'AND':
        stack.push(...k.keys);
        break;
      default:
        break;
    }
  }
  return { index, text };
}

const dayNumber = (d: ImapDate): number => d.year * 10000 + d.month * 100 + d.day;
function dayOf(ms: number): number {
  const d = new Date(ms + ZONE_MS);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode a search string (octets in the SEARCH charset); BAD when they are not. */
export function searchText(value: Uint8Array): string {
  try {
    return fold(utf8.decode(value));
  } catch {
    throw errors.syntax('Search string is not valid UTF-8');
  }
}

/** Lazily loaded parts of one message. */
class MessageData {
  private header: HeaderBlock | null = null;
  private headerRaw: Buffer | null = null;
  private bodyText: string | null = null;
  private index: MessageIndex | null = null;

  constructor(
    readonly row: SearchRow,
    private readonly scope: SearchScope,
  ) {}

  private idx(): MessageIndex | null {
    if (this.index === null && this.row.indexJson)
      this.index = JSON.parse(this.row.indexJson) as MessageIndex;
    return this.index;
  }

  async headers(): Promise<{ block: HeaderBlock; raw: Buffer }> {
    if (!this.header || !this.headerRaw) {
      const end = this.idx()?.root.bodyStart ?? 0;
      this.headerRaw = await readRange(this.scope.blobs, this.row.blobId, 0, end);
      this.header = parseHeaderBlock(this.headerRaw, 0, this.headerRaw.length);
    }
    return { block: this.header, raw: this.headerRaw };
  }

  async field(name: string): Promise<string[]> {
    const { block } = await this.headers();
    const key = name.toLowerCase();
    return block.fields.filter((f) => f.key === key).map((f) => fold(decodeHeaderValue(f.value)));
  }

  async allHeaders(): Promise<string> {
    const { block } = await this.headers();
    return block.fields.map((f) => `${f.name}: ${fold(decodeHeaderValue(f.value))}`).join('\n');
  }

  async body(): Promise<string> {
    if (this.bodyText === null) {
      if (Date.now() > this.scope.deadline) throw errors.searchBudget();
      const index = this.idx();
      if (!index) return '';
      const raw = await readRange(this.scope.blobs, this.row.blobId, 0, index.size);
      this.bodyText = fold(extractText(raw, index, { maxTextChars: 10_000_000 }).text);
    }
    return this.bodyText;
  }
}

const hasFlag = (flags: string[], f: string): boolean =>
  flags.some((x) => x.toLowerCase() === f.toLowerCase());

async function test(key: SearchKey, m: MessageData, scope: SearchScope): Promise<boolean> {
  const r = m.row;
  switch (key.type) {
    case 'ALL':
    case 'OLD':
      return true;
    case 'NEW':
    case 'RECENT':
      return false;
    case 'ANSWERED':
    case 'DELETED':
    case 'DRAFT':
    case 'FLAGGED':
    case 'SEEN':
      return hasFlag(r.flags, `\\${key.type}`);
    case 'UNANSWERED':
    case 'UNDELETED':
    case 'UNDRAFT':
    case 'UNFLAGGED':
    case 'UNSEEN':
      return !hasFlag(r.flags, `\\${key.type.slice(2)}`);
    case 'KEYWORD':
      return hasFlag(r.flags, key.flag);
    case 'UNKEYWORD':
      return !hasFlag(r.flags, key.flag);
    case 'LARGER':
      return r.size > key.size;
    case 'SMALLER':
      return r.size < key.size;
    case 'BEFORE':
      return dayOf(r.internalDate) < dayNumber(key.date);
    case 'ON':
      return dayOf(r.internalDate) === dayNumber(key.date);
    case 'SINCE':
      return dayOf(r.internalDate) >= dayNumber(key.date);
    case 'SENTBEFORE':
      return r.sentAt !== null && dayOf(r.sentAt) < dayNumber(key.date);
    case 'SENTON':
      return r.sentAt !== null && dayOf(r.sentAt) === dayNumber(key.date);
    case 'SENTSINCE':
      return r.sentAt !== null && dayOf(r.sentAt) >= dayNumber(key.date);
    case 'SAVEDBEFORE':
      return dayOf(r.savedAt) < dayNumber(key.date);
    case 'SAVEDON':
      return dayOf(r.savedAt) === dayNumber(key.date);
    case 'SAVEDSINCE':
      return dayOf(r.savedAt) >= dayNumber(key.date);
    case 'MODSEQ':
      return BigInt(r.modseq) >= key.modSeq;
    case 'UID':
      if (key.set.kind === 'saved') return scope.saved?.has(r.uid) ?? false;
      return intervalsContain(resolveSequenceSet(key.set, { star: scope.lastUid }), r.uid);
    case 'SEQUENCE':
      if (key.set.kind === 'saved') return scope.saved?.has(r.uid) ?? false;
      return intervalsContain(resolveSequenceSet(key.set, { star: scope.count, max: scope.count }), r.seq);
    case 'SUBJECT': {
      const known = scope.exact?.get(key);
      if (known && !known.unknown.has(r.uid)) return known.matched.has(r.uid);
      const needle = searchText(key.value);
      return (await m.field('SUBJECT')).some((v) => v.includes(needle));
    }
    case 'FROM':
    case 'TO':
    case 'CC':
    case 'BCC': {
      const needle = searchText(key.value);
      return (await m.field(key.type)).some((v) => v.includes(needle));
    }
    case 'HEADER': {
      const needle = searchText(key.value);
      return (await m.field(key.field)).some((v) => v.includes(needle));
    }
    case 'BODY': {
      const known = scope.exact?.get(key);
      if (known && !known.unknown.has(r.uid)) return known.matched.has(r.uid);
      return (await m.body()).includes(searchText(key.value));
    }
    case 'TEXT': {
      const known = scope.exact?.get(key);
      if (known && !known.unknown.has(r.uid)) return known.matched.has(r.uid);
      const needle = searchText(key.value);
      return (await m.allHeaders()).includes(needle) || (await m.body()).includes(needle);
    }
    case 'NOT':
      return !(await test(key.key, m, scope));
    case 'OR':
      return (await test(key.left, m, scope)) || (await test(key.right, m, scope));
    case 'AND':
      for (const k of key.keys) if (!(await test(k, m, scope))) return false;
      return true;
  }
}

/** Do all `keys` match the message? */
export async function matches(
  keys: readonly SearchKey[],
  row: SearchRow,
  scope: SearchScope,
): Promise<boolean> {
  const m = new MessageData(row, scope);
  for (const k of keys) if (!(await test(k, m, scope))) return false;
  return true;
}
