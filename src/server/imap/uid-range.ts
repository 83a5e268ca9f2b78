/**
 * How to read a batch of UIDs from `messages`: a dense batch (the usual `1:*`, or a search that
 * matches most messages) is one range scan of the (folder_id, uid) key; a sparse one (1 % of a
 * large folder) is looked up by value, since the range between its first and last UID could hold
 * the whole folder.
 */
export function denseUidRange(uids: readonly number[]): [number, number] | null {
  if (uids.length === 0) return null;
  let first = uids[0]!;
  let last = first;
  for (const u of uids) {
    if (u < first) first = u;
    else if (u > last) last = u;
  }
  return last - first < 2 * uids.length ? [first, last] : null;
}
