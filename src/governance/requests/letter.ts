/**
 * The written reply to a request (Điều 7.2.b "gửi văn bản trả lời"), in the layout of Vietnamese
 * administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I): the issuing body with the number
 * ("Số: 15/SKHCN-TTCNTT") and the summary ("V/v …") on the left; the national motto ("CỘNG HÒA
 * XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc") and "Quảng Trị, ngày … tháng … năm …"
 * on the right; "Kính gửi: …"; the body; "Nơi nhận" and the signer's block. An English translation
 * for reference follows.
 *
 * The content is built once, at the decision, and stored as JSON with the letter's number; the
 * HTML (here) and the PDF (letter-pdf.ts) are rendered from it, so both always say the same.
 * The HTML is standalone (no external resources), escaped, and prints on A4.
 */
import type { Bilingual } from '../../util/errors.ts';
import { placeAndDate } from '../notices.ts';
import { vnDate } from '../lifecycle-dates.ts';

export interface LetterContent {
  number: string;
  /** YYYY-MM-DD in Vietnam. */
  date: string;
  issuerParent: string;
  issuerName: string;
  placeAndDate: string;
  /** "V/v …" */
  summary: string;
  addressee: string;
  paragraphs: string[];
  english: { summary: string; addressee: string; paragraphs: string[] };
  recipientsList: string[];
  signerTitle: string[];
  signerName: string;
}

export interface LetterSettings {
  issuerParent: string;
  issuerName: string;
  signerTitle: string;
  signerName?: string | undefined;
}

export interface LetterFacts {
  number: string;
  at: Date;
  requestRef: string;
  receivedAt: Date;
  agencyName: string;
  what: Bilingual;
  basis: { number: string; date: string; issuer: string };
  decision: 'approved' | 'rejected';
  /** Approved: what was done, one line each. */
  done?: Bilingual[];
  /** Approved with a new or re-secured mailbox: an activation link went out separately. */
  activation?: boolean;
  /** Rejected: why. */
  reason?: string;
  deciderName: string;
}

const dmy = (d: string): string => d.split('-').reverse().join('/');

export function buildLetter(s: LetterSettings, f: LetterFacts): LetterContent {
  const received = dmy(vnDate(f.receivedAt));
  const basisVi = `văn bản số ${f.basis.number} ngày ${dmy(f.basis.date)} của ${f.basis.issuer}`;
  const basisEn = `document No. ${f.basis.number} of ${f.basis.date} issued by ${f.basis.issuer}`;
  const vi: string[] = [
    'Căn cứ Quy chế quản lý, sử dụng Hệ thống thư điện tử công vụ tỉnh Quảng Trị ban hành kèm theo Quyết định số 45/2026/QĐ-UBND của Ủy ban nhân dân tỉnh Quảng Trị;',
    `Sở Khoa học và Công nghệ nhận được đề nghị số ${f.requestRef} ngày ${received} của ${f.agencyName} về việc ${f.what.vi}, căn cứ ${basisVi}.`,
  ];
  const en: string[] = [
    'Under the Regulation on the management and use of the official e-mail system of Quảng Trị province (Decision No. 45/2026/QĐ-UBND of the Provincial People’s Committee),',
    `the Department of Science and Technology received request ${f.requestRef} of ${received} from ${f.agencyName} for ${f.what.en}, based on ${basisEn}.`,
  ];
  if (f.decision === 'approved') {
    vi.push('Sở Khoa học và Công nghệ đã xem xét và thực hiện đề nghị nêu trên, cụ thể như sau:');
    en.push('The Department has reviewed and carried out the request, as follows:');
    for (const line of f.done ?? []) {
      vi.push(`- ${line.vi}`);
      en.push(`- ${line.en}`);
    }
    if (f.activation) {
      vi.push(
        'Đường dẫn kích hoạt hộp thư (dùng một lần, có hiệu lực trong 72 giờ) được gửi trong một thư riêng tới hộp thư điện tử của cơ quan, đơn vị. Người sử dụng tự đặt mật khẩu khi kích hoạt theo quy định tại Điều 9.2 của Quy chế; hệ thống không gửi mật khẩu dưới bất kỳ hình thức nào.',
      );
      en.push(
        'The activation link of the mailbox (single use, valid for 72 hours) is sent in a separate message to the agency’s mailbox. The holder sets the password when activating it (Article 9.2); the system never sends a password.',
      );
    }
  } else {
    vi.push(`Sở Khoa học và Công nghệ không chấp thuận đề nghị nêu trên. Lý do: ${f.reason ?? ''}`);
    en.push(`The Department does not approve the request. Reason: ${f.reason ?? ''}`);
    vi.push('Cơ quan, đơn vị có thể gửi lại đề nghị sau khi bổ sung, hoàn thiện hồ sơ.');
    en.push('The agency may file the request again once the file is completed.');
  }
  vi.push(`Sở Khoa học và Công nghệ thông báo để ${f.agencyName} biết, thực hiện./.`);
  en.push(`This reply is sent to ${f.agencyName} for information and action.`);
  const summaryVi = `V/v trả lời đề nghị ${f.what.vi.split(' (')[0]} (${f.requestRef})`;
  return {
    number: f.number,
    date: vnDate(f.at),
    issuerParent: s.issuerParent,
    issuerName: s.issuerName,
    placeAndDate: placeAndDate(f.at),
    summary: summaryVi,
    addressee: f.agencyName,
    paragraphs: vi,
    english: {
      summary: `Reply to request ${f.requestRef} (${f.decision === 'approved' ? 'approved' : 'rejected'})`,
      addressee: f.agencyName,
      paragraphs: en,
    },
    recipientsList: ['- Như trên;', '- Lưu: VT, TTCNTT.'],
    signerTitle: s.signerTitle
      .split(/\\n|\n/)
      .map((l) => l.trim())
      .filter(Boolean),
    signerName: s.signerName ?? f.deciderName,
  };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export function escapeHtml(t: string): string {
  return t.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The letter as one standalone HTML document (A4, print-ready). */
export function letterHtml(c: LetterContent): string {
  const e = escapeHtml;
  const p = (t: string): string => `<p>${e(t)}</p>`;
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`Công văn số ${c.number}`)}</title>
<style>
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
html { background: #fff; }
body { font-family: "Times New Roman", "DejaVu Serif", serif; font-size: 13pt; line-height: 1.4; color: #000; max-width: 165mm; margin: 0 auto; padding: 10mm 0; }
table.heading { width: 100%; border-collapse: collapse; }
table.heading td { vertical-align: top; text-align: center; padding: 0; }
td.issuer { width: 42%; }
.strong { font-weight: bold; }
.rule { display: inline-block; border-top: 1px solid #000; width: 40%; margin: 2pt 0; height: 0; }
.rule.long { width: 65%; }
.summary { font-size: 12pt; }
.date { font-style: italic; text-align: right; margin: 6pt 0 12pt; }
.addressee { text-align: center; margin: 12pt 0; }
.body p { text-align: justify; text-indent: 1.27cm; margin: 0 0 6pt; }
table.closing { width: 100%; margin-top: 12pt; border-collapse: collapse; }
table.closing td { vertical-align: top; }
td.recipients { width: 50%; font-size: 11pt; }
td.signer { text-align: center; }
.signer-name { margin-top: 60pt; font-weight: bold; }
.translation { margin-top: 18mm; border-top: 1px solid #999; padding-top: 6mm; font-size: 11pt; color: #333; }
.translation p { text-align: justify; margin: 0 0 5pt; }
@media print { .translation { break-before: page; border-top: none; } body { padding: 0; } }
</style>
</head>
<body>
<table class="heading"><tr>
<td class="issuer"><div>${e(c.issuerParent)}</div><div class="strong">${e(c.issuerName)}</div><div class="rule"></div>
<div>Số: ${e(c.number)}</div><div class="summary">${e(c.summary)}</div></td>
<td class="motto"><div class="strong">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div><div class="strong">Độc lập - Tự do - Hạnh phúc</div><div class="rule long"></div></td>
</tr></table>
<p class="date">${e(c.placeAndDate)}</p>
<p class="addressee">Kính gửi: ${e(c.addressee)}</p>
<div class="body">
${c.paragraphs.map(p).join('\n')}
</div>
<table class="closing"><tr>
<td class="recipients"><div class="strong"><em>Nơi nhận:</em></div>${c.recipientsList.map((l) => `<div>${e(l)}</div>`).join('')}</td>
<td class="signer">${c.signerTitle.map((l) => `<div class="strong">${e(l)}</div>`).join('')}<div class="signer-name">${e(c.signerName)}</div></td>
</tr></table>
<div class="translation" lang="en">
<p><em>Bản dịch tiếng Anh để tham khảo / English translation for reference</em></p>
<p>No. ${e(c.number)}, ${e(c.date)}. ${e(c.english.summary)}</p>
<p>To: ${e(c.english.addressee)}</p>
${c.english.paragraphs.map(p).join('\n')}
<p>${e(c.signerName)}</p>
</div>
</body>
</html>
`;
}

/** The same letter as plain text, for the body of the mail that carries it. */
export function letterText(c: LetterContent): string {
  return [
    c.issuerParent,
    c.issuerName,
    `Số: ${c.number}`,
    c.summary,
    '',
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    '',
    c.placeAndDate,
    '',
    `Kính gửi: ${c.addressee}`,
    '',
    ...c.paragraphs.flatMap((l) => [l, '']),
    ...c.signerTitle,
    '',
    c.signerName,
    '',
    '----------------------------------------------------------------------',
    '(English translation for reference)',
    '',
    `No. ${c.number}, ${c.date}. ${c.english.summary}`,
    `To: ${c.english.addressee}`,
    '',
    ...c.english.paragraphs.flatMap((l) => [l, '']),
    c.signerName,
  ].join('\r\n');
}
