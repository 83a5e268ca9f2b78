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
    'report.read': '....',
    'mail.read-own': '.Y..',
    'calendar.edit': '....',
    'account.report-compromised': '.Y..',
    'lifecycle.exempt': '....',
    'lifecycle.run': '....',
    'delegation.manage': '....',
    'request.file': '....',
    'request.decide': '....',
    'request.read': 'YYYY', // oversight: reads requests, decides nothing
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
  },
};

describe('permission matrix', () => {
  for (const role of ROLES)
    for (const action of ACTIONS)
      it(`${role} ${action}`, () => {
        const got = TARGETS.map((t) => (can(principal(role), action, target(t)) ? 'Y' : '.')).join('');
        expect(got).toBe(EXPECTED[role][action]);
      });

  it('an agency administrator without an agency is allowed nothing scoped', () => {
    const p: Principal = { accountId: ME, role: 'agency-admin', adminAgencyId: null };
    expect(can(p, 'account.read', { agencyId: null, accountId: 'x' })).toBe(false);
  });
});
