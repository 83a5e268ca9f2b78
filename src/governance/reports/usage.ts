/**
 * The usage report (Điều 13): per agency and for the whole province. Pure: the service gathers
 * grouped rows (one query per metric for the whole period) and this module sums them per agency
 * (a sub-unit counts with its agency) and for the province, and renders the CSV.
 *
 * Accounts and storage are the state when the report is made; messages, requests and incidents
 * are the flows of the period. Spam and malware counts are not available until filtering lands:
 * they are null, and the outputs say so.
 */

export type UsageAccountKind = 'personal' | 'agency' | 'sub-unit';
export type UsageAccountState = 'active' | 'suspended' | 'deleted';

export interface UsageOrg {
  id: string;
  code: string;
  name: string;
  kind: 'province' | 'agency' | 'sub-unit';
  parentId: string | null;
}

/** Accounts of one organisation, kind and state (grouped in the database). */
export interface UsageAccountGroup {
  orgId: string;
  kind: UsageAccountKind;
  state: UsageAccountState;
  count: number;
  usedBytes: number;
  /** The sum of the quotas set per account, and how many accounts use the class default. */
  quotaOverrideBytes: number;
  quotaDefaults: number;
}

export interface UsageCount {
  orgId: string;
  count: number;
}

export interface UsageRequestRow {
  agencyId: string | null;
  /** 'on-time' | 'late' (decided in the period) or 'open-overdue' (undecided, deadline passed). */
  outcome: 'on-time' | 'late' | 'open-overdue';
  count: number;
}

export interface UsageIncidentRow {
  agencyId: string | null;
  count: number;
}

export interface UsageInput {
  orgs: UsageOrg[];
  accounts: UsageAccountGroup[];
  sent: UsageCount[];
  received: UsageCount[];
  requests: UsageRequestRow[];
  incidents: UsageIncidentRow[];
  quota: { personalBytes: number; agencyBytes: number };
}

export interface UsageFigures {
  accounts: Record<UsageAccountKind, Record<UsageAccountState, number>> & { total: number };
  storage: { usedBytes: number; quotaBytes: number; usedRate: number | null };
  messages: { sent: number; received: number };
  requests: { onTime: number; late: number; openOverdue: number };
  incidents: number;
  /** Not available until filtering lands (null). */
  spam: number | null;
  malware: number | null;
}

export interface AgencyUsage extends UsageFigures {
  code: string;
  name: string;
}

export interface UsageTotals {
  agencies: AgencyUsage[];
  /** The whole province (every agency, and what belongs to no agency), or null when one agency is asked. */
  province: UsageFigures | null;
}

const KINDS: readonly UsageAccountKind[] = ['personal', 'agency', 'sub-unit'];
const STATES: readonly UsageAccountState[] = ['active', 'suspended', 'deleted'];

export function emptyFigures(): UsageFigures {
  const byState = (): Record<UsageAccountState, number> => ({ active: 0, suspended: 0, deleted: 0 });
  return {
    accounts: { personal: byState(), agency: byState(), 'sub-unit': byState(), total: 0 },
    storage: { usedBytes: 0, quotaBytes: 0, usedRate: null },
    messages: { sent: 0, received: 0 },
    requests: { onTime: 0, late: 0, openOverdue: 0 },
    incidents: 0,
    spam: null,
    malware: null,
  };
}

/**
 * Sums the rows per agency (sorted by code) and, when `province` is true, for the province.
 * `only`: the agency ids to list (null: every agency).
 */
export function usageReport(
  input: UsageInput,
  opts: { only: string[] | null; province: boolean },
): UsageTotals {
  const byId = new Map(input.orgs.map((o) => [o.id, o]));
  const agencyOf = (orgId: string | null): string | null => {
    if (orgId === null) return null;
    const o = byId.get(orgId);
    if (!o) return null;
    if (o.kind === 'agency') return o.id;
    if (o.kind === 'sub-unit') return o.parentId;
    return null;
  };
  const figures = new Map<string | null, UsageFigures>();
  const of = (agencyId: string | null): UsageFigures => {
    let f = figures.get(agencyId);
    if (!f) figures.set(agencyId, (f = emptyFigures()));
    return f;
  };
  for (const g of input.accounts) {
    const f = of(agencyOf(g.orgId));
    f.accounts[g.kind][g.state] += g.count;
    f.accounts.total += g.count;
    // Storage against quota: the mailboxes that still hold mail (a deleted one is purged later).
    if (g.state !== 'deleted') {
      const dflt = g.kind === 'personal' ? input.quota.personalBytes : input.quota.agencyBytes;
      f.storage.usedBytes += g.usedBytes;
      f.storage.quotaBytes += g.quotaOverrideBytes + g.quotaDefaults * dflt;
    }
  }
  for (const s of input.sent) of(agencyOf(s.orgId)).messages.sent += s.count;
  for (const r of input.received) of(agencyOf(r.orgId)).messages.received += r.count;
  for (const r of input.requests) {
    const f = of(r.agencyId);
    if (r.outcome === 'on-time') f.requests.onTime += r.count;
    else if (r.outcome === 'late') f.requests.late += r.count;
    else f.requests.openOverdue += r.count;
  }
  for (const i of input.incidents) of(i.agencyId).incidents += i.count;

  const agencies = input.orgs
    .filter((o) => o.kind === 'agency' && (opts.only === null || opts.only.includes(o.id)))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((o) => ({ code: o.code, name: o.name, ...withRate(figures.get(o.id) ?? emptyFigures()) }));
  let province: UsageFigures | null = null;
  if (opts.province) {
    province = emptyFigures();
    for (const f of figures.values()) add(province, f);
    province = withRate(province);
  }
  return { agencies, province };
}

function add(into: UsageFigures, f: UsageFigures): void {
  for (const k of KINDS) for (const s of STATES) into.accounts[k][s] += f.accounts[k][s];
  into.accounts.total += f.accounts.total;
  into.storage.usedBytes += f.storage.usedBytes;
  into.storage.quotaBytes += f.storage.quotaBytes;
  into.messages.sent += f.messages.sent;
  into.messages.received += f.messages.received;
  into.requests.onTime += f.requests.onTime;
  into.requests.late += f.requests.late;
  into.requests.openOverdue += f.requests.openOverdue;
  into.incidents += f.incidents;
}

function withRate(f: UsageFigures): UsageFigures {
  return {
    ...f,
    storage: {
      ...f.storage,
      usedRate: f.storage.quotaBytes > 0 ? f.storage.usedBytes / f.storage.quotaBytes : null,
    },
  };
}

const CSV_HEADER = [
  'ma_co_quan/agency_code',
  'ten/name',
  'tk_ca_nhan_hoat_dong/personal_active',
  'tk_ca_nhan_tam_khoa/personal_suspended',
  'tk_ca_nhan_da_xoa/personal_deleted',
  'tk_co_quan_hoat_dong/agency_active',
  'tk_co_quan_tam_khoa/agency_suspended',
  'tk_co_quan_da_xoa/agency_deleted',
  'tk_don_vi_hoat_dong/sub_unit_active',
  'tk_don_vi_tam_khoa/sub_unit_suspended',
  'tk_don_vi_da_xoa/sub_unit_deleted',
  'tong_tk/accounts_total',
  'dung_luong_byte/used_bytes',
  'han_muc_byte/quota_bytes',
  'thu_gui/sent',
  'thu_nhan/received',
  'yc_dung_han/requests_on_time',
  'yc_tre_han/requests_late',
  'yc_qua_han_chua_xu_ly/requests_open_overdue',
  'su_co/incidents',
  'thu_rac/spam',
  'ma_doc/malware',
];

const cell = (v: string | number | null): string => {
  if (v === null) return 'N/A';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function csvRow(code: string, name: string, f: UsageFigures): string {
  const a = f.accounts;
  return [
    code,
    name,
    a.personal.active,
    a.personal.suspended,
    a.personal.deleted,
    a.agency.active,
    a.agency.suspended,
    a.agency.deleted,
    a['sub-unit'].active,
    a['sub-unit'].suspended,
    a['sub-unit'].deleted,
    a.total,
    f.storage.usedBytes,
    f.storage.quotaBytes,
    f.messages.sent,
    f.messages.received,
    f.requests.onTime,
    f.requests.late,
    f.requests.openOverdue,
    f.incidents,
    f.spam,
    f.malware,
  ]
    .map(cell)
    .join(',');
}

/** CSV: a header row, one row per agency, a last row for the province; UTF-8 with a BOM, CRLF. */
export function usageCsv(t: UsageTotals): string {
  const rows = [CSV_HEADER.join(',')];
  for (const a of t.agencies) rows.push(csvRow(a.code, a.name, a));
  if (t.province) rows.push(csvRow('TOAN_TINH', 'Toàn tỉnh / Whole province', t.province));
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}

export interface FinanceLine {
  accounts: number;
  usedBytes: number;
  quotaBytes: number;
}

/** The finance view: accounts (not deleted) and storage per agency, now. */
export interface FinanceView {
  generatedAt: string;
  agencies: (FinanceLine & { code: string; name: string })[];
  province: FinanceLine;
}

/** The finance view as CSV: one row per agency and one for the province. */
export function financeCsv(f: FinanceView): string {
  const header = [
    'ma_co_quan/agency_code',
    'ten/name',
    'so_tai_khoan/accounts',
    'dung_luong_byte/used_bytes',
    'han_muc_byte/quota_bytes',
  ].join(',');
  const rows = [header];
  const row = (code: string, name: string, l: FinanceLine) =>
    [code, name, l.accounts, l.usedBytes, l.quotaBytes].map(cell).join(',');
  for (const a of f.agencies) rows.push(row(a.code, a.name, a));
  rows.push(row('TOAN_TINH', 'Toàn tỉnh / Whole province', f.province));
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}

/** The note on the spam and malware columns, Vietnamese then English. */
export const FILTERING_NOTE =
  'Số thư rác và mã độc: chưa có (chưa triển khai lọc thư). / Spam and malware counts: not available (filtering has not landed).';
