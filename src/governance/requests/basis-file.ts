/**
 * The scanned legal-basis document of a request (Điều 7.2.a: "văn bản quy định về sự thay đổi"):
 * a PDF, JPEG or PNG, recognised by its magic bytes, never by the name or the declared type
 * (a declared type that disagrees is refused), not empty and not larger than the configured
 * maximum. A PDF must also end with its %%EOF marker, so a truncated upload is refused.
 */
import { invalid } from '../../util/errors.ts';

export type BasisType = 'application/pdf' | 'image/jpeg' | 'image/png';
export const BASIS_TYPES: readonly BasisType[] = ['application/pdf', 'image/jpeg', 'image/png'];

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type the bytes are, or null. */
export function sniffBasisType(content: Buffer): BasisType | null {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff)
    return 'image/jpeg';
  if (content.subarray(0, 8).equals(PNG)) return 'image/png';
  return null;
}

export interface CheckedBasisFile {
  type: BasisType;
  size: number;
  filename: string | null;
}

export function checkBasisFile(
  content: Buffer,
  declared: { type?: string; filename?: string },
  maxBytes: number,
): CheckedBasisFile {
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1);
  if (content.length === 0)
    throw invalid('request.basis-empty', 'Tệp văn bản căn cứ rỗng.', 'The legal-basis file is empty.');
  if (content.length > maxBytes)
    throw invalid(
      'request.basis-too-large',
      `Tệp văn bản căn cứ quá lớn: ${mb(content.length)} MB, tối đa ${mb(maxBytes)} MB.`,
      `The legal-basis file is too large: ${mb(content.length)} MB, at most ${mb(maxBytes)} MB.`,
      { size: content.length, max: maxBytes },
    );
  const type = sniffBasisType(content);
  if (!type)
    throw invalid(
      'request.basis-bad-type',
      'Tệp văn bản căn cứ phải là bản quét dạng PDF, JPEG hoặc PNG.',
      'The legal-basis file must be a scan in PDF, JPEG or PNG.',
    );
  const want = declared.type?.split(';')[0]?.trim().toLowerCase();
  if (
    want &&
    want !== 'application/octet-stream' &&
    want !== type &&
    !(want === 'image/jpg' && type === 'image/jpeg')
  )
    throw invalid(
      'request.basis-type-mismatch',
      `Nội dung tệp là ${type}, không phải ${want} như đã khai.`,
      `The file's content is ${type}, not ${want} as declared.`,
    );
  if (type === 'application/pdf' && !content.subarray(-1024).toString('latin1').includes('%%EOF'))
    throw invalid(
      'request.basis-truncated',
      'Tệp PDF không trọn vẹn (thiếu phần kết thúc %%EOF); hãy tải lên lại.',
      'The PDF is incomplete (no %%EOF at its end); upload it again.',
    );
  return { type, size: content.length, filename: cleanFilename(declared.filename) };
}

/** The last path segment, NFC, without control characters, at most 200 characters; or null. */
export function cleanFilename(name: string | undefined): string | null {
  if (name === undefined) return null;
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const clean = [...base].filter((c) => c.codePointAt(0)! >= 0x20 && c.codePointAt(0) !== 0x7f).join('');
  const t = clean.trim().slice(0, 200);
  return t === '' ? null : t;
}
