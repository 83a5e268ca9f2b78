/**
 * Authentication-Results header handling (RFC 8601).
 *
 * A message from outside may carry an Authentication-Results field that claims to come from us
 * (`Authentication-Results: mail.quangtri.gov.vn; dmarc=pass`), hoping a client or a later filter
 * trusts it. RFC 8601 §5: a border MTA MUST remove such fields whose authserv-id is its own before
 * adding its own. `stripForgedAuthResults` removes every Authentication-Results field of the top
 * header block whose authserv-id equals ours (case-insensitive, comments and whitespace ignored);
 * fields of other authserv-ids are kept, they are just not trusted. Bytes of every other field are
 * kept exactly as received.
 */
import { parseHeaderBlock } from '../mail/index.ts';

/** The authserv-id of an Authentication-Results value: the first token, before ";" or a version. */
export function authservId(value: string): string {
  const noComments = value.replace(/\([^()]*\)/g, ' ');
  const m = /^\s*([^\s;]+)/.exec(noComments);
  return m ? m[1]!.toLowerCase() : '';
}

export function stripForgedAuthResults(content: Buffer, ourId: string): { content: Buffer; removed: number } {
  const block = parseHeaderBlock(content);
  const id = ourId.toLowerCase();
  const drop = block.fields.filter(
    (f) => f.key === 'authentication-results' && authservId(f.value.toString('latin1')) === id,
  );
  if (drop.length === 0) return { content, removed: 0 };
  const parts: Buffer[] = [];
  let pos = 0;
  for (const f of drop) {
    parts.push(content.subarray(pos, f.start));
    pos = f.end;
  }
  parts.push(content.subarray(pos));
  return { content: Buffer.concat(parts), removed: drop.length };
}

/** How many Received fields the top header block has (loop detection, RFC 5321 §6.3). */
export function countReceived(content: Buffer): number {
  return parseHeaderBlock(content).fields.filter((f) => f.key === 'received').length;
}
