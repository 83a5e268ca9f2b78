/**
 * The full-text index (issue 5 item 5; migration 0007): one document per blob with its decoded
 * subject, addresses and names, every header, body text and attachment file names, folded for
 * Vietnamese (Unicode case, diacritics, đ → d; `foldVietnamese` of src/directory).
 *
 * - Written by `ingest` in the same write transaction as the message rows (`writeSearchDoc`), so
 *   a committed message always has its document; a blob's document goes with the blob (cascade),
 *   and COPY/MOVE need nothing since they share the blob.
 * - Two uses. `searchFolded` is the folded search for webmail: "tuyen dung" finds "Tuyển dụng".
 *   `candidateUids` narrows IMAP SEARCH (RFC 9051 §6.4.4): the caller still checks every candidate
 *   exactly. Narrowing is sound because the stored text is built with the very functions the exact
 *   check uses (parseHeaderBlock, decodeHeaderValue, extractText with the same limit) and
 *   `searchFold` maps a string character by character: if a folded needle is a substring of a
 *   folded text exactly, it is one after `searchFold` too. A document whose body was cut
 *   (`complete = 0`) or a message without a document (stored before 0007) is always a candidate.
 * - Substring matching: SQLite FTS5 trigram phrases, PostgreSQL `LIKE '%…%'` on pg_trgm GIN
 *   indexes. Needles shorter than three characters cannot use trigrams: they do not narrow.
 */
import { sql, type RawBuilder } from 'kysely';
import { foldVietnamese } from '../directory/index.ts';
import { decodeHeaderValue, extractText, parseHeaderBlock, type MessageIndex } from '../mail/index.ts';
import type { DataStore, Tx } from '../store/index.ts';

/** The limit IMAP SEARCH uses for BODY/TEXT (src/server/imap/search-eval.ts); same text, same cut. */
export const EXACT_TEXT_CHARS = 10_000_000;
/** Most body characters stored per document; a longer body is stored cut and marked incomplete. */
export const INDEX_BODY_CHARS = 2_000_000;
/** Shortest folded needle the trigram indexes can answer. */
export const MIN_INDEXED_CHARS = 3;

export type IndexField = 'subject' | 'addrs' | 'hdr' | 'body' | 'attachments';
const FIELDS: readonly IndexField[] = ['subject', 'addrs', 'hdr', 'body', 'attachments'];

export interface SearchDoc {
  subject: string;
  addrs: string;
  hdr: string;
  body: string;
  attachments: string;
  complete: boolean;
  /**
   * What IMAP SEARCH compares (`exactFold`): every header as "Name: value", the Subject values
   * one a line, and the body text; null when the body was cut or the text holds NUL (then SEARCH
   * reads the message itself).
   */
  exact: { hdr: string; subject: string; body: string } | null;
}

/** The form IMAP SEARCH compares strings in (RFC 9051 §6.4.4 case-insensitive): NFC, lower case. */
export const exactFold = (s: string): string => s.normalize('NFC').toLowerCase();

/**
 * Text keys combined: a term matches when its folded text is a substring of any of `fields`.
 * `text` is the text as the user gave it (folded here).
 */
export type TextQuery =
  | { readonly kind: 'term'; readonly fields: readonly IndexField[]; readonly text: string }
  | { readonly kind: 'and' | 'or'; readonly parts: readonly TextQuery[] };

/**
 * The comparison form: what IMAP SEARCH compares (NFC, lower case), then Vietnamese folding.
 * NUL (which PostgreSQL text cannot hold) becomes a space, on both sides alike.
 */
export function searchFold(s: string): string {
  return foldVietnamese(s.normalize('NFC').toLowerCase()).replace(/\0/g, ' ');
}

const ADDRESS_FIELDS = new Set(['from', 'to', 'cc', 'bcc']);

/** The document of one message (CPU only; called before the write transaction). */
export function buildSearchDoc(content: Buffer, index: MessageIndex): SearchDoc {
  const end = Math.min(index.root.bodyStart, content.length);
  const block = parseHeaderBlock(content.subarray(0, end), 0, end);
  const subject: string[] = [];
  const addrs: string[] = [];
  const hdr: string[] = [];
  for (const f of block.fields) {
    const value = decodeHeaderValue(f.value);
    hdr.push(`${f.name}: ${value}`);
    if (f.key === 'subject') subject.push(value);
    else if (ADDRESS_FIELDS.has(f.key)) addrs.push(value);
  }
  const text = extractText(content, index, { maxTextChars: EXACT_TEXT_CHARS });
  const complete = text.text.length <= INDEX_BODY_CHARS;
  // Built exactly as src/server/imap/search-eval.ts builds what it compares.
  const exactHdr = block.fields.map((f) => `${f.name}: ${exactFold(decodeHeaderValue(f.value))}`).join('\n');
  const exactSubject = block.fields
    .filter((f) => f.key === 'subject')
    .map((f) => exactFold(decodeHeaderValue(f.value)))
    .join('\n');
  const exactBody = exactFold(text.text);
  const exact =
    complete && ![exactHdr, exactSubject, exactBody].some((t) => t.includes('\0'))
      ? { hdr: exactHdr, subject: exactSubject, body: exactBody }
      : null;
  return {
    subject: searchFold(subject.join('\n')),
    addrs: searchFold(addrs.join('\n')),
    hdr: searchFold(hdr.join('\n')),
    body: searchFold(complete ? text.text : text.text.slice(0, INDEX_BODY_CHARS)),
    attachments: searchFold(text.attachmentNames.join('\n')),
    complete,
    exact,
  };
}

/** Store the document of a blob inside the ingest transaction; a blob indexed before is kept. */
export async function writeSearchDoc(tx: Tx, blobId: string, doc: SearchDoc): Promise<void> {
  const complete = doc.complete ? 1 : 0;
  if (doc.exact)
    await tx.db
      .insertInto('search_exact')
      .values({ blob_id: blobId, hdr: doc.exact.hdr, subject: doc.exact.subject, body: doc.exact.body })
      .onConflict((oc) => oc.column('blob_id').doNothing())
      .execute();
  if (tx.dialect === 'sqlite') {
    const r = await sql<{ id: number }>`INSERT INTO search_docs (blob_id, complete)
      VALUES (${blobId}, ${complete}) ON CONFLICT (blob_id) DO NOTHING RETURNING id`.execute(tx.db);
    const id = r.rows[0]?.id;
    if (id === undefined) return;
    await sql`INSERT INTO search_fts (rowid, subject, addrs, hdr, body, attachments)
      VALUES (${id}, ${doc.subject}, ${doc.addrs}, ${doc.hdr}, ${doc.body}, ${doc.attachments})`.execute(
      tx.db,
    );
    return;
  }
  await sql`INSERT INTO search_docs (blob_id, complete, subject, addrs, hdr, body, attachments)
    VALUES (${blobId}, ${complete}, ${doc.subject}, ${doc.addrs}, ${doc.hdr}, ${doc.body}, ${doc.attachments})
    ON CONFLICT (blob_id) DO NOTHING`.execute(tx.db);
}

type Folded =
  { kind: 'term'; fields: readonly IndexField[]; text: string } | { kind: 'and' | 'or'; parts: Folded[] };

/** Fold the terms and drop what cannot narrow; null: no restriction at all. */
function simplify(q: TextQuery): Folded | null {
  if (q.kind === 'term') {
    const text = searchFold(q.text);
    if ([...text].length < MIN_INDEXED_CHARS || q.fields.length === 0) return null;
    return { kind: 'term', fields: q.fields.filter((f) => FIELDS.includes(f)), text };
  }
  const parts: Folded[] = [];
  for (const p of q.parts) {
    const s = simplify(p);
    if (s === null) {
      if (q.kind === 'or') return null;
      continue;
    }
    parts.push(s);
  }
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : { kind: q.kind, parts };
}

const ftsPhrase = (fields: readonly IndexField[], text: string): string =>
  `{${fields.join(' ')}} : "${text.replace(/"/g, '""')}"`;
const likePattern = (text: string): string => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** A condition on `m.blob_id` (SQLite: on `d.id`) for one folded query tree. */
function condition(dialect: 'sqlite' | 'postgres', q: Folded): RawBuilder<unknown> {
  if (q.kind !== 'term') {
    const glue = sql.raw(q.kind === 'and' ? ' AND ' : ' OR ');
    return sql`(${sql.join(
      q.parts.map((p) => condition(dialect, p)),
      glue,
    )})`;
  }
  if (dialect === 'sqlite')
    return sql`d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ${ftsPhrase(q.fields, q.text)})`;
  const pattern = likePattern(q.text);
  const ors = q.fields.map((f) => sql`${sql.ref(f)} LIKE ${pattern} ESCAPE '!'`);
  return sql`m.blob_id IN (SELECT blob_id FROM search_docs WHERE ${sql.join(ors, sql.raw(' OR '))})`;
}

/**
 * UIDs of a folder's messages the index cannot rule out for `q`, or null when `q` cannot narrow
 * (every message is a candidate). Sound, not exact: the caller confirms each candidate.
 */
export async function candidateUids(
  store: Pick<DataStore, 'db' | 'dialect'>,
  folderId: string,
  q: TextQuery,
): Promise<Set<number> | null> {
  const f = simplify(q);
  if (f === null) return null;
  const rows = await sql<{ uid: number | string }>`SELECT m.uid AS uid FROM messages m
    LEFT JOIN search_docs d ON d.blob_id = m.blob_id
    WHERE m.folder_id = ${folderId}
      AND (d.blob_id IS NULL OR d.complete = 0 OR ${condition(store.dialect, f)})`.execute(store.db);
  return new Set(rows.rows.map((r) => Number(r.uid)));
}

/**
 * The folded search of webmail: UIDs (ascending) of a folder's messages whose subject, addresses
 * and names, body text or attachment file names contain `query` after folding — "tuyen dung" finds
 * "Tuyển dụng", "TUYỂN DỤNG" and "tuyển dụng". Queries shorter than three folded characters find
 * nothing (the trigram indexes cannot answer them); messages stored before migration 0007 are not
 * found until they are indexed.
 */
export async function searchFolded(
  store: Pick<DataStore, 'db' | 'dialect'>,
  folderId: string,
  query: string,
): Promise<number[]> {
  const f = simplify({ kind: 'term', fields: ['subject', 'addrs', 'body', 'attachments'], text: query });
  if (f === null) return [];
  const rows = await sql<{ uid: number | string }>`SELECT m.uid AS uid FROM messages m
    JOIN search_docs d ON d.blob_id = m.blob_id
    WHERE m.folder_id = ${folderId} AND ${condition(store.dialect, f)}
    ORDER BY m.uid`.execute(store.db);
  return rows.rows.map((r) => Number(r.uid));
}

/** UIDs per statement of an exact text check; the caller yields to other sessions between them. */
export const EXACT_SCAN_BATCH = 5000;

/**
 * `m.uid` within a batch: a dense batch is one range (the messages between that are not in it
 * cannot match, and instr says so), a sparse one a list.
 */
function uidCondition(uids: readonly number[]): RawBuilder<unknown> {
  let lo = uids[0]!;
  let hi = lo;
  for (const u of uids) {
    if (u < lo) lo = u;
    else if (u > hi) hi = u;
  }
  return hi - lo < 2 * uids.length
    ? sql`m.uid >= ${lo} AND m.uid <= ${hi}`
    : sql`m.uid IN (${sql.join(uids.map((u) => sql`${u}`))})`;
}

/** The folded index fields that hold what a BODY, TEXT or SUBJECT key compares. */
export function exactFields(field: 'body' | 'text' | 'subject'): IndexField[] {
  return field === 'body' ? ['body'] : field === 'subject' ? ['subject'] : ['hdr', 'body'];
}

/**
 * SEARCH BODY / TEXT / SUBJECT (RFC 9051 §6.4.4) answered from the stored exact text for some
 * messages of a folder (at most EXACT_SCAN_BATCH UIDs, normally the candidates `candidateUids`
 * left): `matched` holds the UIDs whose text contains `needle` (already `exactFold`ed), `unknown`
 * those without stored exact text (the caller reads the message). `instr` / `position` compare.
 */
export async function exactTextMatches(
  store: Pick<DataStore, 'db' | 'dialect'>,
  folderId: string,
  field: 'body' | 'text' | 'subject',
  needle: string,
  uids: readonly number[],
): Promise<{ matched: number[]; unknown: number[] }> {
  if (uids.length === 0) return { matched: [], unknown: [] };
  const has = (col: 'hdr' | 'subject' | 'body'): RawBuilder<unknown> =>
    store.dialect === 'sqlite'
      ? sql`instr(x.${sql.raw(col)}, ${needle}) > 0`
      : sql`position(${needle} in x.${sql.raw(col)}) > 0`;
  const hit = field === 'text' ? sql`(${has('hdr')} OR ${has('body')})` : has(field);
  const rows = await sql<{ uid: number | string; known: number | string; hit: number | boolean | null }>`
    SELECT m.uid AS uid, CASE WHEN x.blob_id IS NULL THEN 0 ELSE 1 END AS known,
      CASE WHEN x.blob_id IS NULL THEN NULL WHEN ${hit} THEN 1 ELSE 0 END AS hit
    FROM messages m
    LEFT JOIN search_exact x ON x.blob_id = m.blob_id
    WHERE m.folder_id = ${folderId} AND ${uidCondition(uids)}`.execute(store.db);
  const matched: number[] = [];
  const unknown: number[] = [];
  for (const r of rows.rows) {
    if (Number(r.known) === 0) unknown.push(Number(r.uid));
    else if (Number(r.hit) === 1) matched.push(Number(r.uid));
  }
  return { matched, unknown };
}
