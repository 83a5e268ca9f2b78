/**
 * SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3; RFC 3501 §6.3.1 for IMAP4rev1 clients).
 * Leaving a selected mailbox first says `* OK [CLOSED]` (RFC 9051 §7.1). A failed SELECT leaves the
 * session authenticated. Every SELECT/EXAMINE of INBOX is recorded as an access event (Điều 12).
 * IMAP4rev1 sessions also get `* 0 RECENT` and `OK [UNSEEN n]`; IMAP4rev2 sessions get `* LIST`.
 * Every session gets `OK [MAILBOXID (id)]` (RFC 8474 §4.1).
 *
 * Delegated mailboxes (RFC 4314 §4, Điều 10.1): the name is resolved through access.ts; without
 * "r" it is NO [NOPERM] (without "l", as if it did not exist). PERMANENTFLAGS lists only the flags
 * the rights let the session change (s: \Seen, t: \Deleted, w: the others and keywords); with
 * none of s, w, i, t, e it opens READ-ONLY. Opening the INBOX of a delegated mailbox is recorded
 * as an access to that mailbox by the delegate (Điều 12 counts it) and, once per session and
 * mailbox, as the audit event `delegation.use` that the agency head reads.
 *
 * CONDSTORE/QRESYNC (RFC 7162): every folder keeps modseqs, so `OK [HIGHESTMODSEQ n]` is always
 * sent (§3.1.2.1; never NOMODSEQ). `(CONDSTORE)` enables CONDSTORE (§3.1.8). `(QRESYNC (…))`
 * needs ENABLE QRESYNC first (else BAD, §3.2.5); when its UIDVALIDITY matches, the server sends
 * `* VANISHED (EARLIER) uids` from the tombstones, then `* n FETCH (UID FLAGS MODSEQ)` for each
 * message changed since the client's modseq, both within the known UIDs when given; a
 * different UIDVALIDITY makes the parameters be ignored (§3.2.5.1).
 */
import { sql } from 'kysely';
import {
  atom,
  compressNumbers,
  intervalsSize,
  list,
  mailboxValue,
  num,
  resolveSequenceSet,
  str,
  untaggedStatus,
} from '../../../protocol/imap/index.ts';
import type {
  ExamineCommand,
  QresyncParams,
  SelectArguments,
  SelectCommand,
} from '../../../protocol/imap/index.ts';
import type { FolderRow } from '../../../mailbox/index.ts';
import { auditDelegationUse, recordAccess } from '../../../directory/index.ts';
import { canChangeAnything, folderOf, permanentFlags, requireRights, resolveTarget } from '../access.ts';
import type { SessionContext } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler, type HandlerResult } from '../handler.ts';
import { SelectedMailbox } from '../selected.ts';
import { modseqNumber, uidIntervals, vanishedSince } from '../condstore.ts';
import { mailboxId } from '../object-id.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

/** RFC 7162 §3.2.5: the two sets of the seq-match data must have as many elements. */
function checkQresync(ctx: SessionContext, q: QresyncParams | undefined): void {
  if (!q) return;
  if (!ctx.qresync) throw errors.qresyncNotEnabled();
  const m = q.seqMatch;
  if (!m || m.sequenceNumbers.kind !== 'set' || m.uids.kind !== 'set') return;
  const size = (set: typeof m.uids): number =>
    set.kind === 'set' ? intervalsSize(resolveSequenceSet(set, { star: 0 })) : 0;
  if (size(m.sequenceNumbers) !== size(m.uids)) throw errors.seqMatchData();
}

/** The QRESYNC answer (RFC 7162 §3.2.5.1): VANISHED (EARLIER), then the changed flags. */
async function resync(
  ctx: SessionContext,
  folder: FolderRow,
  view: SelectedMailbox,
  q: QresyncParams,
): Promise<void> {
  if (q.uidValidity !== Number(folder.uid_validity)) return;
  const since = modseqNumber(q.modSeq);
  const highest = Number(folder.highest_modseq);
  if (since >= highest) return;
  const known = q.knownUids ? uidIntervals(q.knownUids, Number(folder.uid_next) - 1) : null;
  const gone = await vanishedSince(ctx.deps.store, folder.id, since, known);
  if (gone.length > 0)
    await ctx.untagged([atom('VANISHED'), list([atom('EARLIER')]), atom(compressNumbers(gone))]);
  const rows = await ctx.deps.store.db
    .selectFrom('messages')
    .select(['uid', 'flags', 'modseq'])
    .where('folder_id', '=', folder.id)
    .where('modseq', '>', since)
    .where('modseq', '<=', highest)
    .orderBy('uid')
    .execute();
  for (const r of rows) {
    const uid = Number(r.uid);
    const seq = view.seqOf(uid);
    if (seq === 0 || (known && !known.some(([a, b]) => uid >= a && uid <= b))) continue;
    const flags = r.flags === '' ? [] : r.flags.split(' ');
    await ctx.untagged([
      num(seq),
      atom('FETCH'),
      list([
        atom('UID'),
        num(uid),
        atom('FLAGS'),
        list(flags.map(atom)),
        atom('MODSEQ'),
        list([num(Number(r.modseq))]),
      ]),
    ]);
  }
}

async function open(ctx: SessionContext, args: SelectArguments, examine: boolean): Promise<HandlerResult> {
  let readOnly = examine;
  const mailbox = args.mailbox;
  checkQresync(ctx, args.qresync);
  if (args.condstore) ctx.enable('CONDSTORE');
  const account = accountOf(ctx.state)!;
  if (ctx.state.kind === 'selected') {
    ctx.transition({ kind: 'authenticated', account });
    await ctx.send(untaggedStatus('OK', 'Previous mailbox closed', { code: { code: 'CLOSED' } }));
  }
  const target = await resolveTarget(ctx, mailbox);
  const folder = await folderOf(ctx, target);
  if (!folder) throw errors.noSuchMailbox();
  requireRights(target, 'r');
  // RFC 4314 §4: nothing the rights let it change → READ-ONLY.
  if (!canChangeAnything(target.rights)) readOnly = true;
  const displayName = target.shared ? target.displayName : folder.name;
  const view = await SelectedMailbox.open(ctx.deps.store, folder, readOnly, {
    displayName,
    rights: target.rights,
    shared: target.shared,
  });
  if (folder.name === 'INBOX') {
    const shared = target.shared;
    const firstUse = shared !== null && !ctx.delegationUses.has(shared.ownerId);
    const now = ctx.deps.clock.now();
    await ctx.deps.store.write(async (tx) => {
      await recordAccess(tx, {
        accountId: account.id,
        mailboxId: target.ownerId,
        protocol: 'imap',
        kind: 'inbox',
        clientIp: ctx.clientIp,
        at: now,
      });
      if (firstUse)
        await auditDelegationUse(
          tx,
          { id: account.id, label: account.address, sourceIp: ctx.clientIp },
          shared.ownerId,
          'use',
          { mailbox: shared.address, protocol: 'imap', folder: 'INBOX', readOnly },
          now,
        );
    });
    if (firstUse) ctx.delegationUses.add(shared.ownerId);
  }
  const o = { utf8: ctx.utf8 };
  await ctx.untagged([atom('FLAGS'), list(SYSTEM_FLAGS.map(atom))]);
  await ctx.send(
    untaggedStatus('OK', 'Flags permitted', {
      ...o,
      code: { code: 'PERMANENTFLAGS', flags: readOnly ? [] : permanentFlags(target.rights, SYSTEM_FLAGS) },
    }),
  );
  await ctx.untagged([num(view.count), atom('EXISTS')]);
  // RFC 9051 §6.3.2: an IMAP4rev2 server MUST return a LIST response with the mailbox name.
  if (ctx.rev2)
    await ctx.untagged([
      atom('LIST'),
      list(folder.special_use && !target.shared ? [atom(folder.special_use)] : []),
      str('/'),
      mailboxValue(displayName, o),
    ]);
  if (!ctx.rev2) {
    await ctx.untagged([num(0), atom('RECENT')]);
    const first = await ctx.deps.store.db
      .selectFrom('messages')
      .select(sql<number>`min(uid)`.as('uid'))
      .where('folder_id', '=', folder.id)
      .where('seen', '=', 0)
      .executeTakeFirst();
    const seq = first?.uid ? view.seqOf(Number(first.uid)) : 0;
    if (seq > 0)
      await ctx.send(untaggedStatus('OK', 'First unseen', { code: { code: 'UNSEEN', value: seq } }));
  }
  await ctx.send(
    untaggedStatus('OK', 'UIDs valid', { code: { code: 'UIDVALIDITY', value: Number(folder.uid_validity) } }),
  );
  await ctx.send(
    untaggedStatus('OK', 'Predicted next UID', { code: { code: 'UIDNEXT', value: Number(folder.uid_next) } }),
  );
  await ctx.send(
    untaggedStatus('OK', 'Highest', {
      code: { code: 'HIGHESTMODSEQ', value: Number(folder.highest_modseq) },
    }),
  );
  // RFC 8474 §4.1: the mailbox's object id on every SELECT/EXAMINE.
  await ctx.send(untaggedStatus('OK', 'Ok', { code: { code: 'MAILBOXID', id: mailboxId(folder.id) } }));
  if (args.qresync) await resync(ctx, folder, view, args.qresync);
  ctx.transition({ kind: 'selected', account, mailbox: view });
  return {
    status: 'OK',
    text: examine ? 'EXAMINE completed' : 'SELECT completed',
    code: { code: readOnly ? 'READ-ONLY' : 'READ-WRITE' },
  };
}

export const select = defineHandler<SelectCommand>({
  name: 'SELECT',
  states: AUTHENTICATED,
  run: (ctx, cmd) => open(ctx, cmd, false),
});

export const examine = defineHandler<ExamineCommand>({
  name: 'EXAMINE',
  states: AUTHENTICATED,
  run: (ctx, cmd) => open(ctx, cmd, true),
});
