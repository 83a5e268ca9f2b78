// The reply letter (Điều 7.2.b) in the Vietnamese administrative layout, as HTML (standalone,
// escaped, A4) and as PDF with the Vietnamese text really embedded: the PDF's own ToUnicode maps
// are decoded (test/support/pdf-text.ts), and a glyph the font lacks would be reported.
import { describe, expect, it } from 'vitest';
import { buildLetter, letterHtml, letterPdf, letterText } from '../../src/governance/index.ts';
import { extractPdfText, squeeze } from '../support/pdf-text.ts';

const settings = {
  issuerParent: 'UBND TỈNH QUẢNG TRỊ',
  issuerName: 'SỞ KHOA HỌC VÀ CÔNG NGHỆ',
  signerTitle: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC',
};
const facts = {
  number: '15/SKHCN-TTCNTT',
  at: new Date('2026-08-05T09:30:00Z'), // 16:30 in Quảng Trị
  requestRef: 'YC-2026-0042',
  receivedAt: new Date('2026-07-31T01:00:00Z'),
  agencyName: 'Sở Tư pháp',
  what: {
    vi: 'cấp mới hộp thư điện tử công vụ cá nhân cho ông/bà Nguyễn Thị Hồng Nhung, Chuyên viên',
    en: 'a new personal mailbox for Nguyễn Thị Hồng Nhung, Chuyên viên',
  },
  basis: { number: '123/QĐ-STP', date: '2026-07-30', issuer: 'Giám đốc Sở Tư pháp' },
  decision: 'approved' as const,
  done: [
    {
      vi: 'Đã cấp hộp thư điện tử công vụ cho ông/bà Nguyễn Thị Hồng Nhung: địa chỉ nguyenthihongnhung@quangtri.gov.vn (Điều 6.2), thuộc Sở Tư pháp.',
      en: 'A mailbox was issued to Nguyễn Thị Hồng Nhung: nguyenthihongnhung@quangtri.gov.vn (Article 6.2), at Sở Tư pháp.',
    },
  ],
  activation: true,
  deciderName: 'Phạm Quản Trị',
};

describe('reply letter', () => {
  const content = buildLetter(settings, facts);

  it('has the administrative parts: number, place and date, addressee, body, signer', () => {
    expect(content).toMatchObject({
      number: '15/SKHCN-TTCNTT',
      date: '2026-08-05',
      placeAndDate: 'Quảng Trị, ngày 05 tháng 08 năm 2026',
      addressee: 'Sở Tư pháp',
      signerTitle: ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'],
      signerName: 'Phạm Quản Trị',
    });
    expect(content.summary).toBe(
      'V/v trả lời đề nghị cấp mới hộp thư điện tử công vụ cá nhân cho ông/bà Nguyễn Thị Hồng Nhung, Chuyên viên (YC-2026-0042)',
    );
    expect(content.paragraphs.join('\n')).toContain(
      'nhận được đề nghị số YC-2026-0042 ngày 31/07/2026 của Sở Tư pháp',
    );
    expect(content.paragraphs.join('\n')).toContain(
      'căn cứ văn bản số 123/QĐ-STP ngày 30/07/2026 của Giám đốc Sở Tư pháp',
    );
    expect(content.paragraphs.join('\n')).toContain('hệ thống không gửi mật khẩu');
    expect(letterText(content)).toContain('Kính gửi: Sở Tư pháp');
  });

  it('renders standalone, escaped HTML for A4', () => {
    const evil = buildLetter(settings, {
      ...facts,
      decision: 'rejected',
      done: [],
      activation: false,
      reason: '<script>alert("x")</script> & "quotes"',
      agencyName: 'Sở <b>Tư</b> pháp',
    });
    const html = letterHtml(evil);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('@page { size: A4;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Tư</b>');
    expect(html).toContain(
      'Lý do: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;',
    );
    expect(html).toContain('Kính gửi: Sở &lt;b&gt;Tư&lt;/b&gt; pháp');
    expect(html).not.toMatch(/(src|href)=/); // no external resources
    const ok = letterHtml(content);
    for (const part of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'UBND TỈNH QUẢNG TRỊ',
      'SỞ KHOA HỌC VÀ CÔNG NGHỆ',
      'Số: 15/SKHCN-TTCNTT',
      'Quảng Trị, ngày 05 tháng 08 năm 2026',
      'Kính gửi: Sở Tư pháp',
      'KT. GIÁM ĐỐC',
      'Phạm Quản Trị',
      'Nơi nhận:',
      'English translation for reference',
    ])
      expect(ok).toContain(part);
  });

  it('renders a PDF with the Vietnamese text in DejaVu Sans, every glyph mapped', async () => {
    const pdf = await letterPdf(content);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const t = extractPdfText(pdf);
    expect(t.missing).toEqual([]);
    expect(t.pages).toBe(2);
    expect(t.fonts.length).toBeGreaterThanOrEqual(2);
    for (const f of t.fonts) expect(f).toMatch(/^[A-Z]{6}\+DejaVuSans/);
    const text = squeeze(t.text);
    for (const part of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'SỞ KHOA HỌC VÀ CÔNG NGHỆ',
      'Số: 15/SKHCN-TTCNTT',
      'Quảng Trị, ngày 05 tháng 08 năm 2026',
      'Kính gửi: Sở Tư pháp',
      'nguyenthihongnhung@quangtri.gov.vn',
      'Nguyễn Thị Hồng Nhung',
      'PHÓ GIÁM ĐỐC',
      'Phạm Quản Trị',
      'English translation for reference',
    ])
      expect(text).toContain(squeeze(part));
    // Decomposed input (NFD, as some keyboards send it) prints the same precomposed glyphs.
    const nfd = await letterPdf({ ...content, addressee: 'Sở Tư pháp'.normalize('NFD') });
    const tn = extractPdfText(nfd);
    expect(tn.missing).toEqual([]);
    expect(squeeze(tn.text)).toContain(squeeze('Kính gửi: Sở Tư pháp'));
    // Deterministic: the same letter gives the same bytes.
    expect((await letterPdf(content)).equals(pdf)).toBe(true);
  });

  it('the extractor is strict: a character the font lacks is reported, not hidden', async () => {
    const pdf = await letterPdf({ ...content, addressee: 'Sở Tư pháp 𝄞 漢' });
    expect(extractPdfText(pdf).missing.length).toBeGreaterThan(0);
  });
});
