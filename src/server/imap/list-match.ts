/**
 * LIST pattern matching (RFC 9051 §6.3.9): `*` matches anything, `%` anything but the hierarchy
 * delimiter, every other character only itself (IMAP-08: no regular expressions, so `(.*`, `[a-`
 * and `\` are plain text). Linear-space dynamic programming, O(|name| × |pattern|) time, with the
 * pattern bounded by MAX_PATTERN so a hostile pattern costs little. "INBOX" matches without regard
 * to case in the first component only.
 */
export const MAX_PATTERN = 1024;

export function matchPattern(name: string, pattern: string, delimiter = '/'): boolean {
  // Collapse runs of wildcards: `*` absorbs `%` next to it.
  let p = '';
  for (const ch of pattern) {
    const last = p[p.length - 1];
    if ((ch === '*' || ch === '%') && (last === '*' || last === '%')) {
      if (ch === '*') p = `${p.slice(0, -1)}*`;
      continue;
    }
    p += ch;
  }
  const pc = [...p];
  const nc = [...name];
  // prev[j]: pattern[0..i) matches name[0..j)
  let prev = new Uint8Array(nc.length + 1);
  prev[0] = 1;
  for (let i = 0; i < pc.length; i++) {
    const cur = new Uint8Array(nc.length + 1);
    const ch = pc[i]!;
    if (ch === '*' || ch === '%') {
      cur[0] = prev[0]!;
      for (let j = 1; j <= nc.length; j++) {
        const canExtend = ch === '*' || nc[j - 1] !== delimiter;
        cur[j] = prev[j]! || (canExtend && cur[j - 1]!) ? 1 : 0;
      }
    } else {
      for (let j = 1; j <= nc.length; j++) cur[j] = prev[j - 1]! && nc[j - 1] === ch ? 1 : 0;
    }
    prev = cur;
  }
  return prev[nc.length] === 1;
}

/** Does `name` match, treating INBOX (first component) case-insensitively? */
export function matchMailbox(name: string, pattern: string): boolean {
  if (matchPattern(name, pattern)) return true;
  const upper = pattern.slice(0, 5).toUpperCase();
  if (upper === 'INBOX' && (pattern.length === 5 || pattern[5] === '/'))
    return matchPattern(name, `INBOX${pattern.slice(5)}`);
  return false;
}
