/**
 * SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3; RFC 3501 §6.3.1 for IMAP4rev1 clients).
 * Leaving a selected mailbox first says `* OK [CLOSED]` (RFC 9051 §7.1). A failed SELECT leaves the
 * session authenticated. Every SELECT/EXAMINE of INBOX is recorded as an access event (Điều 12).
 * IMAP4rev1 sessions also get `* 0 RECENT` and `OK [UNSEEN n]`; IMAP4rev2 sessions get `* LIST`.
 */
import { sql } from 'kysely';
import { atom, list, mailboxValue, num, str, untaggedStatus } from '../../../protocol/imap/index.ts';
import type { ExamineCommand, SelectCommand } from '../../../protocol/imap/index.ts';
import { findFolder } from '../../../mailbox/index.ts';
import { recordAccess } from '../../../directory/index.ts';
import type { SessionContext } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler, type HandlerResult } from '../handler.ts';
import { SelectedMailbox } from '../selected.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

async function open(ctx: SessionContext, mailbox: string, readOnly: boolean): Promise<HandlerResult> {
  const account = accountOf(ctx.state)!;
  if (ctx.state.kind === 'selected') {
    ctx.transition({ kind: 'authenticated', account });
    await ctx.send(untaggedStatus('OK', 'Previous mailbox closed', { code: { code: 'CLOSED' } }));
  }
  const folder = await findFolder(ctx.deps.store.db, account.id, mailbox).catch(() => undefined);
  if (!folder) throw errors.noSuchMailbox();
  const view = await SelectedMailbox.open(ctx.deps.store, folder, readOnly);
  if (folder.name === 'INBOX') {
    await ctx.deps.store.write((tx) =>
      recordAccess(tx, {
        accountId: account.id,
        mailboxId: account.id,
        protocol: 'imap',
        kind: 'inbox',
        clientIp: ctx.clientIp,
        at: ctx.deps.clock.now(),
      }),
    );
  }
  const o = { utf8: ctx.utf8 };
  await ctx.untagged([atom('FLAGS'), list(SYSTEM_FLAGS.map(atom))]);
  await ctx.send(
    untaggedStatus('OK', 'Flags permitted', {
      ...o,
      code: { code: 'PERMANENTFLAGS', flags: readOnly ? [] : [...SYSTEM_FLAGS, '\\*'] },
    }),
  );
  await ctx.untagged([num(view.count), atom('EXISTS')]);
  // RFC 9051 §6.3.2: an IMAP4rev2 server MUST return a LIST response with the mailbox name.
  if (ctx.rev2)
    await ctx.untagged([
      atom('LIST'),
      list(folder.special_use ? [atom(folder.special_use)] : []),
      str('/'),
      mailboxValue(folder.name, o),
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
  ctx.transition({ kind: 'selected', account, mailbox: view });
  return {
    status: 'OK',
    text: readOnly ? 'EXAMINE completed' : 'SELECT completed',
    code: { code: readOnly ? 'READ-ONLY' : 'READ-WRITE' },
  };
}

export const select = defineHandler<SelectCommand>({
  name: 'SELECT',
  states: AUTHENTICATED,
  run: (ctx, cmd) => open(ctx, cmd.mailbox, false),
});

export const examine = defineHandler<ExamineCommand>({
  name: 'EXAMINE',
  states: AUTHENTICATED,
  run: (ctx, cmd) => open(ctx, cmd.mailbox, true),
});
