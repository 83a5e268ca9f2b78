/**
 * APPEND (RFC 9051 §6.3.12) with MULTIAPPEND (RFC 3502), literal8 / BINARY (RFC 3516 §4.4),
 * UTF8=ACCEPT (RFC 6855 §4) and UIDPLUS APPENDUID (RFC 4315 §3), through THE one ingest path:
 * OK is sent only when the message is durable (G1).
 *
 * - A missing folder is NO [TRYCREATE]; an empty message NO; APPENDLIMIT is enforced by the codec
 *   (NO [TOOBIG] before any `+`); invalid flags BAD before anything is stored (IMAP-12).
 * - MULTIAPPEND is all or nothing (RFC 3502 §6.3.11): the quota is checked for the sum first, then
 *   every message is stored in one transaction (`ingestAll`): if one fails, none is stored and no
 *   other session ever sees a part of the command.
 */
import { compressNumbers } from '../../../protocol/imap/index.ts';
import type { AppendCommand } from '../../../protocol/imap/index.ts';
import { findFolder, flagString } from '../../../mailbox/index.ts';
import { effectiveQuota } from '../../../directory/index.ts';
import { CongthuError } from '../../../util/errors.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

export const append = defineHandler<AppendCommand>({
  name: 'APPEND',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const account = accountOf(ctx.state)!;
    const { deps } = ctx;
    const folder = await findFolder(deps.store.db, account.id, cmd.mailbox).catch(() => undefined);
    if (!folder) throw errors.tryCreate();
    let total = 0;
    for (const m of cmd.messages) {
      if (m.content.kind !== 'buffered') throw new Error('APPEND literal was streamed; not configured');
      if (m.size === 0) throw errors.emptyMessage();
      if (m.size > ctx.settings.appendLimit) throw errors.tooBig();
      flagString(m.flags); // validates before anything is stored
      total += m.size;
    }
    const row = await deps.store.db
      .selectFrom('accounts')
      .select(['kind', 'quota_bytes', 'used_bytes', 'local_part', 'domain'])
      .where('id', '=', account.id)
      .executeTakeFirstOrThrow();
    if (Number(row.used_bytes) + total > effectiveQuota(row, deps.directorySettings))
      throw new CongthuError('limit', 'mailbox.over-quota', {
        vi: 'Hộp thư đã đầy (vượt dung lượng được cấp, Điều 9.1).',
        en: 'The mailbox is full (over its quota).',
      });
    const delivered = (
      await deps.ingest.ingestAll(
        cmd.messages.map((m) => {
          if (m.content.kind !== 'buffered') throw new Error('APPEND literal was streamed; not configured');
          const bytes = m.content.bytes;
          return {
            content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
            deliveries: [
              {
                accountId: account.id,
                folder: folder.name,
                flags: [...m.flags],
                ...(m.internalDate ? { internalDate: new Date(m.internalDate.epochMs) } : {}),
              },
            ],
            source: 'append' as const,
            quota: 'enforce' as const,
          };
        }),
      )
    ).map((r) => r.delivered[0]!);
    const uidValidity = delivered[0]?.uidValidity ?? Number(folder.uid_validity);
    return ok('APPEND completed', {
      code: 'APPENDUID',
      uidValidity,
      uids: compressNumbers(delivered.map((d) => d.uid)),
    });
  },
});
