/**
 * How a request is shown (API, CLI): its fields, the deadline with the working days left and the
 * overdue flag as of now, and its reply letter.
 */
import type { Selectable } from 'kysely';
import type { RequestLettersTable, RequestsTable } from '../../store/index.ts';
import type { WorkingDayCalendar } from '../calendar/index.ts';
import { vnDate } from '../lifecycle-dates.ts';
import { progressOf } from './deadlines.ts';
import { describe, parseDetails, type RequestDetails } from './kinds.ts';
import { STATE_VI, type RequestState } from './state.ts';

export type RequestRow = Selectable<RequestsTable>;
export type LetterRow = Selectable<RequestLettersTable>;

export interface RequestView {
  id: string;
  ref: string;
  kind: string;
  agency: { code: string; name: string } | null;
  target: string | null;
  details: Record<string, unknown>;
  summary: { vi: string; en: string };
  basis: {
    number: string;
    date: string;
    issuer: string;
    type: string;
    size: number;
    filename: string | null;
  };
  state: RequestState;
  stateText: { vi: string; en: string };
  filedBy: string;
  receivedAt: string;
  receivedOn: string;
  deadline: string;
  remindOn: string;
  daysLeft: number | null;
  overdue: boolean;
  decidedLate: boolean | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  result: Record<string, unknown> | null;
  letter: { number: string; createdAt: string; delivered: boolean } | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export function detailsOf(row: Pick<RequestRow, 'kind' | 'payload'>): RequestDetails {
  return parseDetails(row.kind, JSON.parse(row.payload));
}

export function requestView(
  row: RequestRow,
  extra: {
    agency: { code: string; name: string } | null;
    target: string | null;
    letter: LetterRow | null;
    cal: WorkingDayCalendar;
    now: Date;
  },
): RequestView {
  const details = detailsOf(row);
  const p = progressOf(
    extra.cal,
    {
      state: row.state,
      deadline: row.deadline,
      decidedAt: row.decided_at === null ? null : new Date(Number(row.decided_at)),
    },
    extra.now,
  );
  return {
    id: row.id,
    ref: row.ref,
    kind: row.kind,
    agency: extra.agency,
    target: extra.target,
    details: details.details as unknown as Record<string, unknown>,
    summary: describe(details),
    basis: {
      number: row.basis_number,
      date: row.basis_date,
      issuer: row.basis_issuer,
      type: row.basis_type,
      size: Number(row.basis_size),
      filename: row.basis_filename,
    },
    state: row.state,
    stateText: { vi: STATE_VI[row.state], en: row.state },
    filedBy: row.filed_by_label ?? row.filed_by,
    receivedAt: iso(Number(row.received_at))!,
    receivedOn: vnDate(Number(row.received_at)),
    deadline: row.deadline,
    remindOn: row.remind_on,
    daysLeft: p.daysLeft,
    overdue: p.overdue,
    decidedLate: p.decidedLate,
    reviewedBy: row.reviewed_by,
    reviewedAt: iso(row.reviewed_at),
    decidedBy: row.decided_by_label ?? row.decided_by,
    decidedAt: iso(row.decided_at),
    decisionReason: row.decision_reason,
    result: row.result ? (JSON.parse(row.result) as Record<string, unknown>) : null,
    letter: extra.letter
      ? {
          number: extra.letter.number,
          createdAt: iso(Number(extra.letter.created_at))!,
          delivered: extra.letter.delivered_at !== null,
        }
      : null,
  };
}
