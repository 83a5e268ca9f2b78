/**
 * The usage report (Điều 13) as HTML (a standalone page, escaped) and as PDF (pdfkit with DejaVu
 * Sans, as the request letters: every Vietnamese letter embedded with a ToUnicode map). Vietnamese
 * first, then English.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { UsageFigures } from './usage.ts';
import type { UsageReport } from './usage-service.ts';

const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
const MM = 72 / 25.4;

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const mib = (b: number): string => (b / 1_048_576).toFixed(1);
const rate = (r: number | null): string => (r === null ? '-' : `${(r * 100).toFixed(1)}%`);
const na = (v: number | null): string => (v === null ? 'N/A' : String(v));

export const USAGE_COLUMNS: readonly string[] = [
  'Cơ quan / Agency',
  'TK cá nhân HĐ/KH/X / Personal act./susp./del.',
  'TK cơ quan / Agency mailboxes',
  'TK đơn vị / Sub-unit mailboxes',
  'Dung lượng MiB / Storage MiB',
  'Thư gửi / Sent',
  'Thư nhận / Received',
  'YC đúng/trễ/quá hạn / Requests on time/late/overdue',
  'Sự cố / Incidents',
  'Thư rác / Spam',
  'Mã độc / Malware',
];

export function usageCells(label: string, f: UsageFigures): string[] {
  const a = f.accounts;
  const ks = (k: 'personal' | 'agency' | 'sub-unit') => `${a[k].active}/${a[k].suspended}/${a[k].deleted}`;
  return [
    label,
    ks('personal'),
    ks('agency'),
    ks('sub-unit'),
    `${mib(f.storage.usedBytes)} / ${mib(f.storage.quotaBytes)} (${rate(f.storage.usedRate)})`,
    String(f.messages.sent),
    String(f.messages.received),
    `${f.requests.onTime}/${f.requests.late}/${f.requests.openOverdue}`,
    String(f.incidents),
    na(f.spam),
    na(f.malware),
  ];
}

function rows(r: UsageReport): string[][] {
  const out = r.agencies.map((a) => usageCells(`${a.name} (${a.code})`, a));
  if (r.province) out.push(usageCells('Toàn tỉnh / Whole province', r.province));
  return out;
}

export function usageTitle(r: UsageReport): string {
  return `Báo cáo tình hình sử dụng hệ thống thư điện tử (Điều 13) / E-mail usage report — ${
    r.agency ? `${r.agency.name} (${r.agency.code})` : 'toàn tỉnh / whole province'
  }`;
}

export function usageHtml(r: UsageReport): string {
  const head = USAGE_COLUMNS.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = rows(r)
    .map((cells) => `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>${esc(usageTitle(r))}</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style>
</head><body>
<h1>${esc(usageTitle(r))}</h1>
<p>Kỳ báo cáo / Period: ${esc(r.from)} – ${esc(r.to)}. Lập lúc / Generated at: ${esc(r.generatedAt)}</p>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
${r.notes.map((n) => `<p>${esc(n)}</p>`).join('\n')}
</body></html>
`;
}

export function usagePdf(r: UsageReport): Promise<Buffer> {
  const at = new Date(r.generatedAt);
  const margins = { top: 15 * MM, bottom: 15 * MM, left: 15 * MM, right: 15 * MM };
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins,
    info: {
      Title: usageTitle(r),
      Producer: 'Congthu',
      Creator: 'Congthu',
      CreationDate: at,
      ModDate: at,
    },
    lang: 'vi-VN',
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (b: Buffer) => chunks.push(b));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('R', FONT_REGULAR);
  doc.registerFont('B', FONT_BOLD);
  const n = (t: string): string => t.normalize('NFC');
  const left = margins.left;
  const width = doc.page.width - margins.left - margins.right;
  doc
    .font('B')
    .fontSize(12)
    .text(n(usageTitle(r)), left, margins.top, { width, align: 'center' });
  doc
    .font('R')
    .fontSize(9)
    .text(n(`Kỳ báo cáo / Period: ${r.from} – ${r.to}. Lập lúc / Generated at: ${r.generatedAt}`), {
      width,
      align: 'center',
    });
  doc.moveDown();
  const colWidths = [0.17, 0.09, 0.08, 0.08, 0.13, 0.06, 0.07, 0.1, 0.06, 0.08, 0.08].map((w) => w * width);
  const line = (cells: readonly string[], font: 'R' | 'B') => {
    doc.font(font).fontSize(7);
    const heights = cells.map((c, i) => doc.heightOfString(n(c), { width: colWidths[i]! - 4 }));
    const h = Math.max(...heights) + 4;
    if (doc.y + h > doc.page.height - margins.bottom) doc.addPage();
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      doc.rect(x, y, colWidths[i]!, h).stroke();
      doc.text(n(c), x + 2, y + 2, { width: colWidths[i]! - 4 });
      x += colWidths[i]!;
    });
    doc.x = left;
    doc.y = y + h;
  };
  line(USAGE_COLUMNS, 'B');
  for (const cells of rows(r)) line(cells, 'R');
  doc.moveDown();
  doc.font('R').fontSize(8);
  for (const note of r.notes) doc.text(n(note), left, doc.y, { width });
  doc.end();
  return done;
}
