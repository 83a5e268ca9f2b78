/**
 * What the API and the CLI show of an incident: the message reference and the states (list), and
 * for one incident its timeline (chain of custody) and the evidence metadata: hashes, sizes, where
 * each copy was. Never the content, which only `IncidentService.content` gives.
 */
import type { Selectable } from 'kysely';
import type {
  IncidentContentGrantsTable,
  IncidentQuarantineTable,
  IncidentsTable,
} from '../../store/index.ts';
import { parseFlagString } from '../../mailbox/index.ts';
import { chainIntact, type EventRow } from './custody.ts';
import { INCIDENT_STATE_VI, type IncidentState } from './state.ts';

export type IncidentRow = Selectable<IncidentsTable>;
export type QuarantineRow = Selectable<IncidentQuarantineTable>;
export type GrantRow = Selectable<IncidentContentGrantsTable>;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export interface IncidentView {
  id: string;
  number: string;
  kind: string;
  state: IncidentState;
  stateVi: string;
  agency: { code: string; name: string } | null;
  reportedBy: string;
  foundIn: { mailbox: string; folder: string; uid: number; uidValidity: number };
  message: { sha256: string; size: number; messageId: string | null; sender: string | null };
  note: string | null;
  assessment: string | null;
  reportedAt: string;
  containedAt: string | null;
  assessedAt: string | null;
  closedAt: string | null;
}

export interface EvidenceItem {
  sha256: string;
  size: number;
  messageId: string | null;
  mailbox: string;
  folder: string;
  uid: number;
  uidValidity: number;
  flags: string[];
  internalDate: string;
  quarantinedAt: string;
}

export interface IncidentDetail extends IncidentView {
  timeline: Array<{
    seq: number;
    at: string;
    kind: string;
    actor: string;
    details: Record<string, unknown>;
    hash: string;
  }>;
  chainIntact: boolean;
  evidence: {
    copies: number;
    mailboxes: number;
    blobs: Array<{ sha256: string; size: number; copies: number }>;
    items: EvidenceItem[];
  };
  contentGrants: Array<{ auditor: string; grantedBy: string; grantedAt: string }>;
}

export function incidentView(r: IncidentRow, agency: { code: string; name: string } | null): IncidentView {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    state: r.state,
    stateVi: INCIDENT_STATE_VI[r.state],
    agency,
    reportedBy: r.reporter_label ?? r.reporter_id,
    foundIn: {
      mailbox: r.mailbox_address,
      folder: r.folder_name,
      uid: Number(r.uid),
      uidValidity: Number(r.uid_validity),
    },
    message: { sha256: r.blob_id, size: Number(r.size), messageId: r.message_id, sender: r.sender },
    note: r.note,
    assessment: r.assessment,
    reportedAt: iso(r.reported_at)!,
    containedAt: iso(r.contained_at),
    assessedAt: iso(r.assessed_at),
    closedAt: iso(r.closed_at),
  };
}

export function incidentDetail(
  view: IncidentView,
  events: EventRow[],
  quarantine: QuarantineRow[],
  grants: Array<GrantRow & { auditor: string }>,
): IncidentDetail {
  const blobs = new Map<string, { sha256: string; size: number; copies: number }>();
  for (const q of quarantine) {
    const b = blobs.get(q.sha256) ?? { sha256: q.sha256, size: Number(q.size), copies: 0 };
    b.copies++;
    blobs.set(q.sha256, b);
  }
  return {
    ...view,
    timeline: events.map((e) => ({
      seq: Number(e.seq),
      at: iso(e.at)!,
      kind: e.kind,
      actor: e.actor_label ?? e.actor,
      details: JSON.parse(e.details) as Record<string, unknown>,
      hash: e.hash,
    })),
    chainIntact: chainIntact(events),
    evidence: {
      copies: quarantine.length,
      mailboxes: new Set(quarantine.map((q) => q.account_id)).size,
      blobs: [...blobs.values()],
      items: quarantine.map((q) => ({
        sha256: q.sha256,
        size: Number(q.size),
        messageId: q.message_id,
        mailbox: q.address,
        folder: q.folder_name,
        uid: Number(q.uid),
        uidValidity: Number(q.uid_validity),
        flags: parseFlagString(q.flags),
        internalDate: iso(q.internal_date)!,
        quarantinedAt: iso(q.quarantined_at)!,
      })),
    },
    contentGrants: grants.map((g) => ({
      auditor: g.auditor,
      grantedBy: g.granted_by_label ?? g.granted_by,
      grantedAt: iso(g.granted_at)!,
    })),
  };
}
