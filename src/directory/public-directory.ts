/**
 * The public directory (Điều 11.1: cơ quan công khai địa chỉ hộp thư điện tử công vụ): anyone,
 * without signing in, finds the official address of a person or an agency by name, agency or
 * title. Built so that it cannot be used to harvest every address (Decree 91/2020 on spam):
 *
 * - a query is required, of at least `minQueryChars` letters or digits after folding, with at
 *   least one word of two or more characters; wildcards (`* % ? _`) are refused, never expanded;
 * - at most `maxResults` entries are returned, in a fixed order, with `truncated: true` when more
 *   matched; there is no paging, no offset and no total, so the same query never yields more;
 * - requests are limited per client address (`perMinute`) and per /24 (IPv4) or /48 (IPv6)
 *   network (four times that), in memory, per process (rate-limit.ts), like the sign-in throttle;
 * - only active personal, agency and sub-unit mailboxes are listed, never suspended or deleted
 *   ones, and never an entry the operator hid (table `directory_hidden`, with the reason, audited).
 *
 * Matching: the query and every entry are folded (foldVietnamese: no diacritics, đ → d, lower
 * case) and cut into words at anything that is not a letter or digit. Every word of the query must
 * be the beginning of some word of the entry's display name, title, agency name or sub-unit name
 * ("nguyen van long" finds "Nguyễn Văn Long"; "long" finds him too; "ong" does not). The optional
 * `agency` filter must match, the same way, the agency's or sub-unit's name or be its code.
 * Entries whose name holds every query word come first, then by folded name, then address.
 *
 * The entries live in an in-memory folded index: the sorted distinct words and, for each, the
 * entries holding it, so a query word is a binary search and a walk over the words it begins (a
 * few milliseconds per search over 30,000 entries, the signature query included). The index is
 * rebuilt when a cheap signature of `accounts`, `organisations` and `directory_hidden` (row counts
 * and latest change times, one aggregate query per search, on indexes of migration 0014) changes,
 * at once after a hide or unhide by this process, and at the latest every `INDEX_MAX_AGE_MS`.
 */
import { sql } from 'kysely';
import { appendAudit } from '../store/index.ts';
import { CongthuError, conflict, invalid, notFound } from '../util/errors.ts';
import { foldVietnamese } from './address.ts';
import { authorise, requireAccount, type Caller, type DirectoryContext } from './context.ts';
import { SlidingWindowLimit } from './rate-limit.ts';

export interface PublicDirectorySettings {
  /** Letters or digits a query must have after folding and trimming. */
  minQueryChars: number;
  /** Most entries one answer returns; more matches set `truncated`. */
  maxResults: number;
  /** Searches per minute from one client address (its /24 or /48 network: four times that). */
  perMinute: number;
}

export const defaultPublicDirectorySettings = (): PublicDirectorySettings => ({
  minQueryChars: 3,
  maxResults: 20,
  perMinute: 30,
});

/** What the public sees of an entry. */
export interface PublicEntry {
  name: string;
  title: string | null;
  /** The agency (cơ quan): the organisation itself, or the sub-unit's parent. */
  agency: string;
  /** The sub-unit (đơn vị trực thuộc), when the mailbox belongs to one. */
  unit: string | null;
  address: string;
  kind: 'personal' | 'agency' | 'sub-unit';
}

export interface PublicSearchResult {
  query: string;
  results: PublicEntry[];
  /** More entries matched than were returned: refine the query. */
  truncated: boolean;
}

export interface HiddenEntry {
  address: string;
  name: string;
  kind: 'personal' | 'agency' | 'sub-unit';
  state: string;
  reason: string;
  hiddenBy: string;
  hiddenAt: string;
}

interface Indexed {
  entry: PublicEntry;
  nameWords: string[];
  words: string[];
  /** Folded name, for ordering. */
  sortKey: string;
  /** Words and codes of its agency and sub-unit, for the `agency` filter. */
  orgWords: string[];
  orgCodes: string[];
}

interface Index {
  signature: string;
  builtAt: number;
  entries: Indexed[];
  /** Every distinct folded word, sorted, and the entries holding each (inverted index). */
  words: string[];
  postings: Map<string, number[]>;
}

const INDEX_MAX_AGE_MS = 60_000;
const WILDCARDS = /[*%?_]/;
const MAX_QUERY_WORDS = 8;

/** Folded words of a text: no diacritics, đ → d, lower case, cut at non-alphanumerics. */
export function directoryWords(text: string): string[] {
  return foldVietnamese(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** The first position in a sorted array whose element is not below `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const hasPrefix = (words: readonly string[], token: string): boolean =>
  words.some((w) => w.startsWith(token));

function limited(retryAfterSeconds: number): CongthuError {
  return new CongthuError(
    'limit',
    'directory.rate-limited',
    {
      vi: `Tra cứu quá nhiều lần từ địa chỉ này; vui lòng thử lại sau ${retryAfterSeconds} giây.`,
      en: `Too many searches from this address; try again in ${retryAfterSeconds} seconds.`,
    },
    { details: { retryAfterSeconds } },
  );
}

export class PublicDirectoryService {
  private index: Index | null = null;
  private building: Promise<Index> | null = null;
  private readonly limit: SlidingWindowLimit;

  constructor(
    private readonly ctx: DirectoryContext,
    readonly settings: PublicDirectorySettings = defaultPublicDirectorySettings(),
  ) {
    this.limit = new SlidingWindowLimit(ctx.clock, settings.perMinute);
  }

  /**
   * Counts one request from `clientIp` against the limit; throws a `limit` error (HTTP 429) with
   * `details.retryAfterSeconds` when it is over.
   */
  admit(clientIp: string): void {
    const d = this.limit.take(clientIp);
    if (!d.allowed) throw limited(d.retryAfterSeconds);
  }

  /** Checks a query and returns its folded words, or throws a bilingual `invalid` error. */
  parseQuery(q: string): string[] {
    if (WILDCARDS.test(q))
      throw invalid(
        'directory.wildcard',
        'Không dùng ký tự đại diện (* % ? _) khi tra cứu danh bạ; hãy nhập họ tên, cơ quan hoặc chức danh.',
        'Wildcards (* % ? _) are not allowed in directory searches; type a name, an agency or a title.',
      );
    const words = directoryWords(q);
    const min = this.settings.minQueryChars;
    if (words.join('').length < min)
      throw invalid(
        'directory.query-too-short',
        `Từ khóa tra cứu phải có ít nhất ${min} chữ cái hoặc chữ số.`,
        `A directory search needs at least ${min} letters or digits.`,
        { minQueryChars: min },
      );
    if (!words.some((w) => w.length >= 2) || words.length > MAX_QUERY_WORDS)
      throw invalid(
        'directory.query-too-broad',
        `Từ khóa tra cứu quá rộng: cần ít nhất một từ có từ 2 ký tự trở lên và không quá ${MAX_QUERY_WORDS} từ.`,
        `The search is too broad: it needs at least one word of 2 or more characters, and at most ${MAX_QUERY_WORDS} words.`,
      );
    return words;
  }

  /** Search without signing in. Call `admit` first for anonymous clients. */
  async search(input: { q: string; agency?: string }): Promise<PublicSearchResult> {
    const tokens = this.parseQuery(input.q);
    const agencyTokens = input.agency !== undefined ? directoryWords(input.agency) : [];
    if (input.agency !== undefined && agencyTokens.length === 0)
      throw invalid(
        'directory.agency-invalid',
        'Tên hoặc mã cơ quan để lọc không hợp lệ.',
        'The agency filter is not a valid name or code.',
      );
    const index = await this.current();
    // hits[i] = how many query words, in order, entry i has matched so far.
    const hits = new Uint8Array(index.entries.length);
    tokens.forEach((t, ti) => {
      for (let w = lowerBound(index.words, t); w < index.words.length; w++) {
        const word = index.words[w]!;
        if (!word.startsWith(t)) break;
        for (const i of index.postings.get(word)!) if (hits[i] === ti) hits[i] = ti + 1;
      }
    });
    // Entries are stored in display order (folded name, then address): the first `max` matches of
    // each rank are the answer, without sorting every match.
    const max = this.settings.maxResults;
    const byName: Indexed[] = [];
    const others: Indexed[] = [];
    let count = 0;
    const agencyCode = input.agency?.trim().toLowerCase();
    for (let i = 0; i < hits.length; i++) {
      if (hits[i] !== tokens.length) continue;
      const e = index.entries[i]!;
      if (
        agencyTokens.length > 0 &&
        !e.orgCodes.includes(agencyCode!) &&
        !agencyTokens.every((t) => hasPrefix(e.orgWords, t))
      )
        continue;
      count++;
      if (byName.length >= max) continue;
      if (tokens.every((t) => hasPrefix(e.nameWords, t))) byName.push(e);
      else if (others.length < max) others.push(e);
    }
    return {
      query: input.q.trim(),
      results: [...byName, ...others].slice(0, max).map((e) => ({ ...e.entry })),
      truncated: count > max,
    };
  }

  /** Hide an entry from the public directory (operator; audited `directory.hide`). */
  async hide(caller: Caller, address: string, reason: string): Promise<HiddenEntry> {
    authorise(caller, 'directory.hide', {});
    const why = reason.trim();
    if (why === '' || why.length > 500)
      throw invalid(
        'directory.reason-required',
        'Cần ghi lý do ẩn khỏi danh bạ công khai (tối đa 500 ký tự).',
        'A reason for hiding the entry is required (at most 500 characters).',
      );
    const now = this.ctx.clock.now();
    const out = await this.ctx.store.write(async (tx) => {
      const acct = await requireAccount(tx.db, this.ctx.settings, address);
      const addr = `${acct.local_part}@${acct.domain}`;
      const existing = await tx.db
        .selectFrom('directory_hidden')
        .select('account_id')
        .where('account_id', '=', acct.id)
        .executeTakeFirst();
      if (existing)
        throw conflict(
          'directory.already-hidden',
          `Hộp thư ${addr} đã được ẩn khỏi danh bạ công khai.`,
          `${addr} is already hidden from the public directory.`,
        );
      await tx.db
        .insertInto('directory_hidden')
        .values({
          account_id: acct.id,
          reason: why,
          hidden_by: caller.actor.id,
          hidden_by_label: caller.actor.label ?? null,
          hidden_at: now.getTime(),
        })
        .execute();
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'directory.hide',
          targetType: 'account',
          targetId: acct.id,
          reason: why,
          details: { address: addr },
        },
        now,
      );
      return {
        address: addr,
        name: acct.display_name,
        kind: acct.kind,
        state: acct.state,
        reason: why,
        hiddenBy: caller.actor.label ?? caller.actor.id,
        hiddenAt: now.toISOString(),
      };
    });
    this.index = null;
    return out;
  }

  /** Show a hidden entry again (operator; audited `directory.unhide`). */
  async unhide(caller: Caller, address: string, reason?: string): Promise<{ address: string }> {
    authorise(caller, 'directory.hide', {});
    const why = reason?.trim() || null;
    const now = this.ctx.clock.now();
    const out = await this.ctx.store.write(async (tx) => {
      const acct = await requireAccount(tx.db, this.ctx.settings, address);
      const addr = `${acct.local_part}@${acct.domain}`;
      const r = await tx.db
        .deleteFrom('directory_hidden')
        .where('account_id', '=', acct.id)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0)
        throw notFound(
          'directory.not-hidden',
          `Hộp thư ${addr} không bị ẩn khỏi danh bạ công khai.`,
          `${addr} is not hidden from the public directory.`,
        );
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'directory.unhide',
          targetType: 'account',
          targetId: acct.id,
          reason: why,
          details: { address: addr },
        },
        now,
      );
      return { address: addr };
    });
    this.index = null;
    return out;
  }

  /** Every hidden entry, latest first (operator). */
  async listHidden(caller: Caller): Promise<HiddenEntry[]> {
    authorise(caller, 'directory.hide', {});
    const rows = await this.ctx.store.db
      .selectFrom('directory_hidden')
      .innerJoin('accounts', 'accounts.id', 'directory_hidden.account_id')
      .select([
        'accounts.local_part',
        'accounts.domain',
        'accounts.display_name',
        'accounts.kind',
        'accounts.state',
        'directory_hidden.reason',
        'directory_hidden.hidden_by',
        'directory_hidden.hidden_by_label',
        'directory_hidden.hidden_at',
      ])
      .orderBy('directory_hidden.hidden_at', 'desc')
      .orderBy('accounts.local_part')
      .execute();
    return rows.map((r) => ({
      address: `${r.local_part}@${r.domain}`,
      name: r.display_name,
      kind: r.kind,
      state: r.state,
      reason: r.reason,
      hiddenBy: r.hidden_by_label ?? r.hidden_by,
      hiddenAt: new Date(Number(r.hidden_at)).toISOString(),
    }));
  }

  private async signature(): Promise<string> {
    const r = await sql<Record<string, unknown>>`
      SELECT
        (SELECT count(*) FROM accounts) AS a,
        (SELECT count(*) FROM accounts WHERE state = 'active') AS b,
        (SELECT max(updated_at) FROM accounts) AS c,
        (SELECT max(state_changed_at) FROM accounts) AS d,
        (SELECT count(*) FROM organisations) AS e,
        (SELECT max(updated_at) FROM organisations) AS f,
        (SELECT count(*) FROM directory_hidden) AS g,
        (SELECT max(hidden_at) FROM directory_hidden) AS h`.execute(this.ctx.store.db);
    const row = r.rows[0] ?? {};
    return ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k) => String(row[k] ?? '')).join('|');
  }

  private async current(): Promise<Index> {
    const sig = await this.signature();
    const now = this.ctx.clock.now().getTime();
    const idx = this.index;
    if (idx && idx.signature === sig && now - idx.builtAt < INDEX_MAX_AGE_MS) return idx;
    this.building ??= this.build(sig, now).finally(() => {
      this.building = null;
    });
    const built = await this.building;
    this.index = built;
    return built;
  }

  private async build(signature: string, builtAt: number): Promise<Index> {
    const db = this.ctx.store.db;
    const orgs = await db
      .selectFrom('organisations')
      .select(['id', 'code', 'abbrev', 'name', 'kind', 'parent_id'])
      .execute();
    const orgById = new Map(orgs.map((o) => [o.id, o]));
    const rows = await db
      .selectFrom('accounts')
      .leftJoin('directory_hidden', 'directory_hidden.account_id', 'accounts.id')
      .select([
        'accounts.kind',
        'accounts.org_id',
        'accounts.display_name',
        'accounts.title',
        'accounts.local_part',
        'accounts.domain',
      ])
      .where('accounts.state', '=', 'active')
      .where('accounts.kind', 'in', ['personal', 'agency', 'sub-unit'])
      .where('directory_hidden.account_id', 'is', null)
      .execute();
    const entries: Indexed[] = [];
    const postings = new Map<string, number[]>();
    for (const r of rows) {
      const org = orgById.get(r.org_id);
      if (!org) continue;
      const parent = org.kind === 'sub-unit' && org.parent_id ? orgById.get(org.parent_id) : undefined;
      const agency = parent ?? org;
      const unit = parent ? org : null;
      const entry: PublicEntry = {
        name: r.display_name,
        title: r.title,
        agency: agency.name,
        unit: unit?.name ?? null,
        address: `${r.local_part}@${r.domain}`,
        kind: r.kind,
      };
      const nameWords = directoryWords(r.display_name);
      const orgWords = [...directoryWords(agency.name), ...(unit ? directoryWords(unit.name) : [])];
      const words = [...new Set([...nameWords, ...directoryWords(r.title ?? ''), ...orgWords])];
      entries.push({
        entry,
        nameWords,
        words,
        sortKey: nameWords.join(' '),
        orgWords,
        orgCodes: [agency.code, ...(unit ? [unit.code, unit.abbrev] : [])].map((c) => c.toLowerCase()),
      });
    }
    entries.sort((x, y) =>
      x.sortKey !== y.sortKey ? (x.sortKey < y.sortKey ? -1 : 1) : x.entry.address < y.entry.address ? -1 : 1,
    );
    entries.forEach((e, i) => {
      for (const w of e.words) {
        const p = postings.get(w);
        if (p) p.push(i);
        else postings.set(w, [i]);
      }
    });
    const sorted = [...postings.keys()].sort();
    return { signature, builtAt, entries, words: sorted, postings };
  }
}
