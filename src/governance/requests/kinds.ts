/**
 * What a request asks for (Điều 7.2.a, 8.3.a), one kind each, with the fields it carries:
 *
 * - `create-personal`: a personal mailbox for an official of the agency or of one of its sub-units
 *   (name, optional title and person identifier); the address follows Điều 6.2.
 * - `create-sub-unit`: a sub-unit (phòng, ban) of the agency with its mailbox (Điều 6.1.b).
 * - `create-agency`: a newly founded agency with its mailbox (Điều 6.1.a). It has no administrator
 *   yet, so the operator files it from the founding decision, naming an existing mailbox (`contact`)
 *   that receives the reply and the activation link.
 * - `change`: name, title, transfer to another agency ("chuyển công tác"), quota, aliases.
 * - `delete`: retirement, resignation, transfer out of the province's system, or dissolution.
 * - `restore`: a suspended mailbox (Điều 8.3).
 *
 * Pure: parsing and wording only; the checks against the directory are in request-service.ts.
 */
import { invalid } from '../../util/errors.ts';

export type RequestKind =
  'create-personal' | 'create-sub-unit' | 'create-agency' | 'change' | 'delete' | 'restore';

export const REQUEST_KINDS: readonly RequestKind[] = [
  'create-personal',
  'create-sub-unit',
  'create-agency',
  'change',
  'delete',
  'restore',
];

export type DeleteReason = 'retirement' | 'resignation' | 'transfer-out' | 'dissolution';
export const DELETE_REASONS: readonly DeleteReason[] = [
  'retirement',
  'resignation',
  'transfer-out',
  'dissolution',
];

export const DELETE_REASON_TEXT: Record<DeleteReason, { vi: string; en: string }> = {
  retirement: { vi: 'nghỉ hưu', en: 'retirement' },
  resignation: { vi: 'nghỉ việc', en: 'resignation' },
  'transfer-out': { vi: 'chuyển công tác ra ngoài hệ thống', en: 'transfer out of the system' },
  dissolution: { vi: 'giải thể, sáp nhập', en: 'dissolution or merger' },
};

export interface CreatePersonalDetails {
  name: string;
  /** The agency itself (default) or one of its sub-units. */
  org?: string;
  title?: string;
  personId?: string;
}
export interface CreateSubUnitDetails {
  code: string;
  name: string;
}
export interface CreateAgencyDetails {
  code: string;
  name: string;
  category?: string;
  contact: string;
}
export interface ChangeDetails {
  address: string;
  name?: string;
  title?: string;
  transferTo?: string;
  /** Bytes, or null for the class default. */
  quotaBytes?: number | null;
  addAliases?: string[];
  removeAliases?: string[];
}
export interface DeleteDetails {
  address: string;
  reason: DeleteReason;
}
export interface RestoreDetails {
  address: string;
}

export type RequestDetails =
  | { kind: 'create-personal'; details: CreatePersonalDetails }
  | { kind: 'create-sub-unit'; details: CreateSubUnitDetails }
  | { kind: 'create-agency'; details: CreateAgencyDetails }
  | { kind: 'change'; details: ChangeDetails }
  | { kind: 'delete'; details: DeleteDetails }
  | { kind: 'restore'; details: RestoreDetails };

const bad = (field: string, vi: string, en: string): never => {
  throw invalid('request.bad-details', vi, en, { field });
};

function text(o: Record<string, unknown>, key: string, required: true, max?: number): string;
function text(o: Record<string, unknown>, key: string, required: false, max?: number): string | undefined;
function text(o: Record<string, unknown>, key: string, required: boolean, max = 300): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') {
    if (required) bad(key, `Thiếu trường "${key}".`, `The field "${key}" is required.`);
    return undefined;
  }
  if (typeof v !== 'string') return bad(key, `Trường "${key}" phải là chuỗi.`, `"${key}" must be a string.`);
  const t = v.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (t === '' || t.length > max || /\p{Cc}/u.test(t))
    return bad(
      key,
      `Trường "${key}" không hợp lệ (1–${max} ký tự, không có ký tự điều khiển).`,
      `"${key}" is not valid (1–${max} characters, no control characters).`,
    );
  return t;
}

function list(o: Record<string, unknown>, key: string): string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > 20 || v.some((x) => typeof x !== 'string' || x.trim() === ''))
    return bad(
      key,
      `Trường "${key}" phải là danh sách địa chỉ (tối đa 20).`,
      `"${key}" must be a list of addresses (at most 20).`,
    );
  return (v as string[]).map((x) => x.trim().toLowerCase());
}

/** Checks the fields of a kind and keeps only the known ones (unknown fields are refused). */
export function parseDetails(kind: string, raw: unknown): RequestDetails {
  if (!(REQUEST_KINDS as readonly string[]).includes(kind))
    throw invalid(
      'request.bad-kind',
      `Loại đề nghị "${kind}" không hợp lệ; chọn một trong: ${REQUEST_KINDS.join(', ')}.`,
      `Request kind "${kind}" is not valid; use one of: ${REQUEST_KINDS.join(', ')}.`,
    );
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return bad('details', 'Thiếu nội dung đề nghị.', 'The request details are missing.');
  const o = raw as Record<string, unknown>;
  const allowed: Record<RequestKind, string[]> = {
    'create-personal': ['name', 'org', 'title', 'personId'],
    'create-sub-unit': ['code', 'name'],
    'create-agency': ['code', 'name', 'category', 'contact'],
    change: ['address', 'name', 'title', 'transferTo', 'quotaBytes', 'addAliases', 'removeAliases'],
    delete: ['address', 'reason'],
    restore: ['address'],
  };
  for (const k of Object.keys(o))
    if (o[k] !== undefined && !allowed[kind as RequestKind].includes(k))
      bad(
        k,
        `Trường "${k}" không dùng cho đề nghị ${kind}; các trường: ${allowed[kind as RequestKind].join(', ')}.`,
        `The field "${k}" does not belong to a ${kind} request; fields: ${allowed[kind as RequestKind].join(', ')}.`,
      );
  const strip = <T extends object>(x: T): T =>
    Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as T;
  switch (kind as RequestKind) {
    case 'create-personal':
      return {
        kind: 'create-personal',
        details: strip({
          name: text(o, 'name', true, 200),
          org: text(o, 'org', false, 100)?.toLowerCase(),
          title: text(o, 'title', false, 200),
          personId: text(o, 'personId', false, 64),
        }),
      };
    case 'create-sub-unit':
      return {
        kind: 'create-sub-unit',
        details: { code: text(o, 'code', true, 64).toLowerCase(), name: text(o, 'name', true, 300) },
      };
    case 'create-agency':
      return {
        kind: 'create-agency',
        details: strip({
          code: text(o, 'code', true, 64).toLowerCase(),
          name: text(o, 'name', true, 300),
          category: text(o, 'category', false, 40),
          contact: text(o, 'contact', true, 320).toLowerCase(),
        }),
      };
    case 'change': {
      const q = o.quotaBytes;
      if (q !== undefined && q !== null && (typeof q !== 'number' || !Number.isSafeInteger(q) || q <= 0))
        bad(
          'quotaBytes',
          'Dung lượng phải là số byte nguyên dương, hoặc null để dùng mức mặc định.',
          'quotaBytes must be a positive whole number of bytes, or null for the default.',
        );
      const d: ChangeDetails = strip({
        address: text(o, 'address', true, 320).toLowerCase(),
        name: text(o, 'name', false, 300),
        title: text(o, 'title', false, 200),
        transferTo: text(o, 'transferTo', false, 100)?.toLowerCase(),
        addAliases: list(o, 'addAliases'),
        removeAliases: list(o, 'removeAliases'),
      });
      if (q !== undefined) d.quotaBytes = q as number | null;
      if (
        d.name === undefined &&
        d.title === undefined &&
        d.transferTo === undefined &&
        d.quotaBytes === undefined &&
        !d.addAliases?.length &&
        !d.removeAliases?.length
      )
        bad(
          'details',
          'Đề nghị thay đổi phải nêu ít nhất một thay đổi: name, title, transferTo, quotaBytes, addAliases, removeAliases.',
          'A change request needs at least one change: name, title, transferTo, quotaBytes, addAliases, removeAliases.',
        );
      return { kind: 'change', details: d };
    }
    case 'delete': {
      const reason = text(o, 'reason', true, 40);
      if (!(DELETE_REASONS as readonly string[]).includes(reason))
        bad(
          'reason',
          `Lý do xóa "${reason}" không hợp lệ; chọn: retirement (nghỉ hưu), resignation (nghỉ việc), transfer-out (chuyển công tác ra ngoài), dissolution (giải thể, sáp nhập).`,
          `Deletion reason "${reason}" is not valid; use: ${DELETE_REASONS.join(', ')}.`,
        );
      return {
        kind: 'delete',
        details: { address: text(o, 'address', true, 320).toLowerCase(), reason: reason as DeleteReason },
      };
    }
    case 'restore':
      return { kind: 'restore', details: { address: text(o, 'address', true, 320).toLowerCase() } };
  }
}

/** What the request asks for, in a phrase for letters and lists: "cấp mới hộp thư …". */
export function describe(r: RequestDetails): { vi: string; en: string } {
  switch (r.kind) {
    case 'create-personal':
      return {
        vi: `cấp mới hộp thư điện tử công vụ cá nhân cho ông/bà ${r.details.name}${r.details.title ? `, ${r.details.title}` : ''}`,
        en: `a new personal mailbox for ${r.details.name}${r.details.title ? `, ${r.details.title}` : ''}`,
      };
    case 'create-sub-unit':
      return {
        vi: `cấp mới hộp thư điện tử công vụ cho đơn vị trực thuộc ${r.details.name}`,
        en: `a new mailbox for the sub-unit ${r.details.name}`,
      };
    case 'create-agency':
      return {
        vi: `cấp mới hộp thư điện tử công vụ cho cơ quan, đơn vị ${r.details.name}`,
        en: `a new mailbox for the agency ${r.details.name}`,
      };
    case 'change': {
      const d = r.details;
      const parts: Array<[string, string]> = [];
      if (d.name) parts.push([`tên thành "${d.name}"`, `name to "${d.name}"`]);
      if (d.title) parts.push([`chức danh thành "${d.title}"`, `title to "${d.title}"`]);
      if (d.transferTo)
        parts.push([`chuyển công tác sang đơn vị "${d.transferTo}"`, `transfer to "${d.transferTo}"`]);
      if (d.quotaBytes !== undefined) {
        const q = d.quotaBytes === null ? null : `${(d.quotaBytes / 1e9).toFixed(1).replace(/\.0$/, '')} GB`;
        parts.push(
          q ? [`dung lượng ${q}`, `quota ${q}`] : ['dung lượng theo mức mặc định', 'the default quota'],
        );
      }
      if (d.addAliases?.length)
        parts.push([`thêm bí danh ${d.addAliases.join(', ')}`, `add aliases ${d.addAliases.join(', ')}`]);
      if (d.removeAliases?.length)
        parts.push([
          `bỏ bí danh ${d.removeAliases.join(', ')}`,
          `remove aliases ${d.removeAliases.join(', ')}`,
        ]);
      const vi = parts.map((p) => p[0]);
      const en = parts.map((p) => p[1]);
      return {
        vi: `thay đổi thông tin hộp thư ${d.address} (${vi.join('; ')})`,
        en: `a change to the mailbox ${d.address} (${en.join('; ')})`,
      };
    }
    case 'delete':
      return {
        vi: `xóa hộp thư ${r.details.address} (lý do: ${DELETE_REASON_TEXT[r.details.reason].vi})`,
        en: `the deletion of the mailbox ${r.details.address} (reason: ${DELETE_REASON_TEXT[r.details.reason].en})`,
      };
    case 'restore':
      return {
        vi: `khôi phục hộp thư bị tạm khóa ${r.details.address}`,
        en: `the restore of the suspended mailbox ${r.details.address}`,
      };
  }
}
