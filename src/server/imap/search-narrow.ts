/**
 * Narrowing SEARCH with the full-text index (issue 5 item 5, IMAP-16). The string keys TEXT, BODY,
 * SUBJECT, FROM, TO, CC and BCC become index terms; AND keeps every narrowing part, OR narrows only
 * when both sides do, NOT and every other key narrow nothing. The candidates are then checked
 * exactly by search-eval.ts, so SEARCH keeps RFC 9051 substring semantics (case-insensitive, not
 * diacritic-insensitive): `TEXT "tuyen"` does not match "tuyển".
 */
import {
  candidateUids,
  exactFields,
  exactTextMatches,
  EXACT_SCAN_BATCH,
  type IndexField,
  type TextQuery,
} from '../../mailbox/index.ts';
import type { SearchKey } from '../../protocol/imap/index.ts';
import type { DataStore } from '../../store/index.ts';
import type { SelectedMailbox } from './selected.ts';
import { errors } from './errors.ts';
import { searchText, type ExactAnswer } from './search-eval.ts';

const FIELDS: Partial<Record<SearchKey['type'], readonly IndexField[]>> = {
  TEXT: ['hdr', 'body'],
  BODY: ['body'],
  SUBJECT: ['subject'],
  FROM: ['addrs'],
  TO: ['addrs'],
  CC: ['addrs'],
  BCC: ['addrs'],
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function toQuery(key: SearchKey): TextQuery | null {
  switch (key.type) {
    case 'AND': {
      const parts = key.keys.map(toQuery).filter((q): q is TextQuery => q !== null);
      return parts.length > 0 ? { kind: 'and', parts } : null;
    }
    case 'OR': {
      const l = toQuery(key.left);
      const r = toQuery(key.right);
      return l && r ? { kind: 'or', parts: [l, r] } : null;
    }
    default: {
      const fields = FIELDS[key.type];
      if (!fields || !('value' in key)) return null;
      try {
        return { kind: 'term', fields, text: utf8.decode(key.value) };
      } catch {
        return null; // not UTF-8: the exact check answers BAD
      }
    }
  }
}

/** The index query for a search program (its keys are ANDed), or null when nothing narrows. */
export function narrowingQuery(keys: readonly SearchKey[]): TextQuery | null {
  return toQuery({ type: 'AND', keys });
}

/** The [seq, uid] pairs of the view that may match `keys`, ascending. */
export async function searchCandidates(
  store: DataStore,
  view: SelectedMailbox,
  keys: readonly SearchKey[],
): Promise<Array<[number, number]>> {
  const q = narrowingQuery(keys);
  const uids = q ? await candidateUids(store, view.folder.id, q) : null;
  const out: Array<[number, number]> = [];
  for (const pair of view.all()) if (uids === null || uids.has(pair[1])) out.push(pair);
  return out;
}

/** Every BODY, TEXT and SUBJECT key of a program, at any depth. */
function textKeys(keys: readonly SearchKey[], out: SearchKey[] = []): SearchKey[] {
  for (const k of keys) {
    if (k.type === 'BODY' || k.type === 'TEXT' || k.type === 'SUBJECT') out.push(k);
    else if (k.type === 'NOT') textKeys([k.key], out);
    else if (k.type === 'OR') textKeys([k.left, k.right], out);
    else if (k.type === 'AND') textKeys(k.keys, out);
  }
  return out;
}

/**
 * BODY, TEXT and SUBJECT keys answered from the stored exact text (src/mailbox/search-index.ts), so
 * that the evaluator reads from the blob only the messages stored without it. The folded index
 * gives the candidates once per key; their stored text is compared EXACT_SCAN_BATCH messages per
 * statement, and between statements other sessions get their turn and the command's time budget
 * is checked (IMAP-16).
 */
export async function exactAnswers(
  store: DataStore,
  view: SelectedMailbox,
  keys: readonly SearchKey[],
  deadline: number,
): Promise<Map<SearchKey, ExactAnswer>> {
  const out = new Map<SearchKey, ExactAnswer>();
  for (const key of textKeys(keys)) {
    if (key.type !== 'BODY' && key.type !== 'TEXT' && key.type !== 'SUBJECT') continue;
    const needle = searchText(key.value);
    // Subject values are stored one a line: a needle with a line break is checked on the message.
    if (key.type === 'SUBJECT' && needle.includes('\n')) continue;
    const field = key.type === 'BODY' ? 'body' : key.type === 'SUBJECT' ? 'subject' : 'text';
    const narrowed = await candidateUids(store, view.folder.id, {
      kind: 'term',
      fields: exactFields(field),
      text: needle,
    });
    const uids: number[] = [];
    for (const [, uid] of view.all()) if (narrowed === null || narrowed.has(uid)) uids.push(uid);
    const matched = new Set<number>();
    const unknown = new Set<number>();
    for (let i = 0; i < uids.length; i += EXACT_SCAN_BATCH) {
      if (Date.now() > deadline) throw errors.searchBudget();
      const r = await exactTextMatches(
        store,
        view.folder.id,
        field,
        needle,
        uids.slice(i, i + EXACT_SCAN_BATCH),
      );
      for (const u of r.matched) matched.add(u);
      for (const u of r.unknown) unknown.add(u);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    out.set(key, { matched, unknown });
  }
  return out;
}

/**
 * The [seq, uid] pairs that may match when a key ANDed at the top of the program was answered
 * from the exact text: its matches and the messages it could not answer (no folded index query
 * needed). Null when no such key exists.
 */
export function exactCandidates(
  view: SelectedMailbox,
  keys: readonly SearchKey[],
  scope: { exact?: ReadonlyMap<SearchKey, ExactAnswer> },
): Array<[number, number]> | null {
  const answers = keys.map((k) => scope.exact?.get(k)).filter((a): a is ExactAnswer => a !== undefined);
  if (answers.length === 0) return null;
  const out: Array<[number, number]> = [];
  for (const pair of view.all())
    if (answers.every((a) => a.matched.has(pair[1]) || a.unknown.has(pair[1]))) out.push(pair);
  return out;
}
