/**
 * congthu report checking: the checking-frequency report (Điều 12) per agency and period, as the
 * operator: a readable table by default, --json, or --csv (a header row, UTF-8 with a BOM, for
 * Excel).
 * congthu report usage: the usage report (Điều 13) per agency and for the province, same outputs.
 */
import {
  complianceCsv,
  missedText,
  usageCsv,
  type CheckingReport,
  type UsageFigures,
  type UsageReport,
} from '../../governance/index.ts';
import { governanceFor } from '../../governance/index.ts';
import type { Command, Io } from '../command.ts';
import { optional, required, UsageError } from '../command.ts';
import { printJson, printTable } from '../output.ts';
import { withSystem } from '../system.ts';

function civilDate(inv: Parameters<Command['run']>[0], name: 'from' | 'to'): string {
  const v = required(inv, name);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v))
    throw new UsageError(
      `--${name} không hợp lệ: "${v}" (định dạng YYYY-MM-DD)`,
      `Invalid --${name}: "${v}" (format YYYY-MM-DD)`,
    );
  return v;
}

const percent = (rate: number | null): string => (rate === null ? '-' : `${(rate * 100).toFixed(1)}%`);

function printReport(io: Io, r: CheckingReport): void {
  io.out(
    `Tần suất kiểm tra hộp thư (Điều 12) / Mailbox checking frequency: ${r.agency ? `${r.agency.name} (${r.agency.code})` : 'toàn tỉnh / whole province'}`,
  );
  io.out(
    `Từ / From ${r.from} đến / to ${r.to}: ${r.workingDays} ngày làm việc / working days; sáng / morning ${r.windows.morning.from}–${r.windows.morning.to}, chiều / afternoon ${r.windows.afternoon.from}–${r.windows.afternoon.to}`,
  );
  io.out('');
  printTable(
    io,
    r.mailboxes.map((m) => ({
      address: m.address,
      kind: m.kind,
      required: m.required,
      met: m.met,
      rate: percent(m.rate),
      below: m.belowRequirement ? 'x' : '',
      missed: missedText(m.missedDays) || null,
    })),
    ['address', 'kind', 'required', 'met', 'rate', 'below', 'missed'],
  );
  io.out('');
  io.out(
    `Hộp thư cơ quan, đơn vị dưới yêu cầu (tỷ lệ < ${percent(r.requiredRate)}) / Agency mailboxes below the requirement: ${r.belowRequirement.length === 0 ? 'không có / none' : r.belowRequirement.join(', ')}`,
  );
}

const mib = (b: number): string => (b / 1_048_576).toFixed(1);

function usageRow(code: string, f: UsageFigures): Record<string, string | number | null> {
  const a = f.accounts;
  const ks = (k: 'personal' | 'agency' | 'sub-unit') => `${a[k].active}/${a[k].suspended}/${a[k].deleted}`;
  return {
    agency: code,
    personal: ks('personal'),
    agencyMailbox: ks('agency'),
    subUnit: ks('sub-unit'),
    storageMiB: `${mib(f.storage.usedBytes)}/${mib(f.storage.quotaBytes)}`,
    sent: f.messages.sent,
    received: f.messages.received,
    requests: `${f.requests.onTime}/${f.requests.late}/${f.requests.openOverdue}`,
    incidents: f.incidents,
    spam: f.spam ?? 'N/A',
    malware: f.malware ?? 'N/A',
  };
}

function printUsage(io: Io, r: UsageReport): void {
  io.out(
    `Báo cáo tình hình sử dụng (Điều 13) / Usage report: ${r.agency ? `${r.agency.name} (${r.agency.code})` : 'toàn tỉnh / whole province'}`,
  );
  io.out(`Từ / From ${r.from} đến / to ${r.to}`);
  io.out(
    'Tài khoản hoạt động/tạm khóa/đã xóa; dung lượng MiB đã dùng/hạn mức; yêu cầu đúng hạn/trễ hạn/quá hạn chưa xử lý\n' +
      'Accounts active/suspended/deleted; storage MiB used/quota; requests on time/late/open overdue',
  );
  io.out('');
  const rows = r.agencies.map((a) => usageRow(a.code, a));
  if (r.province) rows.push(usageRow('TOÀN TỈNH / PROVINCE', r.province));
  printTable(io, rows, [
    'agency',
    'personal',
    'agencyMailbox',
    'subUnit',
    'storageMiB',
    'sent',
    'received',
    'requests',
    'incidents',
    'spam',
    'malware',
  ]);
  io.out('');
  for (const n of r.notes) io.out(n);
}

/** --from, --to, --agency and --csv, shared by the period reports. */
const PERIOD_OPTIONS = {
  agency: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  csv: { type: 'boolean' },
} as const;

function periodQuery(inv: Parameters<Command['run']>[0]): { from: string; to: string; agency?: string } {
  const from = civilDate(inv, 'from');
  const to = civilDate(inv, 'to');
  const agency = optional(inv, 'agency');
  if (inv.json && inv.values.csv === true)
    throw new UsageError('Chỉ chọn một trong --csv, --json.', 'Choose one of --csv and --json.');
  return { from, to, ...(agency !== undefined ? { agency } : {}) };
}

export const reportCommands: Command[] = [
  {
    path: ['report', 'usage'],
    summary: 'Báo cáo tình hình sử dụng (Điều 13) / Usage report per agency and for the province',
    usage: '--from YYYY-MM-DD --to YYYY-MM-DD [--agency MÃ] [--csv]',
    details:
      'Tài khoản theo loại và trạng thái, dung lượng so với hạn mức, thư gửi và nhận, yêu cầu đúng hạn và trễ hạn, sự cố.\n' +
      'Số thư rác, mã độc: chưa có (chưa triển khai lọc thư). Không có --agency: mọi cơ quan và toàn tỉnh.\n' +
      'Accounts by kind and state, storage against quota, mail sent and received, requests on time and late, incidents.\n' +
      'Spam and malware: not available (no filtering yet). Without --agency: every agency and the province.',
    options: PERIOD_OPTIONS,
    async run(inv) {
      const query = periodQuery(inv);
      await withSystem(inv.io, async (sys) => {
        const r = await governanceFor(sys).usage.report(inv.caller, query);
        if (inv.json) return printJson(inv.io, r);
        if (inv.values.csv === true)
          return inv.io.out(usageCsv({ agencies: r.agencies, province: r.province }).replace(/\r\n$/, ''));
        printUsage(inv.io, r);
      });
    },
  },
  {
    path: ['report', 'checking'],
    summary:
      'Báo cáo tần suất kiểm tra hộp thư (Điều 12) / Mailbox checking-frequency report (twice per working day)',
    usage: '--from YYYY-MM-DD --to YYYY-MM-DD [--agency MÃ] [--csv]',
    details:
      'Hộp thư cơ quan, đơn vị: kiểm tra đầu buổi sáng và đầu buổi chiều (cấu hình checking.morning, checking.afternoon);\n' +
      'hộp thư cá nhân: ít nhất 02 lần/ngày làm việc. Không có --agency: toàn tỉnh.\n' +
      'Agency mailboxes: a morning and an afternoon check; personal: twice per working day. Without --agency: the whole province.',
    options: PERIOD_OPTIONS,
    async run(inv) {
      const query = periodQuery(inv);
      await withSystem(inv.io, async (sys) => {
        const r = await governanceFor(sys).checking.report(inv.caller, query);
        if (inv.json) return printJson(inv.io, r);
        if (inv.values.csv === true) return inv.io.out(complianceCsv(r.mailboxes).replace(/\r\n$/, ''));
        printReport(inv.io, r);
      });
    },
  },
];
