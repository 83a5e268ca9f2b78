/**
 * Row types of every table, as Kysely sees them. Both dialects store the same shapes:
 * times are integer milliseconds since the epoch (UTC), booleans are 0/1 integers, JSON is text.
 * Migrations in ./migrations create these tables; keep the two in step.
 */
import type { ColumnType, Generated } from 'kysely';

export type OrgKind = 'province' | 'agency' | 'sub-unit';
export type AccountKind = 'agency' | 'sub-unit' | 'personal';
export type AccountState = 'active' | 'suspended' | 'deleted';
export type Role = 'operator' | 'auditor' | 'agency-admin' | 'user';

export interface OrganisationsTable {
  id: string;
  code: string; // the full local part of its mailbox: 'sokhcn', 'vanphong.sokhcn'
  abbrev: string; // its own abbreviation: 'vanphong'
  name: string;
  kind: OrgKind;
  category: string | null; // for agencies: department, board, commune, ward, special-zone, other
  parent_id: string | null;
  created_at: number;
  updated_at: number;
  dissolved_at: number | null;
}

export interface AccountsTable {
  id: string;
  kind: AccountKind;
  org_id: string; // the organisation this mailbox belongs to (personal: where the person works now)
  person_id: string | null; // unique among personal accounts: one person, one mailbox (Điều 3.2)
  display_name: string;
  title: string | null;
  local_part: string;
  domain: string;
  state: AccountState;
  state_reason: string | null;
  state_basis: string | null;
  state_changed_at: number;
  purge_after: number | null;
  role: Role;
  admin_org_id: string | null; // for role agency-admin: the agency it acts for
  password_hash: string | null;
  password_changed_at: number | null;
  password_must_change: number; // 1: a default password, nothing else allowed until changed (Điều 9.2.a)
  quota_bytes: number | null; // null: the class default from config
  used_bytes: ColumnType<number, number | undefined, number>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: number | null;
  last_access_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface AddressesTable {
  local_part: string;
  domain: string;
  account_id: string;
  kind: 'primary' | 'alias';
  state: 'active' | 'retired'; // retired addresses are never issued again (Điều 6.2.b)
  created_at: number;
  retired_at: number | null;
}

export interface PasswordHistoryTable {
  id: Generated<number>;
  account_id: string;
  hash: string;
  created_at: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  actor: string; // account id, 'cli:<os user>' or 'system'
  actor_label: string | null; // address or name, for reading the log without joins
  action: string; // dotted: 'account.create', 'account.suspend', …
  target_type: string;
  target_id: string | null;
  source_ip: string | null;
  reason: string | null;
  details: string | null; // JSON; never secrets
}

export interface AccessEventsTable {
  id: Generated<number>;
  at: number;
  account_id: string; // who signed in
  mailbox_id: string; // whose mailbox was used (a delegate uses another)
  protocol: string; // imap, pop3, smtp, http
  kind: string; // 'login', 'inbox'
  client_ip: string | null;
}

export interface BlobsTable {
  id: string; // sha256 hex of the content
  size: number;
  refcount: number;
  created_at: number;
  zero_since: number | null; // when refcount last dropped to 0: the GC's grace clock
}

export interface FoldersTable {
  id: string;
  account_id: string;
  name: string; // full path, '/' as the hierarchy delimiter, UTF-8 (NFC)
  special_use: string | null; // RFC 6154 attribute (e.g. \Sent, \Drafts); INBOX has none
  uid_validity: number;
  uid_next: number;
  highest_modseq: number;
  subscribed: number;
  created_at: number;
}

export interface MessageMetaTable {
  blob_id: string;
  index_json: string; // the MIME index (src/mail), computed once at ingest
  envelope_json: string | null; // index.root.envelope alone, for listings (0010)
  refs: string | null; // the References field as stored (latin1), '' if none; NULL before 0010
  subject: string | null;
  from_addr: string | null;
  message_id: string | null;
  sent_at: number | null;
  preview: string | null;
  attachments_bytes: number;
}

export interface MessagesTable {
  id: Generated<number>;
  folder_id: string;
  uid: number;
  blob_id: string;
  size: number;
  internal_date: number;
  saved_at: number; // RFC 8514 SAVEDATE
  modseq: number;
  flags: string; // space-separated: system flags and keywords, canonical order
  seen: number;
  deleted: number;
  source: string; // smtp, append, import, restore, system
}

export interface ExpungedTable {
  folder_id: string;
  uid: number;
  modseq: number;
}

export interface CalendarYearsTable {
  year: number;
  updated_at: number;
}

export interface CalendarEntriesTable {
  date: string;
  year: number;
  kind: 'off' | 'work';
  reason_vi: string;
  reason_en: string;
  updated_at: number;
}

export interface SessionsTable {
  token_hash: string;
  account_id: string;
  restricted: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  client_ip: string | null;
  user_agent: string | null;
}

export interface LifecycleExemptionsTable {
  id: string;
  account_id: string;
  reason: string;
  basis: string | null;
  from_date: string; // YYYY-MM-DD in Asia/Ho_Chi_Minh, inclusive
  until_date: string; // inclusive
  filed_by: string; // actor id
  filed_at: number;
}

export interface NoticesTable {
  id: string;
  year: number;
  seq: number;
  number: string; // "12/TB-SKHCN"
  kind: string;
  account_id: string | null; // the mailbox the notice is about
  subject: string;
  message_id: string;
  recipients: string; // JSON array of account ids
  created_at: number;
}

export interface LifecycleActionsTable {
  id: string;
  account_id: string;
  kind: string; // warn-inactive, suspend-inactive, notice-deletion, delete-inactive, password-reminder-14, …
  cycle_key: number;
  due_at: number;
  claimed_at: number;
  done_at: number | null;
  notice_id: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export type QueueRecipientState = 'queued' | 'deferred' | 'delivered' | 'failed';

export interface QueueMessagesTable {
  id: string;
  blob_id: string; // holds one reference in `blobs` while queued
  size: number;
  mail_from: string; // RFC 5321 reverse-path; '' for the null sender (no DSN about it)
  submitted_by: string | null;
  subject: string | null;
  created_at: number;
  dsn_lease_until: number | null; // a runner composing this message's DSN
}

export interface QueueRecipientsTable {
  id: Generated<number>;
  message_id: string;
  address: string;
  domain: string; // ASCII (A-label), lower-case
  state: QueueRecipientState;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: number;
  lease_until: number | null;
  last_attempt_at: number | null;
  last_reply: string | null;
  last_status: string | null; // RFC 3463 enhanced status code
  remote_mta: string | null;
  delay_notified: ColumnType<number, number | undefined, number>;
  dsn_pending: 'delayed' | 'failed' | null;
  updated_at: number;
}

/**
 * 0007: one full-text document per blob (src/mailbox/search-index.ts). SQLite keeps the folded
 * text in the FTS5 table `search_fts` (rowid = `id`); PostgreSQL keeps it in this table's
 * `subject`, `addrs`, `hdr`, `body` and `attachments` columns (pg_trgm GIN indexes). Both are
 * written with raw SQL; the typed columns are the ones both dialects share.
 */
export interface SearchDocsTable {
  blob_id: string;
  /** 1: the whole decoded text is indexed; 0: the body was cut, so the index cannot exclude it. */
  complete: number;
}

/** 0013: the exact (NFC, lower-case) header and body text of a blob, for SEARCH (search-index.ts). */
export interface SearchExactTable {
  blob_id: string;
  hdr: string;
  subject: string;
  body: string;
}

/** 0008: a delegated agency or sub-unit mailbox (Điều 10.1); revocation deletes the row. */
export interface DelegationsTable {
  owner_id: string; // the agency or sub-unit mailbox account
  grantee_id: string; // the personal account that may use it
  rights: string; // RFC 4314 rights string in canonical order ('lrs', 'lrswikxte')
  send_as: number; // 1: may send as the mailbox's addresses
  granted_by: string; // actor id
  granted_at: number;
}

/** 0009: mailbox requests (Điều 7.2, 8.3); see migrations/0009-requests.ts. */
export type RequestState = 'filed' | 'in-review' | 'approved' | 'rejected' | 'withdrawn';

export interface RequestsTable {
  id: string;
  year: number;
  seq: number;
  ref: string; // "YC-2026-0012": what people quote
  agency_id: string | null; // the agency it is filed for; null only for a new agency
  kind: string; // create-personal, create-sub-unit, create-agency, change, delete, restore
  target_account_id: string | null; // the existing mailbox it is about (change, delete, restore)
  payload: string; // JSON
  basis_number: string;
  basis_date: string; // YYYY-MM-DD
  basis_issuer: string;
  basis_blob_id: string; // holds one reference in `blobs`
  basis_type: string; // application/pdf, image/jpeg, image/png (checked by magic bytes)
  basis_size: number;
  basis_filename: string | null;
  state: RequestState;
  filed_by: string; // actor id
  filed_by_label: string | null;
  received_at: number;
  deadline: string; // YYYY-MM-DD, the last working day to answer (inclusive)
  remind_on: string; // YYYY-MM-DD, one working day before the deadline
  reviewed_by: string | null;
  reviewed_at: number | null;
  decided_by: string | null;
  decided_by_label: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  result: string | null; // JSON
  reminder_notice_id: string | null;
  reminder_done_at: number | null;
  overdue_notice_id: string | null;
  overdue_done_at: number | null;
  updated_at: number;
}

export interface RequestLettersTable {
  id: string;
  request_id: string;
  year: number;
  seq: number;
  number: string; // "15/SKHCN-TTCNTT"
  decision: 'approved' | 'rejected';
  content: string; // JSON
  recipients: string; // JSON array of account ids
  message_id: string;
  created_at: number;
  delivered_at: number | null;
}

export interface ActivationsTable {
  id: string;
  token_hash: string;
  account_id: string;
  request_id: string | null;
  recipients: string; // JSON array of account ids
  created_at: number;
  expires_at: number;
  used_at: number | null;
  superseded_at: number | null;
  delivered_at: number | null;
}

/** 0012: classified-document incidents (Điều 10.4, 11.3); see migrations/0012-incidents.ts. */
export type IncidentState = 'reported' | 'contained' | 'assessed' | 'closed';

export interface IncidentsTable {
  id: string;
  year: number;
  seq: number;
  number: string; // "SC-MAT-2026-0001"
  kind: string; // 'state-secret'
  state: IncidentState;
  agency_id: string | null; // the agency where the document was found
  reporter_id: string;
  reporter_label: string | null;
  mailbox_id: string;
  mailbox_address: string;
  folder_name: string;
  uid: number;
  uid_validity: number;
  blob_id: string; // SHA-256 of the reported bytes
  size: number;
  message_id: string | null;
  sender: string | null;
  note: string | null;
  assessment: string | null;
  reported_at: number;
  contained_at: number | null;
  assessed_at: number | null;
  closed_at: number | null;
  updated_at: number;
}

export interface IncidentEventsTable {
  incident_id: string;
  seq: number;
  at: number;
  actor: string;
  actor_label: string | null;
  kind: string; // reported, notified, contained, assessed, closed, content-granted, content-read
  details: string; // JSON
  prev_hash: string;
  hash: string; // SHA-256 hex of prev_hash and this event (chain of custody)
}

export interface IncidentQuarantineTable {
  id: string;
  incident_id: string;
  blob_id: string; // holds one reference in `blobs`
  sha256: string;
  size: number;
  message_id: string | null;
  account_id: string;
  address: string;
  folder_name: string;
  uid: number;
  uid_validity: number;
  flags: string;
  internal_date: number;
  saved_at: number;
  source: string;
  quarantined_at: number;
  quarantined_by: string;
}

export interface IncidentContentGrantsTable {
  incident_id: string;
  auditor_id: string;
  granted_by: string;
  granted_by_label: string | null;
  granted_at: number;
}

/** 0011: the faults register (Điều 10.5, 11.4); see migrations/0011-faults.ts. */
export interface FaultsTable {
  id: string;
  year: number;
  seq: number;
  number: string; // "SC-2026-0001"
  reporter_id: string;
  reporter_label: string | null;
  agency_id: string | null;
  subject: string;
  description: string;
  state: string; // reported | acknowledged | escalated | resolved | closed (governance/faults)
  level: string; // agency | operator
  assignee_id: string | null;
  assignee_label: string | null;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  closed_at: number | null;
}

export interface FaultEventsTable {
  id: string;
  fault_id: string;
  seq: number; // 1, 2, … per fault
  at: number;
  actor: string;
  actor_label: string | null;
  action: string;
  from_state: string | null;
  to_state: string;
  note: string | null;
}

/** 0014: entries hidden from the public directory (Điều 11.1); see migrations/0014-directory-hidden.ts. */
export interface DirectoryHiddenTable {
  account_id: string;
  reason: string;
  hidden_by: string; // actor id
  hidden_by_label: string | null;
  hidden_at: number;
}

export interface Database {
  organisations: OrganisationsTable;
  accounts: AccountsTable;
  addresses: AddressesTable;
  password_history: PasswordHistoryTable;
  audit_events: AuditEventsTable;
  access_events: AccessEventsTable;
  blobs: BlobsTable;
  meta: MetaTable;
  folders: FoldersTable;
  message_meta: MessageMetaTable;
  messages: MessagesTable;
  expunged: ExpungedTable;
  calendar_years: CalendarYearsTable;
  calendar_entries: CalendarEntriesTable;
  sessions: SessionsTable;
  lifecycle_exemptions: LifecycleExemptionsTable;
  notices: NoticesTable;
  lifecycle_actions: LifecycleActionsTable;
  queue_messages: QueueMessagesTable;
  queue_recipients: QueueRecipientsTable;
  search_docs: SearchDocsTable;
  search_exact: SearchExactTable;
  requests: RequestsTable;
  request_letters: RequestLettersTable;
  activations: ActivationsTable;
  delegations: DelegationsTable;
  faults: FaultsTable;
  fault_events: FaultEventsTable;
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  incident_quarantine: IncidentQuarantineTable;
  incident_content_grants: IncidentContentGrantsTable;
  directory_hidden: DirectoryHiddenTable;
}
