/**
 * congthu request file|list|show|review|approve|reject|withdraw|letter|basis|sweep: mailbox
 * requests (Điều 7.2, 8.3) at the command line. The CLI acts as the operator: `request file`
 * registers a request the agency sent on paper or by official mail (the scanned document is the
 * evidence), for any agency; agency administrators file their own through the REST API.
 */
import { readFile, writeFile } from 'node:fs/promises';
import {
  DELETE_REASONS,
  governanceFor,
  REQUEST_KINDS,
  REQUEST_STATES,
  type RequestView,
} from '../../governance/index.ts';
import type { Command, Invocation, Io } from '../command.ts';
import { optional, required, UsageError } from '../command.ts';
import { parseSize, printJson, printRecord, printTable } from '../output.ts';
import { withSystem } from '../system.ts';

function daysText(r: RequestView): string {
  if (r.daysLeft === null) return r.decidedLate ? 'trễ hạn / late' : '-';
  if (r.overdue) return `quá hạn ${-r.daysLeft} / overdue ${-r.daysLeft}`;
  return String(r.daysLeft);
}

function printRequest(io: Io, r: RequestView): void {
  printRecord(io, {
    'Mã / Ref': r.ref,
    'Loại / Kind': r.kind,
    'Nội dung / Summary': r.summary.vi,
    'Cơ quan / Agency': r.agency ? `${r.agency.code} (${r.agency.name})` : null,
    'Hộp thư / Mailbox': r.target,
    'Căn cứ / Legal basis': `${r.basis.number}, ${r.basis.date}, ${r.basis.issuer}`,
    'Bản quét / Scan': `${r.basis.type}, ${r.basis.size} B${r.basis.filename ? `, ${r.basis.filename}` : ''}`,
    'Trạng thái / State': `${r.stateText.vi} / ${r.state}`,
    'Tiếp nhận / Received': `${r.receivedOn} (${r.filedBy})`,
    'Hạn trả lời / Deadline': r.deadline,
    'Còn (ngày làm việc) / Working days left': daysText(r),
    'Người xử lý / Reviewed by': r.reviewedBy,
    'Quyết định / Decided': r.decidedAt ? `${r.decidedAt} (${r.decidedBy ?? ''})` : null,
    'Lý do / Reason': r.decisionReason,
    'Văn bản trả lời / Reply letter': r.letter
      ? `${r.letter.number}${r.letter.delivered ? '' : ' (chưa gửi / not yet mailed)'}`
      : null,
    'Kết quả / Result': r.result ? JSON.stringify(r.result) : null,
  });
}

function one(inv: Invocation, r: RequestView): void {
  if (inv.json) printJson(inv.io, r);
  else printRequest(inv.io, r);
}

function detailsFrom(inv: Invocation, kind: string): Record<string, unknown> {
  const v = (name: string): string | undefined => optional(inv, name);
  const list = (name: string): string[] | undefined => {
    const x = inv.values[name];
    return Array.isArray(x) && x.length ? x : undefined;
  };
  const pick = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
  switch (kind) {
    case 'create-personal':
      return pick({ name: v('name'), org: v('org'), title: v('title'), personId: v('person-id') });
    case 'create-sub-unit':
      return pick({ code: v('code'), name: v('name') });
    case 'create-agency':
      return pick({ code: v('code'), name: v('name'), category: v('category'), contact: v('contact') });
    case 'change': {
      const quota = v('quota');
      let quotaBytes: number | null | undefined;
      if (quota !== undefined) {
        quotaBytes = parseSize(quota);
        if (quotaBytes !== null && !Number.isFinite(quotaBytes))
          throw new UsageError(
            `--quota không hợp lệ: "${quota}" (ví dụ 5GB, default)`,
            `Invalid --quota: "${quota}" (e.g. 5GB, default)`,
          );
      }
      return pick({
        address: v('address'),
        name: v('name'),
        title: v('title'),
        transferTo: v('transfer-to'),
        quotaBytes,
        addAliases: list('add-alias'),
        removeAliases: list('remove-alias'),
      });
    }
    case 'delete':
      return pick({ address: v('address'), reason: v('reason') });
    case 'restore':
      return pick({ address: v('address') });
    default:
      throw new UsageError(
        `--kind không hợp lệ: "${kind}"; chọn: ${REQUEST_KINDS.join(', ')}`,
        `Invalid --kind: "${kind}"; use: ${REQUEST_KINDS.join(', ')}`,
      );
  }
}

const transition = (word: 'review' | 'approve', summary: string): Command => ({
  path: ['request', word],
  summary,
  usage: 'ID',
  positionals: 1,
  async run(inv) {
    await withSystem(inv.io, async (sys) => {
      const g = governanceFor(sys).requests;
      one(inv, await g[word](inv.caller, inv.positionals[0]!));
    });
  },
});

export const requestCommands: Command[] = [
  {
    path: ['request', 'file'],
    summary:
      'Tiếp nhận đề nghị cấp mới, thay đổi, xóa, khôi phục hộp thư (Điều 7.2.a, 8.3.a) / Register a mailbox request',
    usage:
      '--kind KIND [--agency CODE] [fields] --basis-number SỐ --basis-date YYYY-MM-DD --basis-issuer "CƠ QUAN" --basis-file PATH',
    details: [
      `KIND: ${REQUEST_KINDS.join(', ')}.`,
      'create-personal: --name "HỌ TÊN" [--org ĐƠN-VỊ] [--title T] [--person-id ID]',
      'create-sub-unit: --code VIẾT-TẮT --name "TÊN"',
      'create-agency (không có --agency / no --agency): --code --name [--category C] --contact ĐỊA-CHỈ',
      'change: --address A [--name] [--title] [--transfer-to CODE] [--quota 5GB|default] [--add-alias A]… [--remove-alias A]…',
      `delete: --address A --reason ${DELETE_REASONS.join('|')}`,
      'restore: --address A',
      'Hạn trả lời: 05 ngày làm việc (khôi phục: 03) / deadline: 5 working days (restore: 3).',
      'Bản quét: PDF, JPEG hoặc PNG / the scan: PDF, JPEG or PNG.',
    ].join('\n'),
    options: {
      kind: { type: 'string' },
      agency: { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string' },
      title: { type: 'string' },
      'person-id': { type: 'string' },
      code: { type: 'string' },
      category: { type: 'string' },
      contact: { type: 'string' },
      address: { type: 'string' },
      'transfer-to': { type: 'string' },
      quota: { type: 'string' },
      'add-alias': { type: 'string', multiple: true },
      'remove-alias': { type: 'string', multiple: true },
      reason: { type: 'string' },
      'basis-number': { type: 'string' },
      'basis-date': { type: 'string' },
      'basis-issuer': { type: 'string' },
      'basis-file': { type: 'string' },
    },
    async run(inv) {
      const kind = required(inv, 'kind');
      const details = detailsFrom(inv, kind);
      const path = required(inv, 'basis-file');
      const basis = {
        number: required(inv, 'basis-number'),
        date: required(inv, 'basis-date'),
        issuer: required(inv, 'basis-issuer'),
      };
      let content: Buffer;
      try {
        content = await readFile(path);
      } catch (e) {
        throw new UsageError(
          `Không đọc được tệp ${path}: ${(e as Error).message}`,
          `Cannot read ${path}: ${(e as Error).message}`,
        );
      }
      const agency = optional(inv, 'agency');
      await withSystem(inv.io, async (sys) => {
        const r = await governanceFor(sys).requests.file(inv.caller, {
          ...(agency ? { agency } : {}),
          kind,
          details,
          basis,
          file: { content, filename: path },
        });
        one(inv, r);
      });
    },
  },
  {
    path: ['request', 'list'],
    summary:
      'Danh sách đề nghị với hạn và số ngày làm việc còn lại / List requests with deadlines and working days left',
    usage: '[--agency CODE] [--state STATE] [--overdue]',
    details: `STATE: ${REQUEST_STATES.join(', ')}.`,
    options: { agency: { type: 'string' }, state: { type: 'string' }, overdue: { type: 'boolean' } },
    async run(inv) {
      const agency = optional(inv, 'agency');
      const state = optional(inv, 'state');
      if (state !== undefined && !(REQUEST_STATES as readonly string[]).includes(state))
        throw new UsageError(
          `--state không hợp lệ: "${state}"; chọn: ${REQUEST_STATES.join(', ')}`,
          `Invalid --state: "${state}"; use: ${REQUEST_STATES.join(', ')}`,
        );
      await withSystem(inv.io, async (sys) => {
        const list = await governanceFor(sys).requests.list(inv.caller, {
          ...(agency ? { agency } : {}),
          ...(state ? { state } : {}),
          ...(inv.values.overdue === true ? { overdue: true } : {}),
        });
        if (inv.json) return printJson(inv.io, list);
        printTable(
          inv.io,
          list.map((r) => ({
            ref: r.ref,
            kind: r.kind,
            agency: r.agency?.code ?? null,
            mailbox: r.target,
            state: r.state,
            deadline: r.deadline,
            daysLeft: daysText(r),
            letter: r.letter?.number ?? null,
          })),
          ['ref', 'kind', 'agency', 'mailbox', 'state', 'deadline', 'daysLeft', 'letter'],
        );
      });
    },
  },
  {
    path: ['request', 'show'],
    summary: 'Một đề nghị / One request',
    usage: 'ID',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        one(inv, await governanceFor(sys).requests.show(inv.caller, inv.positionals[0]!));
      });
    },
  },
  transition('review', 'Nhận xử lý đề nghị (Điều 7.2.b) / Take a request in review'),
  transition(
    'approve',
    'Chấp thuận, thực hiện, gửi văn bản trả lời có số (Điều 7.2.b, 8.3.b) / Approve, execute, send the numbered reply',
  ),
  {
    path: ['request', 'reject'],
    summary: 'Từ chối đề nghị, gửi văn bản trả lời có lý do / Reject, send the reply with the reason',
    usage: 'ID --reason "LÝ DO"',
    positionals: 1,
    options: { reason: { type: 'string' } },
    async run(inv) {
      const reason = required(inv, 'reason');
      await withSystem(inv.io, async (sys) => {
        one(inv, await governanceFor(sys).requests.reject(inv.caller, inv.positionals[0]!, reason));
      });
    },
  },
  {
    path: ['request', 'withdraw'],
    summary: 'Rút đề nghị chưa được quyết định / Withdraw an open request',
    usage: 'ID [--reason "LÝ DO"]',
    positionals: 1,
    options: { reason: { type: 'string' } },
    async run(inv) {
      const reason = optional(inv, 'reason');
      await withSystem(inv.io, async (sys) => {
        one(inv, await governanceFor(sys).requests.withdraw(inv.caller, inv.positionals[0]!, reason));
      });
    },
  },
  {
    path: ['request', 'letter'],
    summary: 'Tải văn bản trả lời (HTML hoặc PDF) / Download the reply letter (HTML or PDF)',
    usage: 'ID [--format html|pdf] [--out FILE]',
    details:
      'Không có --out: HTML ra màn hình; PDF cần --out / without --out HTML goes to stdout; PDF needs --out.',
    positionals: 1,
    options: { format: { type: 'string' }, out: { type: 'string' } },
    async run(inv) {
      const format = optional(inv, 'format') ?? 'html';
      const out = optional(inv, 'out');
      if (format !== 'html' && format !== 'pdf')
        throw new UsageError(`--format phải là html hoặc pdf`, `--format must be html or pdf`);
      if (format === 'pdf' && !out) throw new UsageError('PDF cần --out TỆP', 'PDF needs --out FILE');
      await withSystem(inv.io, async (sys) => {
        const g = governanceFor(sys).requests;
        const id = inv.positionals[0]!;
        const { number, bytes } =
          format === 'pdf'
            ? await g.letterPdf(inv.caller, id).then((l) => ({ number: l.number, bytes: l.pdf }))
            : await g.letter(inv.caller, id).then((l) => ({ number: l.number, bytes: Buffer.from(l.html) }));
        if (!out) return inv.io.out(bytes.toString('utf8'));
        await writeFile(out, bytes);
        if (inv.json) return printJson(inv.io, { number, format, out, bytes: bytes.length });
        inv.io.out(`Văn bản số ${number} / Letter ${number}: ${out} (${bytes.length} B)`);
      });
    },
  },
  {
    path: ['request', 'basis'],
    summary: 'Tải bản quét văn bản căn cứ / Download the scanned legal basis',
    usage: 'ID --out FILE',
    positionals: 1,
    options: { out: { type: 'string' } },
    async run(inv) {
      const out = required(inv, 'out');
      await withSystem(inv.io, async (sys) => {
        const f = await governanceFor(sys).requests.basisFile(inv.caller, inv.positionals[0]!);
        await writeFile(out, f.content);
        if (inv.json) return printJson(inv.io, { out, type: f.type, bytes: f.content.length });
        inv.io.out(`${out}: ${f.type}, ${f.content.length} B`);
      });
    },
  },
  {
    path: ['account', 'activation'],
    summary:
      'Gửi lại đường dẫn kích hoạt (72 giờ) cho hộp thư chưa có mật khẩu / Send a new activation link (72 hours) for a mailbox without a password',
    usage: 'ADDRESS',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const r = await governanceFor(sys).activations.reissue(inv.caller, inv.positionals[0]!);
        if (inv.json) return printJson(inv.io, r);
        printRecord(inv.io, {
          'Hộp thư / Mailbox': r.address,
          'Gửi tới / Sent to': r.recipients,
          'Hết hạn / Expires': r.expiresAt,
        });
      });
    },
  },
  {
    path: ['request', 'sweep'],
    summary:
      'Nhắc hạn, báo quá hạn, gửi lại thư chưa gửi (chạy hằng ngày cùng tác vụ vòng đời) / Reminders, overdue alerts, pending mail',
    usage: '',
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const r = await governanceFor(sys).requests.sweep(inv.caller);
        if (inv.json) return printJson(inv.io, r);
        printRecord(inv.io, {
          'Nhắc hạn / Reminders': r.reminders,
          'Quá hạn / Overdue': r.overdue,
          'Văn bản gửi lại / Letters delivered': r.lettersDelivered,
          'Đường dẫn kích hoạt gửi lại / Activation links re-sent': r.activationsResent,
        });
      });
    },
  },
];
