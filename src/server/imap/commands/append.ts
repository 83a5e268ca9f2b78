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
 * - Into a delegated mailbox (Điều 10.1) it needs the right "i" (RFC 4314 §4), counts against that
 *   mailbox's quota, and keeps only the flags the rights allow (s: \Seen, t: \Deleted, w: others).
 */
import { compressNumbers } from '../../../protocol/imap/index.ts';
import type { AppendCommand } from '../../../protocol/imap/index.ts';
import { flagString } from '../../../mailbox/index.ts';
import { folderOf, requireRights, resolveTarget } from '../access.ts';
import { effectiveQuota } from '../../../directory/index.ts';
import { CongthuError } from '../../../util/errors.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

export const append = defineHandler<AppendCommand>({
  name: 'APPEND',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    const { deps } = ctx;
    const target = await resolveTarget(ctx, cmd.mailbox);
    const folder = await folderOf(ctx, target);
    if (!folder) throw errors.tryCreate();
    requireRights(target, 'i');
    const owner = { id: target.ownerId };
    const allowed = (flag: string): boolean =>
      flag === '\\Seen'
        ? target.rights.includes('s')
        : flag === '\\Deleted'
          ? target.rights.includes('t')
          : target.rights.includes('w');
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
      .where('id', '=', owner.id)
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
                accountId: owner.id,
                folder: folder.name,
                flags: m.flags.filter(allowed),
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
