/**
 * LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258: SUBSCRIBED, SPECIAL-USE, RECURSIVEMATCH
 * selection; SUBSCRIBED, CHILDREN, SPECIAL-USE, STATUS return options), LIST-STATUS (RFC 5819),
 * SPECIAL-USE attributes (RFC 6154 §2, always sent), CHILDREN (RFC 3348), and LSUB (RFC 3501 §6.3.9).
 * `LIST "" ""` answers the delimiter. Names go out in modified UTF-7 unless UTF-8 is enabled.
 */
import { atom, list as ilist, mailboxValue, str } from '../../../protocol/imap/index.ts';
import type { ListCommand, LsubCommand } from '../../../protocol/imap/index.ts';
import { listFolders, type FolderRow } from '../../../mailbox/index.ts';
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

async function listing(
  ctx: SessionContext,
  word: 'LIST' | 'LSUB',
  reference: string,
  patterns: readonly string[],
  opts: ListCommand['select'],
  ret: ListCommand['return'],
): Promise<void> {
  const account = accountOf(ctx.state)!;
  const o = { utf8: ctx.utf8 };
  if (patterns.length === 1 && patterns[0] === '') {
    await ctx.untagged([atom(word), ilist([atom('\\Noselect')]), str('/'), str('')]);
    return;
  }
  for (const p of patterns) if (p.length > MAX_PATTERN) throw errors.syntax('Pattern too long');
  const folders = await listFolders(ctx.deps.store.db, account.id);
  const names = new Set(folders.map((f) => f.name));
  const hasChildren = (f: FolderRow): boolean => {
    const prefix = `${f.name}/`;
    for (const n of names) if (n.startsWith(prefix)) return true;
    return false;
  };
  const full = patterns.map((p) => fullPattern(reference, p));
  for (const f of folders) {
    if (!full.some((p) => matchMailbox(f.name, p))) continue;
    if (opts.subscribed && f.subscribed !== 1) continue;
    if (opts.specialUse && !f.special_use) continue;
    const attrs: string[] = [hasChildren(f) ? '\\HasChildren' : '\\HasNoChildren'];
    if (word === 'LIST' && f.special_use) attrs.push(f.special_use);
    if ((ret.subscribed || opts.subscribed) && f.subscribed === 1 && word === 'LIST')
      attrs.push('\\Subscribed');
    await ctx.untagged([atom(word), ilist(attrs.map(atom)), str('/'), mailboxValue(f.name, o)]);
    if (ret.status && ret.status.length > 0)
      await ctx.untagged(await statusResponse(ctx.deps.store, f, ret.status, o));
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
