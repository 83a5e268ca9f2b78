/**
 * The reply letter as a PDF (A4, the same layout as the HTML: letter.ts), drawn with pdfkit in
 * DejaVu Sans (package dejavu-fonts-ttf), which covers every precomposed Vietnamese letter; the
 * fonts are embedded as subsets with a ToUnicode map, so the text can be searched and copied.
 * Text is NFC-normalised first so that each letter is one glyph. Deterministic: the document's
 * dates are the letter's date.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { LetterContent } from './letter.ts';

const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
const FONT_ITALIC = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf');

const MM = 72 / 25.4;

export function letterPdf(c: LetterContent): Promise<Buffer> {
  const at = new Date(`${c.date}T00:00:00+07:00`);
  const margins = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    info: {
      Title: `Công văn số ${c.number}`,
      Subject: c.summary,
      Author: c.issuerName,
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
  doc.registerFont('I', FONT_ITALIC);
  const n = (t: string): string => t.normalize('NFC');
  const left = margins.left;
  const width = doc.page.width - margins.left - margins.right;
  const leftCol = width * 0.42;
  const rightX = left + leftCol;
  const rightCol = width - leftCol;
  const top = margins.top;

  // Heading, left: the issuing body, number and summary.
  doc.font('R').fontSize(11).text(n(c.issuerParent), left, top, { width: leftCol, align: 'center' });
  doc.font('B').text(n(c.issuerName), { width: leftCol, align: 'center' });
  let y = doc.y + 2;
  doc
    .moveTo(left + leftCol * 0.3, y)
    .lineTo(left + leftCol * 0.7, y)
    .lineWidth(0.6)
    .stroke();
  doc.font('R').text(n(`Số: ${c.number}`), left, y + 6, { width: leftCol, align: 'center' });
  doc.fontSize(10).text(n(c.summary), { width: leftCol, align: 'center' });
  const leftBottom = doc.y;

  // Heading, right: the national motto.
  doc.font('B').fontSize(11).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, {
    width: rightCol,
    align: 'center',
  });
  doc.text(n('Độc lập - Tự do - Hạnh phúc'), { width: rightCol, align: 'center' });
  y = doc.y + 2;
  doc
    .moveTo(rightX + rightCol * 0.2, y)
    .lineTo(rightX + rightCol * 0.8, y)
    .stroke();
  y = Math.max(leftBottom, y) + 10;

  doc.font('I').fontSize(12).text(n(c.placeAndDate), left, y, { width, align: 'right' });
  doc.moveDown(1);
  doc.font('R').text(n(`Kính gửi: ${c.addressee}`), left, doc.y, { width, align: 'center' });
  doc.moveDown(1);
  for (const para of c.paragraphs)
    doc.text(n(para), left, doc.y, { width, align: 'justify', indent: 36, paragraphGap: 4 });
  doc.moveDown(1);

  // Closing: "Nơi nhận" on the left, the signer on the right.
  if (doc.y > doc.page.height - margins.bottom - 150) doc.addPage();
  const closingTop = doc.y;
  doc
    .font('I')
    .fontSize(10)
    .text(n('Nơi nhận:'), left, closingTop, { width: width / 2 });
  doc.font('R');
  for (const l of c.recipientsList) doc.text(n(l), { width: width / 2 });
  doc.font('B').fontSize(12);
  doc.y = closingTop;
  for (const l of c.signerTitle)
    doc.text(n(l), left + width / 2, doc.y, { width: width / 2, align: 'center' });
  doc.moveDown(4);
  doc.text(n(c.signerName), left + width / 2, doc.y, { width: width / 2, align: 'center' });

  // The English translation, on its own page.
  doc.addPage();
  doc.font('I').fontSize(10).text('Bản dịch tiếng Anh để tham khảo / English translation for reference', {
    width,
  });
  doc.moveDown(1);
  doc.font('R').fontSize(11);
  doc.text(n(`No. ${c.number}, ${c.date}. ${c.english.summary}`), { width });
  doc.text(n(`To: ${c.english.addressee}`), { width });
  doc.moveDown(0.5);
  for (const para of c.english.paragraphs) doc.text(n(para), { width, align: 'justify', paragraphGap: 4 });
  doc.moveDown(1);
  doc.text(n(c.signerName), { width });
  doc.end();
  return done;
}
