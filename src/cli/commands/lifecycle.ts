/**
 * congthu lifecycle run|exempt|exemptions, account compromised|restore-compromised: the mailbox
 * lifecycle rules (Điều 5.1, 7.3, 8.2) at the command line, as the operator.
 */
import { governanceFor, type LifecycleReport } from '../../governance/index.ts';
import type { Command, Io } from '../command.ts';
import { optional, required, UsageError } from '../command.ts';
import { printJson, printRecord, printTable } from '../output.ts';
import { withSystem } from '../system.ts';

function parseNow(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text);
  const d = new Date(/T/.test(text) ? text : `${text}T00:00:00+07:00`);
  if (!ok || !Number.isFinite(d.getTime()))
    throw new UsageError(
      `--now không hợp lệ: "${text}" (ví dụ 2026-05-01T09:00:00+07:00)`,
      `Invalid --now: "${text}" (e.g. 2026-05-01T09:00:00+07:00)`,
    );
  return d;
}

function printReport(io: Io, r: LifecycleReport): void {
  io.out(
    `${r.dryRun ? 'Chạy thử, không thay đổi gì / Dry run, nothing changed' : 'Đã chạy / Done'}: ${r.now}`,
  );
  printTable(
    io,
    r.actions.map((a) => ({
      address: a.address,
      action: a.action,
      legalBasis: a.legalBasis,
      notice: a.notice ?? null,
    })),
    ['address', 'action', 'legalBasis', 'notice'],
  );
}

export const lifecycleCommands: Command[] = [
  {
    path: ['lifecycle', 'run'],
    summary:
      'Chạy quy tắc vòng đời hộp thư (không truy cập, mật khẩu) / Run the mailbox lifecycle rules (inactivity, passwords)',
    usage: '[--dry-run] [--now ISO-TIME]',
    details:
      'Điều 8.2.a: tạm khóa sau 03 tháng không truy cập; Điều 7.3: thông báo và xóa sau 06 tháng; Điều 5.1: nhắc đổi mật khẩu.\n--now chỉ dùng với --dry-run khi là thời điểm tương lai / a future --now needs --dry-run.',
    options: { 'dry-run': { type: 'boolean' }, now: { type: 'string' } },
    async run(inv) {
      const now = parseNow(optional(inv, 'now'));
      await withSystem(inv.io, async (sys) => {
        const r = await governanceFor(sys).lifecycle.run(inv.caller, {
          dryRun: inv.values['dry-run'] === true,
          ...(now ? { now } : {}),
        });
        if (inv.json) return printJson(inv.io, r);
        printReport(inv.io, r);
      });
    },
  },
  {
    path: ['lifecycle', 'exempt'],
    summary:
      'Ghi lý do không hoạt động, tạm dừng tính thời gian (Điều 7.3, 8.2.a) / State a reason for inactivity (pauses the clock)',
    usage: 'ADDRESS --reason "LÝ DO" --until YYYY-MM-DD [--from YYYY-MM-DD] [--basis "CĂN CỨ"]',
    positionals: 1,
    options: {
      reason: { type: 'string' },
      until: { type: 'string' },
      from: { type: 'string' },
      basis: { type: 'string' },
    },
    async run(inv) {
      const reason = required(inv, 'reason');
      const until = required(inv, 'until');
      const from = optional(inv, 'from');
      const basis = optional(inv, 'basis');
      await withSystem(inv.io, async (sys) => {
        const e = await governanceFor(sys).exemptions.file(inv.caller, inv.positionals[0]!, {
          reason,
          until,
          ...(from !== undefined ? { from } : {}),
          ...(basis !== undefined ? { basis } : {}),
        });
        if (inv.json) return printJson(inv.io, e);
        printRecord(inv.io, {
          'Hộp thư / Mailbox': e.address,
          'Lý do / Reason': e.reason,
          'Từ ngày / From': e.from,
          'Đến ngày / Until': e.until,
          'Căn cứ / Basis': e.basis,
        });
      });
    },
  },
  {
    path: ['lifecycle', 'exemptions'],
    summary: 'Các miễn trừ của một hộp thư / The exemptions of a mailbox',
    usage: 'ADDRESS',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const list = await governanceFor(sys).exemptions.list(inv.caller, inv.positionals[0]!);
        if (inv.json) return printJson(inv.io, list);
        printTable(inv.io, list as unknown as Array<Record<string, unknown>>, [
          'from',
          'until',
          'reason',
          'filedBy',
        ]);
      });
    },
  },
  {
    path: ['account', 'compromised'],
    summary:
      'Tạm khóa ngay hộp thư bị chiếm dụng, lộ mật khẩu (Điều 8.2.b) / Suspend a compromised mailbox at once',
    usage: 'ADDRESS',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const r = await governanceFor(sys).compromise.report(inv.caller, inv.positionals[0]!);
        if (inv.json) return printJson(inv.io, r);
        printRecord(inv.io, {
          'Hộp thư / Mailbox': r.address,
          'Trạng thái / State': r.state,
          'Căn cứ / Legal basis': r.legalBasis,
          'Thông báo số / Notice': r.notice,
        });
      });
    },
  },
  {
    path: ['account', 'restore-compromised'],
    summary:
      'Khôi phục hộp thư bị lộ mật khẩu với mật khẩu mặc định mới (Điều 8.3) / Restore a compromised mailbox with a new default password',
    usage: 'ADDRESS [--basis "CĂN CỨ"]',
    positionals: 1,
    options: { basis: { type: 'string' } },
    async run(inv) {
      const basis = optional(inv, 'basis');
      await withSystem(inv.io, async (sys) => {
        const r = await governanceFor(sys).compromise.restoreAfterCompromise(
          inv.caller,
          inv.positionals[0]!,
          basis !== undefined ? { basis } : {},
        );
        if (inv.json)
          return printJson(inv.io, { address: r.account.address, oneTimePassword: r.oneTimePassword });
        inv.io.out(`Đã khôi phục / Restored: ${r.account.address}`);
        inv.io.out(`Mật khẩu dùng một lần / One-time password: ${r.oneTimePassword}`);
        inv.io.out('(chỉ hiện một lần; phải đổi khi đăng nhập / shown once; must be changed at sign-in)');
      });
    },
  },
];
