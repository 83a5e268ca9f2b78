/**
 * APPEND (RFC 9051 §6.3.12) with MULTIAPPEND (RFC 3502), literal8 / BINARY (RFC 3516 §4.4),
 * UTF8=ACCEPT (RFC 6855 §4) and UIDPLUS APPENDUID (RFC 4315 §3), through THE one ingest path:
 * OK is sent only when the message is durable (G1).
 *
 * - A missing folder is NO [TRYCREATE]; an empty message NO; APPENDLIMIT is enforced by the codec
 *   (NO [TOOBIG] before any `+`); invalid flags BAD before anything is stored (IMAP-12).
 * - MULTIAPPEND is all or nothing: the quota is checked for the sum first, then the messages are
 *   ingested in order; if one fails, those already stored are expunged again before the NO.
 *   (Each ingest is its own transaction, so another session may briefly see them: documented.)
 * - Into a delegated mailbox (Điều 10.1) it needs the right "i" (RFC 4314 §4), counts against that
 *   mailbox's quota, and keeps only the flags the rights allow (s: \Seen, t: \Deleted, w: others).
 */
import { compressNumbers } from '../../../protocol/imap/index.ts';
import type { AppendCommand } from '../../../protocol/imap/index.ts';
import { expunge, findFolder, flagString, storeFlags, type Delivered } from '../../../mailbox/index.ts';
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
    const delivered: Delivered[] = [];
    try {
      for (const m of cmd.messages) {
        if (m.content.kind !== 'buffered') continue;
        const r = await deps.ingest.ingest({
          content: Buffer.from(
            m.content.bytes.buffer,
            m.content.bytes.byteOffset,
            m.content.bytes.byteLength,
          ),
          deliveries: [
            {
              accountId: owner.id,
              folder: folder.name,
              flags: m.flags.filter(allowed),
              ...(m.internalDate ? { internalDate: new Date(m.internalDate.epochMs) } : {}),
            },
          ],
          source: 'append',
          quota: 'enforce',
        });
        delivered.push(r.delivered[0]!);
      }
    } catch (e) {
      if (delivered.length > 0) {
        // RFC 3502: all or none. Take back what was stored.
        const uids = delivered.map((d) => d.uid);
        const fresh = (await findFolder(deps.store.db, owner.id, folder.name)) ?? folder;
        await storeFlags(deps, fresh, uids, 'add', ['\\Deleted']);
        await expunge(deps, fresh, uids);
      }
      throw e;
    }
    const uidValidity = delivered[0]?.uidValidity ?? Number(folder.uid_validity);
    return ok('APPEND completed', {
      code: 'APPENDUID',
      uidValidity,
      uids: compressNumbers(delivered.map((d) => d.uid)),
    });
  },
});
