/**
 * LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258: SUBSCRIBED, SPECIAL-USE, RECURSIVEMATCH
 * selection; SUBSCRIBED, CHILDREN, SPECIAL-USE, STATUS return options), LIST-STATUS (RFC 5819),
 * SPECIAL-USE attributes (RFC 6154 §2, always sent), CHILDREN (RFC 3348), and LSUB (RFC 3501 §6.3.9).
 * `LIST "" ""` answers the delimiter. Names go out in modified UTF-7 unless UTF-8 is enabled.
 *
 * Delegated mailboxes (RFC 2342 shared namespace, RFC 4314 "l", Điều 10.1) are listed, while their
 * grant lasts, as `Shared` and `Shared/<address>` (both \Noselect) and `Shared/<address>/<folder>`
 * for each of the owner's folders. They carry no special-use attribute (a client must not take an
 * agency's Sent for its own) and always count as subscribed: a delegate's SUBSCRIBE does not
 * change the owner's subscriptions.
 */
import { atom, list as ilist, mailboxValue, str } from '../../../protocol/imap/index.ts';
import type { ListCommand, LsubCommand } from '../../../protocol/imap/index.ts';
import { listFolders, SHARED_NAMESPACE, type FolderRow } from '../../../mailbox/index.ts';
import { sharedName, visibleDelegations } from '../access.ts';
import { ok, type SessionContext } from '../context.ts';
import { errors } from '../errors.ts';
import { statusResponse } from '../folder-status.ts';
import { defineHandler } from '../handler.ts';
import { matchMailbox, MAX_PATTERN } from '../list-match.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

function fullPattern(reference: string, pattern: string): string {
  if (reference === '' || pattern.startsWith('/')) return pattern;
  return reference.endsWith('/') ? `${reference}${pattern}` : `${reference}${pattern}`;
}

/** One line of a LIST answer: a folder of the account, of a delegated mailbox, or a \Noselect node. */
interface Entry {
  name: string;
  folder: FolderRow | null;
  specialUse: string | null;
  subscribed: boolean;
}

/** The account's own folders, then the delegated mailboxes' under `Shared/<address>/`. */
async function entries(ctx: SessionContext): Promise<Entry[]> {
  const account = accountOf(ctx.state)!;
  const db = ctx.deps.store.db;
  const out: Entry[] = [];
  const shared: Entry[] = [];
  for (const d of await visibleDelegations(ctx)) {
    shared.push({ name: sharedName(d.address, ''), folder: null, specialUse: null, subscribed: true });
    for (const f of await listFolders(db, d.ownerId))
      shared.push({ name: sharedName(d.address, f.name), folder: f, specialUse: null, subscribed: true });
  }
  const sharedNames = new Set(shared.map((e) => e.name));
  for (const f of await listFolders(db, account.id)) {
    if (sharedNames.has(f.name)) continue; // a grant claims the name (access.ts)
    out.push({ name: f.name, folder: f, specialUse: f.special_use, subscribed: f.subscribed === 1 });
  }
  if (shared.length > 0 && !out.some((e) => e.name === SHARED_NAMESPACE))
    out.push({ name: SHARED_NAMESPACE, folder: null, specialUse: null, subscribed: true });
  return out.concat(shared);
}

async function listing(
  ctx: SessionContext,
  word: 'LIST' | 'LSUB',
  reference: string,
  patterns: readonly string[],
  opts: ListCommand['select'],
  ret: ListCommand['return'],
): Promise<void> {
  const o = { utf8: ctx.utf8 };
  if (patterns.length === 1 && patterns[0] === '') {
    await ctx.untagged([atom(word), ilist([atom('\\Noselect')]), str('/'), str('')]);
    return;
  }
  for (const p of patterns) if (p.length > MAX_PATTERN) throw errors.syntax('Pattern too long');
  const all = await entries(ctx);
  const names = all.map((e) => e.name);
  const hasChildren = (name: string): boolean => {
    const prefix = `${name}/`;
    for (const n of names) if (n.startsWith(prefix)) return true;
    return false;
  };
  const full = patterns.map((p) => fullPattern(reference, p));
  for (const e of all) {
    if (!full.some((p) => matchMailbox(e.name, p))) continue;
    if (opts.subscribed && !e.subscribed) continue;
    if (opts.specialUse && !e.specialUse) continue;
    const attrs: string[] = [hasChildren(e.name) ? '\\HasChildren' : '\\HasNoChildren'];
    if (!e.folder) attrs.unshift('\\Noselect');
    if (word === 'LIST' && e.specialUse) attrs.push(e.specialUse);
    if ((ret.subscribed || opts.subscribed) && e.subscribed && word === 'LIST') attrs.push('\\Subscribed');
    await ctx.untagged([atom(word), ilist(attrs.map(atom)), str('/'), mailboxValue(e.name, o)]);
    if (e.folder && ret.status && ret.status.length > 0)
      await ctx.untagged(await statusResponse(ctx.deps.store, e.folder, ret.status, o, e.name));
  }
}

export const list = defineHandler<ListCommand>({
  name: 'LIST',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    await listing(ctx, 'LIST', cmd.reference, cmd.patterns, cmd.select, cmd.return);
    return ok('LIST completed');
  },
});

export const lsub = defineHandler<LsubCommand>({
  name: 'LSUB',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    await listing(
      ctx,
      'LSUB',
      cmd.reference,
      [cmd.pattern],
      { subscribed: true, remote: false, recursiveMatch: false, specialUse: false },
      { subscribed: false, children: false, specialUse: false },
    );
    return ok('LSUB completed');
  },
});
