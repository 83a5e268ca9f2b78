/**
 * congthu incident list|show|contain|assess|close|grant-content: classified-document incidents
 * (Điều 10.4, 11.3) at the command line, as the operator. Reports come from the mailbox holders
 * through the REST API (POST /api/v1/incidents); the content is read through the API, audited.
 */
import { governanceFor, INCIDENT_STATES, type IncidentDetail } from '../../governance/index.ts';
import type { Command, Invocation, Io } from '../command.ts';
import { optional, required, UsageError } from '../command.ts';
import { printJson, printRecord, printTable } from '../output.ts';
import { withSystem } from '../system.ts';

function printIncident(io: Io, r: IncidentDetail): void {
  printRecord(io, {
    'Mã / Number': r.number,
    'Trạng thái / State': `${r.stateVi} / ${r.state}`,
    'Cơ quan / Agency': r.agency ? `${r.agency.code} (${r.agency.name})` : null,
    'Người báo cáo / Reported by': `${r.reportedBy}, ${r.reportedAt}`,
    'Nơi phát hiện / Found in': `${r.foundIn.mailbox} ${r.foundIn.folder} UID ${r.foundIn.uid}`,
    'Message-ID': r.message.messageId,
    'Người gửi / Sender': r.message.sender,
    'SHA-256': r.message.sha256,
    'Ghi chú / Note': r.note,
    'Cách ly / Contained': r.containedAt,
    'Đánh giá / Assessment': r.assessment,
    'Đóng / Closed': r.closedAt,
    'Chứng cứ / Evidence': `${r.evidence.copies} bản sao / copies, ${r.evidence.mailboxes} hộp thư / mailboxes`,
    'Chuỗi lưu giữ / Custody chain': r.chainIntact ? 'toàn vẹn / intact' : 'BỊ PHÁ VỠ / BROKEN',
    'Được đọc nội dung / Content grants': r.contentGrants.map((g) => g.auditor),
  });
  io.out('');
  for (const b of r.evidence.blobs) io.out(`  ${b.sha256}  ${b.size} B  × ${b.copies}`);
  io.out('');
  for (const e of r.timeline) io.out(`  ${e.seq}. ${e.at}  ${e.kind}  ${e.actor}`);
}

function one(inv: Invocation, r: IncidentDetail): void {
  if (inv.json) printJson(inv.io, r);
  else printIncident(inv.io, r);
}

export const incidentCommands: Command[] = [
  {
    path: ['incident', 'list'],
    summary: 'Danh sách sự cố tài liệu mật (Điều 10.4, 11.3) / List classified-document incidents',
    usage: '[--agency CODE] [--state STATE]',
    details: `STATE: ${INCIDENT_STATES.join(', ')}.`,
    options: { agency: { type: 'string' }, state: { type: 'string' } },
    async run(inv) {
      const agency = optional(inv, 'agency');
      const state = optional(inv, 'state');
      if (state !== undefined && !(INCIDENT_STATES as readonly string[]).includes(state))
        throw new UsageError(
          `--state không hợp lệ: "${state}"; chọn: ${INCIDENT_STATES.join(', ')}`,
          `Invalid --state: "${state}"; use: ${INCIDENT_STATES.join(', ')}`,
        );
      await withSystem(inv.io, async (sys) => {
        const list = await governanceFor(sys).incidents.list(inv.caller, {
          ...(agency ? { agency } : {}),
          ...(state ? { state } : {}),
        });
        if (inv.json) return printJson(inv.io, list);
        printTable(
          inv.io,
          list.map((r) => ({
            number: r.number,
            state: r.state,
            agency: r.agency?.code ?? null,
            mailbox: r.foundIn.mailbox,
            sender: r.message.sender,
            reportedAt: r.reportedAt,
          })),
          ['number', 'state', 'agency', 'mailbox', 'sender', 'reportedAt'],
        );
      });
    },
  },
  {
    path: ['incident', 'show'],
    summary:
      'Một sự cố: diễn biến, chứng cứ (không có nội dung thư) / One incident: timeline, evidence (no content)',
    usage: 'NUMBER',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        one(inv, await governanceFor(sys).incidents.show(inv.caller, inv.positionals[0]!));
      });
    },
  },
  {
    path: ['incident', 'contain'],
    summary:
      'Cách ly: gỡ mọi bản sao khỏi mọi hộp thư, lưu làm chứng cứ / Contain: remove every copy into the quarantine',
    usage: 'NUMBER',
    details:
      'Chạy lại được: chỉ cách ly thêm các bản đến sau / safe to repeat: only copies delivered since are added.',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        one(inv, await governanceFor(sys).incidents.contain(inv.caller, inv.positionals[0]!));
      });
    },
  },
  {
    path: ['incident', 'assess'],
    summary: 'Ghi kết quả đánh giá mức độ lộ, lọt / Record the assessment of the leak',
    usage: 'NUMBER --text "ĐÁNH GIÁ"',
    positionals: 1,
    options: { text: { type: 'string' } },
    async run(inv) {
      const text = required(inv, 'text');
      await withSystem(inv.io, async (sys) => {
        one(inv, await governanceFor(sys).incidents.assess(inv.caller, inv.positionals[0]!, text));
      });
    },
  },
  {
    path: ['incident', 'close'],
    summary: 'Đóng sự cố đã đánh giá / Close an assessed incident',
    usage: 'NUMBER [--note "GHI CHÚ"]',
    positionals: 1,
    options: { note: { type: 'string' } },
    async run(inv) {
      const note = optional(inv, 'note');
      await withSystem(inv.io, async (sys) => {
        one(inv, await governanceFor(sys).incidents.close(inv.caller, inv.positionals[0]!, note));
      });
    },
  },
  {
    path: ['incident', 'grant-content'],
    summary:
      'Cho phép cán bộ kiểm tra an ninh đọc nội dung thư của sự cố / Let a security auditor read the content',
    usage: 'NUMBER --auditor ADDRESS',
    positionals: 1,
    options: { auditor: { type: 'string' } },
    async run(inv) {
      const auditor = required(inv, 'auditor');
      await withSystem(inv.io, async (sys) => {
        one(inv, await governanceFor(sys).incidents.grantContent(inv.caller, inv.positionals[0]!, auditor));
      });
    },
  },
];
