/**
 * STORE and UID STORE (RFC 9051 §6.4.6): FLAGS, +FLAGS, -FLAGS (.SILENT), with UNCHANGEDSINCE
 * (RFC 7162 §3.1.3) answered with [MODIFIED]. Flags are validated by the mailbox layer before
 * anything changes (IMAP-09: \Recent and unknown system flags → BAD; keyword count → NO [LIMIT]).
 * Unless .SILENT, the new flags of every named message are sent (`* n FETCH (FLAGS … UID u)`).
 * No EXPUNGE responses after STORE (RFC 9051 §7.5.1); UID STORE may send them.
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
      if (!cmd.silent) {
        const rows = await ctx.deps.store.db
          .selectFrom('messages')
          .select(['uid', 'flags'])
          .where('folder_id', '=', view.folder.id)
          .where('uid', 'in', part)
          .orderBy('uid')
          .execute();
        for (const row of rows) {
          const uid = Number(row.uid);
          gone.delete(uid);
          const flags = row.flags === '' ? [] : row.flags.split(' ');
          await ctx.untagged([
            num(view.seqOf(uid)),
            atom('FETCH'),
            list([atom('FLAGS'), list(flags.map(atom)), atom('UID'), num(uid)]),
          ]);
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
