/**
 * Roles and permissions (REQUIREMENTS.md "Actors"), as pure functions with a test matrix.
 *
 * - operator (Sở KH&CN): runs the system; every governance action; never reads others' mail content,
 *   except the quarantined evidence of a classified-document incident it holds in custody (audited).
 * - auditor (Công an tỉnh, Điều 13.2): audit logs and security events; no changes; no mail content,
 *   unless the operator grants it the content of one incident (`granted` on the target).
 * - agency-admin (head or IT contact of one agency): reads its own agency's organisations,
 *   accounts and reports; files requests for it (governance); delegates its agency's and its
 *   sub-units' mailboxes to people of the agency (Điều 10.1); nothing outside that agency.
 * - user: its own account and mailbox.
 * An agency's scope includes its sub-units. The CLI on the server machine acts as operator.
 */
import type { Role } from '../store/schema.ts';

export const ROLES: readonly Role[] = ['operator', 'auditor', 'agency-admin', 'user'];

export type Action =
  | 'org.create'
  | 'org.update'
  | 'org.read'
  | 'account.create'
  | 'account.update' // name, title, transfer, aliases, quota, role
  | 'account.read'
  | 'account.state' // suspend, restore, delete
  | 'account.set-password' // set a default password for someone else
  | 'account.change-own-password'
  | 'audit.read'
  | 'security.read' // sign-in history, throttling, security events
  | 'report.read'
  | 'calendar.edit' // the working-day calendar (days off, Saturdays worked)
  | 'account.report-compromised' // "my account may be compromised" (Điều 5.1, 8.2.b)
  | 'lifecycle.exempt' // state a reason for a mailbox's inactivity: pauses the clock (Điều 7.3, 8.2.a)
  | 'lifecycle.run' // run the daily lifecycle rules by hand (Điều 7.3, 8.2.a, 5.1)
  | 'delegation.manage' // grant and revoke the use of an agency or sub-unit mailbox (Điều 10.1)
  | 'request.file' // file (or withdraw) a mailbox request for an agency (Điều 7.2.a, 8.3.a)
  | 'request.decide' // take a request in review, approve or reject it (Điều 7.2.b, 8.3.b)
  | 'request.read' // see requests, their deadlines and their reply letters
  | 'incident.report' // report a message in one's own mailbox as holding state secrets (Điều 10.4, 11.3)
  | 'incident.contain' // remove every local copy into the quarantine
  | 'incident.manage' // assess, close, grant an auditor the content of one incident
  | 'incident.read' // incidents, timeline, evidence metadata (never content)
  | 'incident.read-content' // the quarantined message itself: operator; auditor with a grant
  | 'report.checking' // the checking-frequency report (Điều 12): operator, auditor, an agency's own head
  | 'fault.report' // report a fault to one's agency's IT contact (Điều 10.5, 11.4): one's own report
  | 'fault.read' // the faults register: one's own reports, an agency's, all
  | 'fault.handle' // acknowledge, escalate, resolve, close a fault (the IT contact; the operator)
  | 'directory.hide' // hide an entry of the public directory (Điều 11.1), unhide it, list the hidden
  | 'org.reorganise' // merge, rename, move, dissolve organisations in one audited operation (operator)
  | 'mail.read-own';

export interface Principal {
  readonly accountId: string;
  readonly role: Role;
  /** The agency the principal administers (role agency-admin), as the agency's org id. */
  readonly adminAgencyId: string | null;
}

/** What an action is aimed at: the agency it falls under, and the account when there is one. */
export interface Target {
  readonly agencyId?: string | null;
  readonly accountId?: string | null;
  /** The operator granted this principal access to this one object (incident content). */
  readonly granted?: boolean;
}

const OPERATOR: ReadonlySet<Action> = new Set<Action>([
  'org.create',
  'org.update',
  'org.read',
  'account.create',
  'account.update',
  'account.read',
  'account.state',
  'account.set-password',
  'audit.read',
  'security.read',
  'report.read',
  'calendar.edit',
  'account.report-compromised',
  'lifecycle.exempt',
  'lifecycle.run',
  'delegation.manage',
  'request.file', // a paper request that arrived by post is registered by the operator
  'request.decide',
  'request.read',
  'incident.contain',
  'incident.manage',
  'incident.read',
  'incident.read-content', // the custodian of the evidence; every read is audited
  'report.checking',
  'fault.read',
  'fault.handle',
  'directory.hide',
  'org.reorganise',
]);

const AUDITOR: ReadonlySet<Action> = new Set<Action>([
  'org.read',
  'account.read',
  'audit.read',
  'security.read',
  'request.read',
  'incident.read',
  'report.checking', // Điều 13.2: oversight of use, no content
  'report.read', // Điều 13: usage reports and the finance view (figures, no content)
  'fault.read',
]);

const AGENCY_SCOPED: ReadonlySet<Action> = new Set<Action>([
  'org.read',
  'account.read',
  'report.read',
  'security.read',
  'account.report-compromised',
  'lifecycle.exempt',
  'delegation.manage',
  'request.file',
  'request.read',
  'incident.read',
  'report.checking',
  'fault.read',
  'fault.handle', // the agency's IT contact (Điều 10.5, 11.4)
]);

const SELF: ReadonlySet<Action> = new Set<Action>([
  'account.read',
  'account.change-own-password',
  'mail.read-own',
  'security.read',
  'account.report-compromised',
  'incident.report',
  'fault.report',
  'fault.read',
]);

export function can(p: Principal, action: Action, target: Target = {}): boolean {
  const isSelf = target.accountId != null && target.accountId === p.accountId;
  if (SELF.has(action) && (isSelf || (action === 'account.change-own-password' && target.accountId == null)))
    return true;
  // Only the holder changes its own password or reads its own mail, whatever its role.
  if (action === 'mail.read-own' || action === 'account.change-own-password') return false;
  switch (p.role) {
    case 'operator':
      return OPERATOR.has(action);
    case 'auditor':
      // Điều 13.2: no mail content, unless the operator granted it for this one incident.
      if (action === 'incident.read-content') return target.granted === true;
      return AUDITOR.has(action);
    case 'agency-admin':
      return (
        AGENCY_SCOPED.has(action) &&
        p.adminAgencyId !== null &&
        target.agencyId != null &&
        target.agencyId === p.adminAgencyId
      );
    case 'user':
      return false;
  }
}
