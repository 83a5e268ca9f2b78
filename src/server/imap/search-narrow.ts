/**
 * Narrowing SEARCH with the full-text index (issue 5 item 5, IMAP-16). The string keys TEXT, BODY,
 * SUBJECT, FROM, TO, CC and BCC become index terms; AND keeps every narrowing part, OR narrows only
 * when both sides do, NOT and every other key narrow nothing. The candidates are then checked
 * exactly by search-eval.ts, so SEARCH keeps RFC 9051 substring semantics (case-insensitive, not
 * diacritic-insensitive): `TEXT "tuyen"` does not match "tuyển".
 */
import { candidateUids, type IndexField, type TextQuery } from '../../mailbox/index.ts';
import type { SearchKey } from '../../protocol/imap/index.ts';
import type { DataStore } from '../../store/index.ts';
import type { SelectedMailbox } from './selected.ts';

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
