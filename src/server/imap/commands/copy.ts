/**
 * COPY and UID COPY (RFC 9051 §6.4.7) with UIDPLUS COPYUID (RFC 4315 §3). A missing destination is
 * NO [TRYCREATE]; over quota NO [OVERQUOTA] and nothing is copied (one transaction).
 * The destination may be a delegated mailbox (access.ts): it needs the right "i" (RFC 4314 §4);
 * without "l" it is a missing one.
 */
import { compressNumbers } from '../../../protocol/imap/index.ts';
import type { CopyCommand, MoveCommand } from '../../../protocol/imap/index.ts';
import { copyMessages, type CopyResult } from '../../../mailbox/index.ts';
import { folderOf, requireRights, resolveTarget } from '../access.ts';
import { ok, type SessionContext } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler, type HandlerResult } from '../handler.ts';
import { SELECTED } from '../state.ts';

/** Resolve the set and the destination; shared by COPY and MOVE. */
export async function prepare(ctx: SessionContext, cmd: CopyCommand | MoveCommand) {
  const state = ctx.state;
  if (state.kind !== 'selected') throw errors.wrongState();
  const target = await resolveTarget(ctx, cmd.mailbox);
  const dest = await folderOf(ctx, target);
  if (!dest) throw errors.tryCreate();
  requireRights(target, 'i');
  const targets = state.mailbox.resolve(cmd.set, cmd.uid);
  return { view: state.mailbox, dest, uids: targets.map(([, u]) => u) };
}

export function copyUidCode(r: CopyResult): HandlerResult['code'] {
  if (r.pairs.length === 0) return undefined;
  return {
    code: 'COPYUID',
    uidValidity: r.uidValidity,
    source: compressNumbers(r.pairs.map((p) => p[0])),
    destination: compressNumbers(r.pairs.map((p) => p[1])),
  };
}

export const copy = defineHandler<CopyCommand>({
  name: 'COPY',
  states: SELECTED,
  async run(ctx, cmd) {
    const { view, dest, uids } = await prepare(ctx, cmd);
    const r = await copyMessages(
      { ...ctx.deps, settings: ctx.deps.directorySettings },
      view.folder,
      uids,
      dest,
    );
    const code = copyUidCode(r);
    if (r.pairs.length < uids.length && !cmd.uid) throw errors.expungeIssued();
    return code ? ok('COPY completed', code) : ok('COPY completed');
  },
});
