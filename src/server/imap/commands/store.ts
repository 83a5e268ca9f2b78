/**
 * STORE and UID STORE (RFC 9051 §6.4.6): FLAGS, +FLAGS, -FLAGS (.SILENT), with UNCHANGEDSINCE
 * (RFC 7162 §3.1.3) answered with [MODIFIED]. Flags are validated by the mailbox layer before
 * anything changes (IMAP-09: \Recent and unknown system flags → BAD; keyword count → NO [LIMIT]).
 * Unless .SILENT, the new flags of every named message are sent (`* n FETCH (FLAGS … UID u)`).
 * No EXPUNGE responses after STORE (RFC 9051 §7.5.1); UID STORE may send them.
 * UNCHANGEDSINCE enables CONDSTORE; with CONDSTORE on, every FETCH response carries MODSEQ, and
 * .SILENT still sends `* n FETCH (UID u MODSEQ (m))` for each changed message so the client's
 * cache learns the new modseq (RFC 7162 §3.1.3).
 *
 * Rights (RFC 4314 §4), for a delegated mailbox: \Seen needs "s", \Deleted "t", every other flag
 * and keyword "w". Flags the rights do not cover are left alone and the rest is stored (the RFC
 * asks servers not to fail a STORE that may change at least one of its flags); when none may
 * change, NO [NOPERM]. FLAGS (replace) without "w" becomes +FLAGS/-FLAGS over the flags the session
 * may change; with "w" but without "s" or "t" it is refused (no preset gives that combination).
 */
import { atom, compressNumbers, list, num } from '../../../protocol/imap/index.ts';
import type { StoreCommand } from '../../../protocol/imap/index.ts';
import { flagString, storeFlags, type FlagMode } from '../../../mailbox/index.ts';
import { requireRights } from '../access.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { SELECTED } from '../state.ts';

const CHUNK = 500;

/** The flag changes the rights allow, as one or two steps (RFC 4314 §4). */
export function storePlan(
  rights: string,
  mode: FlagMode,
  flags: readonly string[],
): Array<{ mode: FlagMode; flags: string[] }> {
  if (/s/.test(rights) && /w/.test(rights) && /t/.test(rights)) return [{ mode, flags: [...flags] }];
  const may = (f: string): boolean =>
    f.toLowerCase() === '\\seen'
      ? rights.includes('s')
      : f.toLowerCase() === '\\deleted'
        ? rights.includes('t')
        : rights.includes('w');
  if (mode !== 'replace') {
    const kept = flags.filter(may);
    if (flags.length > 0 && kept.length === 0) requireRights({ rights, shared: null }, ...need(flags));
    return [{ mode, flags: kept }];
  }
  if (rights.includes('w')) requireRights({ rights, shared: null }, 's', 't');
  const universe = ['\\Seen', '\\Deleted'].filter(may);
  if (universe.length === 0) requireRights({ rights, shared: null }, 's');
  const lower = new Set(flags.map((f) => f.toLowerCase()));
  const add = universe.filter((f) => lower.has(f.toLowerCase()));
  const remove = universe.filter((f) => !lower.has(f.toLowerCase()));
  const plan: Array<{ mode: FlagMode; flags: string[] }> = [];
  if (add.length > 0) plan.push({ mode: 'add', flags: add });
  if (remove.length > 0) plan.push({ mode: 'remove', flags: remove });
  return plan;
}

function need(flags: readonly string[]): Array<'s' | 't' | 'w'> {
  const l = flags[0]!.toLowerCase();
  return [l === '\\seen' ? 's' : l === '\\deleted' ? 't' : 'w'];
}

export const store = defineHandler<StoreCommand>({
  name: 'STORE',
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(ctx, cmd) {
    const state = ctx.state;
    if (state.kind !== 'selected') throw errors.wrongState();
    const view = state.mailbox;
    if (view.readOnly) throw errors.readOnly();
    if (cmd.unchangedSince !== undefined) ctx.enable('CONDSTORE');
    flagString(cmd.flags); // BAD for invalid flags before any rights are weighed
    const plan = storePlan(view.rights, cmd.operation, cmd.flags);
    const targets = view.resolve(cmd.set, cmd.uid);
    const uids = targets.map(([, u]) => u);
    const modified: number[] = [];
    const gone = new Set(uids);
    for (let i = 0; i < uids.length; i += CHUNK) {
      const part = uids.slice(i, i + CHUNK);
      const r = { changed: [] as Array<{ uid: number; modseq: number }>, modified: [] as number[] };
      for (const [n, step] of plan.entries()) {
        const failed = new Set(r.modified);
        const one = await storeFlags(
          ctx.deps,
          view.folder,
          part.filter((u) => !failed.has(u)),
          step.mode,
          step.flags,
          n === 0 && cmd.unchangedSince !== undefined ? { unchangedSince: Number(cmd.unchangedSince) } : {},
        );
        r.changed.push(...one.changed);
        r.modified.push(...one.modified);
      }
      if (plan.length > 1) {
        const last = new Map<number, number>();
        for (const c of r.changed) last.set(c.uid, Math.max(last.get(c.uid) ?? 0, c.modseq));
        view.noteOwnModseqs(r.changed.map((c) => c.modseq));
        r.changed = [...last].sort((a, b) => a[0] - b[0]).map(([uid, modseq]) => ({ uid, modseq }));
      } else view.noteOwnModseqs(r.changed.map((c) => c.modseq));
      modified.push(...r.modified);
      if (cmd.silent && ctx.condstore) {
        for (const c of r.changed)
          await ctx.untagged([
            num(view.seqOf(c.uid)),
            atom('FETCH'),
            list([atom('UID'), num(c.uid), atom('MODSEQ'), list([num(c.modseq)])]),
          ]);
      }
      if (!cmd.silent) {
        // Messages that failed UNCHANGEDSINCE are told by [MODIFIED] only (RFC 7162 §3.1.3).
        for (const u of r.modified) gone.delete(u);
        const failed = new Set(r.modified);
        const rows = await ctx.deps.store.db
          .selectFrom('messages')
          .select(['uid', 'flags', 'modseq'])
          .where('folder_id', '=', view.folder.id)
          .where('uid', 'in', part)
          .orderBy('uid')
          .execute();
        for (const row of rows) {
          const uid = Number(row.uid);
          gone.delete(uid);
          if (failed.has(uid)) continue;
          const flags = row.flags === '' ? [] : row.flags.split(' ');
          const items = [atom('FLAGS'), list(flags.map(atom)), atom('UID'), num(uid)];
          if (ctx.condstore) items.push(atom('MODSEQ'), list([num(Number(row.modseq))]));
          await ctx.untagged([num(view.seqOf(uid)), atom('FETCH'), list(items)]);
        }
      }
    }
    if (modified.length > 0) {
      const keys = cmd.uid ? modified : modified.map((u) => view.seqOf(u));
      return ok('Some messages were modified', {
        code: 'MODIFIED',
        set: compressNumbers(keys.sort((a, b) => a - b)),
      });
    }
    if (!cmd.silent && gone.size > 0) throw errors.expungeIssued();
    return ok('STORE completed');
  },
});
