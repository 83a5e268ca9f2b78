// The whole permission matrix: every role × every action × every kind of target.
import { describe, expect, it } from 'vitest';
import { can, ROLES, type Action, type Principal } from './roles.ts';
import type { Role } from '../store/schema.ts';

const ACTIONS: Action[] = [
  'org.create',
  'org.update',
  'org.read',
  'account.create',
  'account.update',
  'account.read',
  'account.state',
  'account.set-password',
  'account.change-own-password',
  'audit.read',
  'security.read',
  'report.read',
  'mail.read-own',
  'calendar.edit',
  'account.report-compromised',
  'lifecycle.exempt',
  'lifecycle.run',
  'delegation.manage',
  'request.file',
  'request.decide',
  'request.read',
  'incident.report',
  'incident.contain',
  'incident.manage',
  'incident.read',
  'incident.read-content',
  'report.checking',
  'fault.report',
  'fault.read',
  'fault.handle',
  'directory.hide',
  'org.reorganise',
];

type TargetKind = 'none' | 'self' | 'own-agency' | 'other-agency';
const TARGETS: TargetKind[] = ['none', 'self', 'own-agency', 'other-agency'];

const ME = 'acct-me';
const MY_AGENCY = 'agency-a';
const principal = (role: Role): Principal => ({
  accountId: ME,
  role,
  adminAgencyId: role === 'agency-admin' ? MY_AGENCY : null,
});
const target = (t: TargetKind) =>
  t === 'none'
    ? {}
    : t === 'self'
      ? { accountId: ME, agencyId: MY_AGENCY }
      : t === 'own-agency'
        ? { accountId: 'acct-colleague', agencyId: MY_AGENCY }
        : { accountId: 'acct-stranger', agencyId: 'agency-b' };

// Expected, written out row by row: Y = allowed on that target kind (none, self, own agency, other agency).
const EXPECTED: Record<Role, Record<Action, string>> = {
  operator: {
    'org.create': 'YYYY',
    'org.update': 'YYYY',
    'org.read': 'YYYY',
    'account.create': 'YYYY',
    'account.update': 'YYYY',
    'account.read': 'YYYY',
    'account.state': 'YYYY',
    'account.set-password': 'YYYY',
    'account.change-own-password': 'YY..', // own only: never someone else's "own" password
    'audit.read': 'YYYY',
    'security.read': 'YYYY',
    'report.read': 'YYYY',
    'mail.read-own': '.Y..', // no role reads another's mail
    'calendar.edit': 'YYYY',
    'account.report-compromised': 'YYYY',
    'lifecycle.exempt': 'YYYY',
    'lifecycle.run': 'YYYY',
    'delegation.manage': 'YYYY',
    'request.file': 'YYYY',
    'request.decide': 'YYYY',
    'request.read': 'YYYY',
    'incident.report': '.Y..', // a message in one's own mailbox only
    'incident.contain': 'YYYY',
    'incident.manage': 'YYYY',
    'incident.read': 'YYYY',
    'incident.read-content': 'YYYY', // custodian of the evidence; every read audited
    'report.checking': 'YYYY',
    'fault.report': '.Y..', // one's own report only
    'fault.read': 'YYYY',
    'fault.handle': 'YYYY', // handles escalated faults, may take any
    'directory.hide': 'YYYY', // the public directory (Điều 11.1): the operator only
    'org.reorganise': 'YYYY', // mergers, dissolutions: the operator only
  },
  auditor: {
    'org.create': '....',
    'org.update': '....',
    'org.read': 'YYYY',
    'account.create': '....',
    'account.update': '....',
    'account.read': 'YYYY',
    'account.state': '....',
    'account.set-password': '....',
    'account.change-own-password': 'YY..',
    'audit.read': 'YYYY',
    'security.read': 'YYYY',
    'report.read': 'YYYY',
    'mail.read-own': '.Y..',
    'calendar.edit': '....',
    'account.report-compromised': '.Y..',
    'lifecycle.exempt': '....',
    'lifecycle.run': '....',
    'delegation.manage': '....',
    'request.file': '....',
    'request.decide': '....',
    'request.read': 'YYYY', // oversight: reads requests, decides nothing
    'incident.report': '.Y..',
    'incident.contain': '....',
    'incident.manage': '....',
    'incident.read': 'YYYY', // metadata and evidence hashes
    'incident.read-content': '....', // only with a per-incident grant (below)
    'report.checking': 'YYYY', // oversight of use (Điều 13.2)
    'fault.report': '.Y..',
    'fault.read': 'YYYY',
    'fault.handle': '....',
    'directory.hide': '....',
    'org.reorganise': '....',
  },
  'agency-admin': {
    'org.create': '....',
    'org.update': '....',
    'org.read': '.YY.',
    'account.create': '....',
    'account.update': '....',
    'account.read': '.YY.',
    'account.state': '....',
    'account.set-password': '....',
    'account.change-own-password': 'YY..',
    'audit.read': '....',
    'security.read': '.YY.',
    'report.read': '.YY.',
    'mail.read-own': '.Y..',
    'calendar.edit': '....',
    'account.report-compromised': '.YY.',
    'lifecycle.exempt': '.YY.',
    'lifecycle.run': '....',
    'delegation.manage': '.YY.',
    'request.file': '.YY.', // its own agency only
    'request.decide': '....',
    'request.read': '.YY.',
    'incident.report': '.Y..',
    'incident.contain': '....',
    'incident.manage': '....',
    'incident.read': '.YY.', // its own agency's incidents
    'incident.read-content': '....',
    'report.checking': '.YY.', // its own agency only
    'fault.report': '.Y..',
    'fault.read': '.YY.',
    'fault.handle': '.YY.', // the agency's IT contact
    'directory.hide': '....',
    'org.reorganise': '....',
  },
  user: {
    'org.create': '....',
    'org.update': '....',
    'org.read': '....',
    'account.create': '....',
    'account.update': '....',
    'account.read': '.Y..',
    'account.state': '....',
    'account.set-password': '....',
    'account.change-own-password': 'YY..',
    'audit.read': '....',
    'security.read': '.Y..',
    'report.read': '....',
    'mail.read-own': '.Y..',
    'calendar.edit': '....',
    'account.report-compromised': '.Y..',
    'lifecycle.exempt': '....',
    'lifecycle.run': '....',
    'delegation.manage': '....',
    'request.file': '....',
    'request.decide': '....',
    'request.read': '....',
    'incident.report': '.Y..',
    'incident.contain': '....',
    'incident.manage': '....',
    'incident.read': '....',
    'incident.read-content': '....',
    'report.checking': '....',
    'fault.report': '.Y..',
    'fault.read': '.Y..', // its own reports
    'fault.handle': '....',
    'directory.hide': '....',
    'org.reorganise': '....',
  },
};

describe('permission matrix', () => {
  for (const role of ROLES)
    for (const action of ACTIONS)
      it(`${role} ${action}`, () => {
        const got = TARGETS.map((t) => (can(principal(role), action, target(t)) ? 'Y' : '.')).join('');
        expect(got).toBe(EXPECTED[role][action]);
      });

  it('incident content: the auditor only with a grant for that incident; no one else gains by a grant', () => {
    for (const t of TARGETS) {
      const granted = { ...target(t), granted: true };
      expect(can(principal('auditor'), 'incident.read-content', granted)).toBe(true);
      expect(can(principal('agency-admin'), 'incident.read-content', granted)).toBe(false);
      expect(can(principal('user'), 'incident.read-content', granted)).toBe(false);
      expect(can(principal('auditor'), 'incident.manage', granted)).toBe(false);
    }
  });

  it('an agency administrator without an agency is allowed nothing scoped', () => {
    const p: Principal = { accountId: ME, role: 'agency-admin', adminAgencyId: null };
    expect(can(p, 'account.read', { agencyId: null, accountId: 'x' })).toBe(false);
  });
});
