/** congthu queue list|retry|drop: the outbound queue (mail waiting for other domains). */
import { dropQueued, listQueue, retryQueued } from '../../queue/index.ts';
import type { Command } from '../command.ts';
import { optional } from '../command.ts';
import { printJson, printRecord, printTable } from '../output.ts';
import { withSystem } from '../system.ts';

export const queueCommands: Command[] = [
  {
    path: ['queue', 'list'],
    summary: 'Thư đang chờ gửi ra ngoài / Mail waiting for delivery to other domains',
    usage: '',
    details:
      'Trạng thái / States: queued (chờ gửi / waiting), deferred (lỗi tạm thời, sẽ thử lại / temporary failure, will retry),\ndelivered, failed (đã báo lại người gửi / the sender was told).',
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const rows = await listQueue(sys.store.db, inv.caller);
        if (inv.json) return printJson(inv.io, rows);
        printTable(
          inv.io,
          rows.flatMap((m) =>
            m.recipients.map((r) => ({
              id: m.id,
              created: m.createdAt,
              from: m.mailFrom || '<>',
              to: r.address,
              state: r.state,
              attempts: r.attempts,
              next: r.nextAttemptAt,
              reply: r.lastReply ? r.lastReply.slice(0, 60) : null,
            })),
          ),
          ['id', 'created', 'from', 'to', 'state', 'attempts', 'next', 'reply'],
        );
      });
    },
  },
  {
    path: ['queue', 'retry'],
    summary: 'Gửi lại ngay một thư đang chờ / Retry a queued message now',
    usage: 'ID',
    positionals: 1,
    details: 'Máy chủ đang chạy sẽ gửi ở lượt kế tiếp / A running server sends it on its next pass.',
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const id = inv.positionals[0]!;
        const r = await retryQueued(sys.store, sys.clock, inv.caller, id);
        if (inv.json) return printJson(inv.io, { id, ...r });
        printRecord(inv.io, {
          'Mã thư / Queue ID': id,
          'Người nhận sẽ gửi lại / Recipients to retry': r.recipients,
        });
      });
    },
  },
  {
    path: ['queue', 'drop'],
    summary: 'Xóa một thư khỏi hàng đợi, không báo người gửi / Remove a message from the queue (no DSN)',
    usage: 'ID [--reason TEXT]',
    positionals: 1,
    options: { reason: { type: 'string' } },
    details: 'Việc xóa được ghi vào nhật ký kiểm tra / The removal is recorded in the audit log.',
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const r = await dropQueued(
          sys.store,
          sys.clock,
          inv.caller,
          inv.positionals[0]!,
          optional(inv, 'reason'),
        );
        if (inv.json) return printJson(inv.io, { dropped: r.id, recipients: r.recipients });
        printRecord(inv.io, { 'Đã xóa / Dropped': r.id, 'Người nhận / Recipients': r.recipients });
      });
    },
  },
];
