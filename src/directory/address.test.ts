import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CongthuError } from '../util/errors.ts';
import {
  agencyLocalPart,
  foldVietnamese,
  isValidDomain,
  MAX_PERSONAL_STEM_OCTETS,
  nextPersonalLocalPart,
  normaliseAddress,
  personalLocalPart,
  subUnitLocalPart,
} from './address.ts';

/** Run `fn`, expect a CongthuError, return it. */
function failure(fn: () => unknown): CongthuError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CongthuError);
    return e as CongthuError;
  }
  throw new Error('expected a CongthuError, nothing was thrown');
}

// Real Vietnamese full names (family name first), as an operator would type them, in NFC.
const NAMES: ReadonlyArray<readonly [string, string]> = [
  ['Nguyễn Văn Long', 'nguyenvanlong'], // the example of Điều 6.2.a
  ['Trần Thị Thu Hà', 'tranthithuha'],
  ['Lê Duẩn', 'leduan'],
  ['Lê Quang Đạo', 'lequangdao'],
  ['Phạm Minh Chính', 'phamminhchinh'],
  ['Hoàng Văn Thụ', 'hoangvanthu'],
  ['Huỳnh Tấn Phát', 'huynhtanphat'],
  ['Huỳnh Thúc Kháng', 'huynhthuckhang'],
  ['Phan Bội Châu', 'phanboichau'],
  ['Vũ Trọng Phụng', 'vutrongphung'],
  ['Võ Nguyên Giáp', 'vonguyengiap'],
  ['Võ Thị Sáu', 'vothisau'],
  ['Đặng Thùy Trâm', 'dangthuytram'],
  ['Đặng Dung', 'dangdung'],
  ['Bùi Thị Xuân', 'buithixuan'],
  ['Đỗ Mười', 'domuoi'],
  ['Hồ Xuân Hương', 'hoxuanhuong'],
  ['Hồ Chí Minh', 'hochiminh'],
  ['Hồ Thị Thu Trang', 'hothithutrang'],
  ['Ngô Bảo Châu', 'ngobaochau'],
  ['Dương Văn Minh', 'duongvanminh'],
  ['Lý Thường Kiệt', 'lythuongkiet'],
  ['Tôn Nữ Thị Ninh', 'tonnuthininh'],
  ['Tôn Thất Thuyết', 'tonthatthuyet'],
  ['Công Tôn Nữ Hoàng Lan', 'congtonnuhoanglan'],
  ['Công Tôn Nữ Thị Hồ Điệp', 'congtonnuthihodiep'],
  ['Lê Thị Thủy', 'lethithuy'], // old tone placement
  ['Lê Thị Thuỷ', 'lethithuy'], // new tone placement
  ['Nguyễn Thị Hòa', 'nguyenthihoa'],
  ['Nguyễn Thị Hoà', 'nguyenthihoa'],
  ['Trần Minh Khuê', 'tranminhkhue'],
  ['Phạm Như Quỳnh', 'phamnhuquynh'],
  ['Đinh Thị Nguyệt', 'dinhthinguyet'],
  ['Ưng Thị Hồng', 'ungthihong'],
  ['Hồ Văn Ơn', 'hovanon'],
  ['Trương Định', 'truongdinh'],
  ['Lương Thế Vinh', 'luongthevinh'],
  ['Trịnh Công Sơn', 'trinhcongson'],
  ['Đoàn Thị Điểm', 'doanthidiem'],
  ['Tạ Quang Bửu', 'taquangbuu'],
  ['Cao Bá Quát', 'caobaquat'],
  ['Lâm Thị Mỹ Dạ', 'lamthimyda'],
  ['Hàn Mặc Tử', 'hanmactu'],
  ['Nguyễn Hữu Thận', 'nguyenhuuthan'],
  ['Nguyễn Lê Hoàng Bảo Ngọc', 'nguyenlehoangbaongoc'],
  ['Lò Văn Giàng', 'lovangiang'],
  ['Âu Dương Lân', 'auduonglan'],
  ['Quách Tuấn Khương', 'quachtuankhuong'],
  ['Giáp Văn Cường', 'giapvancuong'],
  ['Y Ngông Niê Kdăm', 'yngongniekdam'],
  ['Nguyễn Thị Định', 'nguyenthidinh'],
];

describe('personalLocalPart (Điều 6.2.a)', () => {
  it('has at least 40 names in its table', () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(NAMES)('%s → %s', (name, expected) => {
    expect(personalLocalPart(name)).toBe(expected);
    expect(personalLocalPart(name.normalize('NFD'))).toBe(expected);
  });

  it('gives the same address for old and new tone placement, which are different strings', () => {
    const thuyOld = 'Th\u1EE7y'; // Thủy: hook above on u
    const thuyNew = 'Thu\u1EF7'; // Thuỷ: hook above on y
    const hoaOld = 'H\u00F2a'; // Hòa
    const hoaNew = 'Ho\u00E0'; // Hoà
    expect(thuyOld).not.toBe(thuyNew);
    expect(hoaOld).not.toBe(hoaNew);
    expect(personalLocalPart(`Lê Thị ${thuyOld}`)).toBe(personalLocalPart(`Lê Thị ${thuyNew}`));
    expect(personalLocalPart(`Nguyễn ${hoaOld}`)).toBe(personalLocalPart(`Nguyễn ${hoaNew}`));
  });

  it.each([
    ['NFD input', 'Nguy\u0065\u0302\u0303n V\u0061\u0306n Long', 'nguyenvanlong'],
    ['NBSP between words', 'Nguyễn\u00A0Văn\u00A0Long', 'nguyenvanlong'],
    ['tabs and repeated spaces', 'Nguyễn\t\tVăn   Long', 'nguyenvanlong'],
    ['leading and trailing whitespace', ' \t Nguyễn Văn Long \u00A0\n', 'nguyenvanlong'],
    ['ideographic, em and narrow no-break spaces', 'Nguyễn\u3000Văn\u2003Long\u202F', 'nguyenvanlong'],
    ['upper case', 'NGUYỄN VĂN LONG', 'nguyenvanlong'],
    ['upper case with Đ', 'ĐẶNG THÙY TRÂM', 'dangthuytram'],
    ['mixed case', 'nGuYễN vĂn lOnG', 'nguyenvanlong'],
    ['legacy Ð U+00D0', '\u00D0ặng Thùy Trâm', 'dangthuytram'],
    ['legacy ð U+00F0', '\u00F0ặng Thùy Trâm', 'dangthuytram'],
    ['legacy Ɖ U+0189', '\u0189ặng Thùy Trâm', 'dangthuytram'],
    ['legacy ɖ U+0256', '\u0256ặng Thùy Trâm', 'dangthuytram'],
    ['đ in the middle of a word', 'Trần Vănđức', 'tranvanduc'],
    ['Đ in the middle of a word', 'Lê QuangĐạo', 'lequangdao'],
    ['single word', 'Long', 'long'],
    ['foreign diacritics fold too', 'Müller Zoë', 'mullerzoe'],
  ])('%s', (_label, name, expected) => {
    expect(personalLocalPart(name)).toBe(expected);
  });

  it.each([
    ['hyphen', 'Nguyễn Văn A-Long', ['-']],
    ['apostrophe', "O'Brien", ["'"]],
    ['apostrophe in an Ê Đê name', "H'Hen Niê", ["'"]],
    ['right single quotation mark', 'O\u2019Brien', ['\u2019']],
    ['dot', 'Nguyễn Văn Long.', ['.']],
    ['Chinese characters', '阮文龍', ['阮', '文', '龍']],
    ['Chinese mixed in', 'Nguyễn 文 Long', ['文']],
    ['emoji', 'Nguyễn Văn Long 😀', ['😀']],
    ['emoji with skin tone, one grapheme', 'Long 👍🏽', ['👍🏽']],
    ['zero-width space', 'Nguyễn\u200BVăn Long', ['\u200B']],
    ['ß and ø', 'Straße Øystein', ['ß', 'Ø']],
    ['fullwidth digit is not a digit', 'Long ２', ['２']],
    ['repeated characters listed once', 'A-B-C', ['-']],
  ])('refuses a %s with address.invalid-character naming it', (_label, name, chars) => {
    const e = failure(() => personalLocalPart(name));
    expect(e.code).toBe('address.invalid-character');
    expect(e.kind).toBe('invalid');
    expect(e.details['characters']).toEqual(chars);
    for (const c of chars) {
      const cp = `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      expect(e.text.vi).toContain(cp);
      expect(e.text.en).toContain(cp);
    }
    expect(e.text.vi).toContain('Họ và tên có ký tự không thể đưa vào địa chỉ thư điện tử');
    expect(e.text.en).toContain('cannot appear in an e-mail address');
  });

  it('shows a visible offending character as a glyph and an invisible one only by code point', () => {
    expect(failure(() => personalLocalPart('A-Long')).text.en).toContain('"-" (U+002D)');
    const zw = failure(() => personalLocalPart('A\u200BLong'));
    expect(zw.text.en).toContain('U+200B');
    expect(zw.text.en).not.toContain('\u200B');
  });

  it.each(['', '   ', '\u00A0\t\n', '\u3000'])('refuses an empty name %j with address.empty-name', (name) => {
    const e = failure(() => personalLocalPart(name));
    expect(e.code).toBe('address.empty-name');
    expect(e.text.vi).toBe('Họ và tên không được để trống.');
    expect(e.text.en).toBe('The full name must not be empty.');
  });

  it.each([
    ['Nguyễn Văn Long 2', ['2']],
    ['Nguyễn Văn Long2', ['2']],
    ['Trần 3 Hà 7', ['3', '7']],
    ['Lê Văn 11', ['1']],
  ])('refuses digits in %j with address.digit-in-name', (name, digits) => {
    const e = failure(() => personalLocalPart(name));
    expect(e.code).toBe('address.digit-in-name');
    expect(e.details['digits']).toEqual(digits);
    expect(e.text.vi).toContain('không được chứa chữ số');
  });

  it('reports invalid characters before digits', () => {
    expect(failure(() => personalLocalPart('Nguyễn Văn A-Long2')).code).toBe('address.invalid-character');
  });

  it('accepts a stem of exactly 60 octets and refuses 61 (room for a 4-digit suffix)', () => {
    expect(MAX_PERSONAL_STEM_OCTETS).toBe(60);
    const sixty = Array.from({ length: 10 }, () => 'Nguyễn').join(' ');
    expect(personalLocalPart(sixty)).toBe('nguyen'.repeat(10));
    const e = failure(() => personalLocalPart(`${sixty} A`));
    expect(e.code).toBe('address.too-long');
    expect(e.details['length']).toBe(61);
    expect(e.text.vi).toContain('61');
    expect(e.text.en).toContain('61');
  });

  it('refuses a very long name', () => {
    expect(failure(() => personalLocalPart('Nguyễn '.repeat(500))).code).toBe('address.too-long');
  });
});

describe('foldVietnamese', () => {
  it.each([
    ['Nguyễn Văn Long', 'nguyen van long'],
    ['ĐạiĐồng', 'daidong'],
    ['\u00D0\u00F0\u0189\u0256', 'dddd'],
    ['Thủy', 'thuy'],
    ['Thuỷ', 'thuy'],
    ['Hòa Hoà', 'hoa hoa'],
    ['ƯNG Ơn', 'ung on'],
    ['İ', 'i'],
    ['阮', '阮'],
  ])('%j → %j', (input, expected) => {
    expect(foldVietnamese(input)).toBe(expected);
    expect(foldVietnamese(input.normalize('NFD'))).toBe(expected);
    expect(foldVietnamese(input.normalize('NFC'))).toBe(expected);
  });

  it('is idempotent and NFC/NFD-insensitive on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const f = foldVietnamese(s);
        expect(foldVietnamese(f)).toBe(f);
        expect(foldVietnamese(s.normalize('NFD'))).toBe(f);
        expect(foldVietnamese(s.normalize('NFC'))).toBe(f);
      }),
    );
  });
});

describe('nextPersonalLocalPart (Điều 6.2.b)', () => {
  it.each<[string, string, readonly string[], string]>([
    ['a free stem', 'nguyenvanlong', [], 'nguyenvanlong'],
    ['a free stem among others', 'nguyenvanlong', ['tranvanan', 'nguyenvanlongb', 'skhcn'], 'nguyenvanlong'],
    ['the regulation example', 'nguyenvanlong', ['nguyenvanlong'], 'nguyenvanlong1'],
    ['a third namesake', 'nguyenvanlong', ['nguyenvanlong', 'nguyenvanlong1'], 'nguyenvanlong2'],
    [
      'a gap left by a deleted address',
      'nguyenvanlong',
      ['nguyenvanlong', 'nguyenvanlong2'],
      'nguyenvanlong3',
    ],
    [
      'above the highest, not the count',
      'nguyenvanlong',
      ['nguyenvanlong', 'nguyenvanlong1', 'nguyenvanlong5'],
      'nguyenvanlong6',
    ],
    [
      'suffixes compared as numbers',
      'nguyenvanlong',
      ['nguyenvanlong', 'nguyenvanlong9', 'nguyenvanlong10'],
      'nguyenvanlong11',
    ],
    [
      'look-alikes that are not suffixes',
      'nguyenvanlong',
      [
        'nguyenvanlong',
        'nguyenvanlongb',
        'nguyenvanlong01',
        'nguyenvanlong0',
        'nguyenvanlong1a',
        'xnguyenvanlong7',
        'nguyenvanlong7.skhcn',
        'nguyenvanlon9',
      ],
      'nguyenvanlong1',
    ],
    ['a stem that is an agency code', 'lena', ['lena', 'skhcn', 'vp.lena'], 'lena1'],
    ['an agency code ending in digits counts as a suffix', 'lena', ['lena', 'lena4'], 'lena5'],
    [
      'issued local parts compared case-insensitively',
      'nguyenvanlong',
      ['NguyenVanLong', 'NGUYENVANLONG4'],
      'nguyenvanlong5',
    ],
  ])('%s', (_label, stem, issued, expected) => {
    expect(nextPersonalLocalPart(stem, issued)).toBe(expected);
  });

  it('accepts any iterable, consumed once', () => {
    function* issued(): Generator<string> {
      yield 'nguyenvanlong';
      yield 'nguyenvanlong3';
    }
    expect(nextPersonalLocalPart('nguyenvanlong', issued())).toBe('nguyenvanlong4');
    expect(nextPersonalLocalPart('nguyenvanlong', new Set(['nguyenvanlong']))).toBe('nguyenvanlong1');
  });

  it('returns the bare stem when it was never issued, even if suffixed ones were', () => {
    expect(nextPersonalLocalPart('nguyenvanlong', ['nguyenvanlong2'])).toBe('nguyenvanlong');
  });

  it('loses no precision on huge suffixes', () => {
    expect(nextPersonalLocalPart('long', ['long', 'long99999999999999999999'])).toBe(
      'long100000000000000000000',
    );
  });

  it('fits suffixes up to 9999 after a 60-octet stem and refuses beyond 64 octets', () => {
    const stem = 'a'.repeat(60);
    expect(nextPersonalLocalPart(stem, [stem, `${stem}9998`])).toBe(`${stem}9999`);
    const e = failure(() => nextPersonalLocalPart(stem, [stem, `${stem}9999`]));
    expect(e.code).toBe('address.too-long');
    expect(e.details['length']).toBe(65);
  });

  it.each(['', 'nguyen van', 'abc1', 'NguyenVanLong', 'nguyễn', 'vp.skhcn'])(
    'refuses the stem %j',
    (stem) => {
      expect(failure(() => nextPersonalLocalPart(stem, [])).code).toBe('address.invalid-stem');
    },
  );

  it('never returns an issued local part, and the result is stem or stem+[1-9][0-9]*', () => {
    const stem = 'nguyenvanlong';
    const issuedArb = fc.array(
      fc.oneof(
        fc.constant(stem),
        fc.integer({ min: 0, max: 5000 }).map((n) => `${stem}${n}`),
        fc.stringMatching(/^[a-z0-9.]{1,20}$/),
      ),
    );
    fc.assert(
      fc.property(issuedArb, (issued) => {
        const next = nextPersonalLocalPart(stem, issued);
        expect(issued).not.toContain(next);
        expect(next).toMatch(/^nguyenvanlong(?:[1-9][0-9]*)?$/);
        // Growing: the number is above every number already issued for the stem.
        const n = Number(next.slice(stem.length) || '0');
        for (const i of issued) {
          const m = /^nguyenvanlong([1-9][0-9]*)$/.exec(i);
          if (m?.[1] !== undefined && issued.includes(stem)) expect(n).toBeGreaterThan(Number(m[1]));
        }
      }),
    );
  });

  it('combines with personalLocalPart for namesakes with different tone placement', () => {
    const first = personalLocalPart('Lê Thị Thủy');
    const second = nextPersonalLocalPart(personalLocalPart('Lê Thị Thuỷ'), [first]);
    expect(second).toBe('lethithuy1');
  });
});

describe('agencyLocalPart (Điều 6.1.a)', () => {
  it.each([
    ['SKHCN', 'skhcn'],
    ['skhcn', 'skhcn'],
    ['UBNDtinh', 'ubndtinh'],
    ['  stttt\t', 'stttt'],
    ['SởKHCN', 'sokhcn'],
    ['ĐHQT', 'dhqt'],
    ['\u00D0HQT', 'dhqt'],
    ['THPT1', 'thpt1'],
    ['a', 'a'],
    ['x'.repeat(64), 'x'.repeat(64)],
  ])('%j → %j', (abbrev, expected) => {
    expect(agencyLocalPart(abbrev)).toBe(expected);
    expect(agencyLocalPart(abbrev.normalize('NFD'))).toBe(expected);
  });

  it.each([
    ['', 'address.empty-abbreviation'],
    ['  \t', 'address.empty-abbreviation'],
    ['Sở KHCN', 'address.whitespace-in-abbreviation'],
    ['Sở\u00A0KHCN', 'address.whitespace-in-abbreviation'],
    ['vp.skhcn', 'address.dot-in-abbreviation'],
    ['skhcn.', 'address.dot-in-abbreviation'],
    ['KH&CN', 'address.invalid-character'],
    ['s-khcn', 'address.invalid-character'],
    ['s_khcn', 'address.invalid-character'],
    ['科技', 'address.invalid-character'],
    ['1skhcn', 'address.leading-digit'],
    ['123', 'address.leading-digit'],
    ['x'.repeat(65), 'address.too-long'],
  ])('refuses %j with %s', (abbrev, code) => {
    const e = failure(() => agencyLocalPart(abbrev));
    expect(e.code).toBe(code);
    expect(e.details['part']).toBe('agency');
    expect(e.text.vi).toContain('Tên viết tắt của cơ quan, đơn vị');
    expect(e.text.en).toContain('The agency abbreviation');
  });

  it('names the offending character', () => {
    const e = failure(() => agencyLocalPart('KH&CN'));
    expect(e.text.vi).toContain('"&" (U+0026)');
    expect(e.text.en).toContain('"&" (U+0026)');
  });
});

describe('subUnitLocalPart (Điều 6.1.b)', () => {
  it.each([
    ['VP', 'SKHCN', 'vp.skhcn'],
    ['TCHC', 'sokhcn', 'tchc.sokhcn'],
    ['PhòngKT', 'ĐHQT', 'phongkt.dhqt'],
    [' cntt ', ' ubndtinh ', 'cntt.ubndtinh'],
  ])('%j under %j → %j', (unit, agency, expected) => {
    expect(subUnitLocalPart(unit, agency)).toBe(expected);
  });

  it.each([
    ['', 'skhcn', 'address.empty-abbreviation', 'unit'],
    ['vp', '', 'address.empty-abbreviation', 'agency'],
    ['Phòng TCHC', 'skhcn', 'address.whitespace-in-abbreviation', 'unit'],
    ['vp.tc', 'skhcn', 'address.dot-in-abbreviation', 'unit'],
    ['vp', 'ubnd.tinh', 'address.dot-in-abbreviation', 'agency'],
    ['P&T', 'skhcn', 'address.invalid-character', 'unit'],
    ['1vp', 'skhcn', 'address.leading-digit', 'unit'],
  ])('refuses %j under %j with %s in the %s part', (unit, agency, code, part) => {
    const e = failure(() => subUnitLocalPart(unit, agency));
    expect(e.code).toBe(code);
    expect(e.details['part']).toBe(part);
  });

  it('names the sub-unit in messages about the unit', () => {
    const e = failure(() => subUnitLocalPart('Phòng TCHC', 'skhcn'));
    expect(e.text.vi).toContain('Tên viết tắt của phòng, ban trực thuộc');
    expect(e.text.en).toContain('The sub-unit abbreviation');
  });

  it('accepts 64 octets in total and refuses 65', () => {
    expect(subUnitLocalPart('u'.repeat(40), 'a'.repeat(23))).toHaveLength(64);
    const e = failure(() => subUnitLocalPart('u'.repeat(40), 'a'.repeat(24)));
    expect(e.code).toBe('address.too-long');
    expect(e.details['length']).toBe(65);
  });
});

describe('isValidDomain', () => {
  it.each([
    'quangtri.gov.vn',
    'QuangTri.Gov.VN',
    'mail.quangtri.gov.vn',
    'localhost',
    'a-b.c',
    'xn--qung-tr-z9a.vn',
    '1a.vn',
    `${'a'.repeat(63)}.vn`,
  ])('accepts %j', (d) => {
    expect(isValidDomain(d)).toBe(true);
  });

  it.each([
    '',
    '.',
    'quangtri.gov.vn.',
    '.quangtri.gov.vn',
    'quangtri..vn',
    '-quangtri.vn',
    'quangtri-.vn',
    'quang_tri.vn',
    'quảngtrị.vn',
    'quang tri.vn',
    '[10.0.0.1]',
    '10.0.0.1',
    `${'a'.repeat(64)}.vn`,
    `${'a.'.repeat(127)}vn`,
  ])('refuses %j', (d) => {
    expect(isValidDomain(d)).toBe(false);
  });

  it('accepts 255 octets and refuses 256', () => {
    const label = 'a'.repeat(63);
    const d255 = `${label}.${label}.${label}.${'b'.repeat(63)}`; // 4 × 63 + 3 = 255
    expect(d255).toHaveLength(255);
    expect(isValidDomain(d255)).toBe(true);
    const d256 = `${label}.${label}.${label}.${'b'.repeat(62)}.c`;
    expect(d256).toHaveLength(256);
    expect(isValidDomain(d256)).toBe(false);
  });
});

describe('normaliseAddress', () => {
  it.each([
    ['nguyenvanlong@quangtri.gov.vn', 'nguyenvanlong', 'quangtri.gov.vn'],
    ['  NguyenVanLong@QuangTri.Gov.VN\t', 'nguyenvanlong', 'quangtri.gov.vn'],
    ['vp.skhcn@quangtri.gov.vn', 'vp.skhcn', 'quangtri.gov.vn'],
    ['nguyenvanlong@quangtri.gov.vn.', 'nguyenvanlong', 'quangtri.gov.vn'],
    ['\u00A0a@b.vn\u00A0', 'a', 'b.vn'],
    ["o'brien+tag@example.com", "o'brien+tag", 'example.com'],
    ['Nguye\u0302\u0303n@example.com', 'nguy\u1EC5n', 'example.com'],
    ['NGUYỄN@example.com', 'nguyễn', 'example.com'],
  ])('%j → %s @ %s', (input, local, domain) => {
    expect(normaliseAddress(input)).toEqual({ local, domain });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['nguyenvanlong', 'at-sign'],
    ['a@b@quangtri.gov.vn', 'at-sign'],
    ['"a@b"@quangtri.gov.vn', 'at-sign'],
    ['@quangtri.gov.vn', 'empty-local'],
    ['nguyenvanlong@', 'empty-domain'],
    ['nguyenvanlong@.', 'empty-domain'],
    ['nguyen van@quangtri.gov.vn', 'forbidden-character'],
    ['nguyen\tvan@quangtri.gov.vn', 'forbidden-character'],
    ['nguyen\u00A0van@quangtri.gov.vn', 'forbidden-character'],
    ['nguyen\u200Bvan@quangtri.gov.vn', 'forbidden-character'],
    ['nguyen\u2060van@quangtri.gov.vn', 'forbidden-character'],
    ['nguyenvanlong@quangtri\u00ADgov.vn', 'forbidden-character'],
    ['nguyen\u0000van@quangtri.gov.vn', 'forbidden-character'],
    ['nguyen\u007Fvan@quangtri.gov.vn', 'forbidden-character'],
    ['nguyen\uD800van@quangtri.gov.vn', 'forbidden-character'],
    ['a\r\n@quangtri.gov.vn', 'forbidden-character'],
    [`${'a'.repeat(65)}@quangtri.gov.vn`, 'local-too-long'],
    [`${'ễ'.repeat(22)}@quangtri.gov.vn`, 'local-too-long'], // 22 characters, 66 octets
    ['.abc@quangtri.gov.vn', 'local-syntax'],
    ['abc.@quangtri.gov.vn', 'local-syntax'],
    ['a..b@quangtri.gov.vn', 'local-syntax'],
    ['a(b)@quangtri.gov.vn', 'local-syntax'],
    ['<a>@quangtri.gov.vn', 'local-syntax'],
    ['a@quangtri.gov.vn..', 'domain-syntax'],
    ['a@quảngtrị.gov.vn', 'domain-syntax'],
    ['a@[10.0.0.1]', 'domain-syntax'],
    ['a@10.0.0.1', 'domain-syntax'],
    ['a@-quangtri.vn', 'domain-syntax'],
    [`a@${'b'.repeat(64)}.vn`, 'domain-syntax'],
    [`a@${'b.'.repeat(127)}vn`, 'domain-too-long'],
  ])('refuses %j (%s)', (input, reason) => {
    const e = failure(() => normaliseAddress(input));
    expect(e.code).toBe('address.malformed');
    expect(e.details['reason']).toBe(reason);
    expect(e.text.vi.startsWith('Địa chỉ thư điện tử không hợp lệ: ')).toBe(true);
    expect(e.text.en.startsWith('Invalid e-mail address: ')).toBe(true);
  });

  it('accepts a 64-octet local part', () => {
    expect(normaliseAddress(`${'a'.repeat(64)}@quangtri.gov.vn`).local).toHaveLength(64);
  });

  it('names an invisible character by code point', () => {
    expect(failure(() => normaliseAddress('a\u200Bb@x.vn')).text.en).toContain('U+200B');
  });

  const anyString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: 'binary-ascii', maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc
      .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
      .map((units) => String.fromCharCode(...units)),
    fc
      .tuple(
        fc.string({
          unit: fc.constantFrom('a', 'Ễ', '.', '@', ' ', '-', '\u200B', 'x', '\u0301'),
          maxLength: 70,
        }),
        fc.constantFrom('', '@', '@quangtri.gov.vn', '.', '@quangtri.gov.vn.'),
      )
      .map(([a, b]) => a + b),
    fc.emailAddress(),
  );

  it('either returns a normalised address or throws a CongthuError, for any string', () => {
    fc.assert(
      fc.property(anyString, (input) => {
        let result: { local: string; domain: string };
        try {
          result = normaliseAddress(input);
        } catch (e) {
          expect(e).toBeInstanceOf(CongthuError);
          expect((e as CongthuError).code).toBe('address.malformed');
          return;
        }
        expect(Buffer.byteLength(result.local, 'utf8')).toBeLessThanOrEqual(64);
        expect(result.local).not.toBe('');
        expect(isValidDomain(result.domain)).toBe(true);
        expect(result.local).toBe(result.local.normalize('NFC'));
        expect(result.local).toBe(result.local.toLowerCase());
        expect(result.domain).toBe(result.domain.toLowerCase());
        expect(`${result.local}@${result.domain}`).not.toMatch(/[\s\p{C}]/u);
        // Idempotent.
        expect(normaliseAddress(`${result.local}@${result.domain}`)).toEqual(result);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every address fast-check considers valid, lower-cased', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (input) => {
        const at = input.lastIndexOf('@');
        expect(normaliseAddress(input)).toEqual({
          local: input.slice(0, at).toLowerCase(),
          domain: input.slice(at + 1).toLowerCase(),
        });
      }),
    );
  });

  it('round-trips every issued address', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NAMES.map(([n]) => n)),
        fc.constantFrom('', '1', '27'),
        (name, suffix) => {
          const local = personalLocalPart(name) + suffix;
          expect(normaliseAddress(` ${local.toUpperCase()}@QUANGTRI.GOV.VN. `)).toEqual({
            local,
            domain: 'quangtri.gov.vn',
          });
        },
      ),
    );
  });
});
