/**
 * STORE and UID STORE (RFC 9051 §6.4.6): FLAGS, +FLAGS, -FLAGS (.SILENT), with UNCHANGEDSINCE
 * (RFC 7162 §3.1.3) answered with [MODIFIED]. Flags are validated by the mailbox layer before
 * anything changes (IMAP-09: \Recent and unknown system flags → BAD; keyword count → NO [LIMIT]).
 * Unless .SILENT, the new flags of every named message are sent (`* n FETCH (FLAGS … UID u)`).
 * No EXPUNGE responses after STORE (RFC 9051 §7.5.1); UID STORE may send them.
 * UNCHANGEDSINCE enables CONDSTORE; with CONDSTORE on, every FETCH response carries MODSEQ, and
 * .SILENT still sends `* n FETCH (UID u MODSEQ (m))` for each changed message so the client's
 * cache learns the new modseq (RFC 7162 §3.1.3).
 */
import { atom, compressNumbers, list, num } from '../../../protocol/imap/index.ts';
import type { StoreCommand } from '../../../protocol/imap/index.ts';
import { storeFlags } from '../../../mailbox/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { SELECTED } from '../state.ts';

const CHUNK = 500;

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
    const targets = view.resolve(cmd.set, cmd.uid);
    const uids = targets.map(([, u]) => u);
    const modified: number[] = [];
    const gone = new Set(uids);
    for (let i = 0; i < uids.length; i += CHUNK) {
      const part = uids.slice(i, i + CHUNK);
      const r = await storeFlags(ctx.deps, view.folder, part, cmd.operation, [...cmd.flags], {
        ...(cmd.unchangedSince !== undefined ? { unchangedSince: Number(cmd.unchangedSince) } : {}),
      });
      view.noteOwnModseqs(r.changed.map((c) => c.modseq));
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
