import { describe, expect, it } from 'vitest';
import {
  COMMAND_SPECS,
  commandStates,
  isCommandAllowed,
  UID_COMMAND_SPECS,
  type ImapCommand,
} from './commands.ts';
import { parseError, parseOne } from './test-support.ts';

const one = (line: string, options = {}): ImapCommand => parseOne(`${line}\r\n`, options);

describe('commands without arguments', () => {
  it.each([
    ['a001 CAPABILITY', 'CAPABILITY'],
    ['a002 NOOP', 'NOOP'],
    ['A023 LOGOUT', 'LOGOUT'],
    ['a002 STARTTLS', 'STARTTLS'],
    ['A002 NAMESPACE', 'NAMESPACE'],
    ['a IDLE', 'IDLE'],
    ['FXXZ CHECK', 'CHECK'],
    ['A341 CLOSE', 'CLOSE'],
    ['a UNSELECT', 'UNSELECT'],
    ['A202 EXPUNGE', 'EXPUNGE'],
  ])('%s', (line, name) => {
    const c = one(line);
    expect(c).toEqual({ name, tag: line.split(' ')[0] });
    expect(one(line.toLowerCase()).name).toBe(name);
    expect(parseError(`${line} x\r\n`).status).toBe('BAD');
  });
});

describe('mailbox commands', () => {
  it('CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE (RFC 9051 §6.3.4–8)', () => {
    expect(one('A003 CREATE owatagusiam/')).toEqual({
      name: 'CREATE',
      tag: 'A003',
      mailbox: 'owatagusiam/',
      specialUse: [],
    });
    expect(one('A682 DELETE blurdybloop')).toEqual({ name: 'DELETE', tag: 'A682', mailbox: 'blurdybloop' });
    expect(one('A683 RENAME blurdybloop sarasoop')).toEqual({
      name: 'RENAME',
      tag: 'A683',
      from: 'blurdybloop',
      to: 'sarasoop',
    });
    expect(one('A002 SUBSCRIBE #news.comp.mail.mime')).toEqual({
      name: 'SUBSCRIBE',
      tag: 'A002',
      mailbox: '#news.comp.mail.mime',
    });
    expect(one('A002 UNSUBSCRIBE #news.comp.mail.mime')).toMatchObject({ name: 'UNSUBSCRIBE' });
    expect(one('a RENAME "Th&AbA- nh&AOE-p" {8}\r\nD&AOM- x')).toMatchObject({
      from: 'Thư nháp',
      to: 'Dã x',
    });
  });

  it('CREATE with USE (RFC 6154 §3)', () => {
    // RFC 6154 §5.2: t1 CREATE MySpecial (USE (\Drafts \Sent))
    expect(one('t1 CREATE MySpecial (USE (\\Drafts \\Sent))')).toMatchObject({
      specialUse: ['\\Drafts', '\\Sent'],
    });
    expect(one('t1 CREATE x (USE (\\trash \\X-Custom))')).toMatchObject({
      specialUse: ['\\Trash', '\\X-Custom'],
    });
    expect(one('t1 CREATE x (USE ())')).toMatchObject({ specialUse: [] });
    for (const bad of [
      't CREATE x (USE (Drafts))',
      't CREATE x (FOO)',
      't CREATE x ()',
      't CREATE x (USE (\\A) USE (\\B))',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
  });

  it('refuses invalid mailbox names strictly (IMAP-07)', () => {
    for (const name of ['"&Jjo"', '"&AGE-"', '"&U,BTFw-&ZeVnLIqe-"', '"&YQ-"', '"caf\u00e9"', 'a(b', '""x']) {
      expect(parseError(`a CREATE ${name}\r\n`).status, name).toBe('BAD');
    }
    expect(one('a CREATE "Hộp thư/Đã xử lý"', { utf8: true })).toMatchObject({ mailbox: 'Hộp thư/Đã xử lý' });
    expect(one('a CREATE "&Jjo"', { utf8: true })).toMatchObject({ mailbox: '&Jjo' });
    expect(one('a CREATE ~bob/INBOX')).toMatchObject({ mailbox: '~bob/INBOX' });
  });

  it('STATUS (RFC 9051 §6.3.11, RFC 7162 §3.1.9)', () => {
    // RFC 9051 §6.3.11: A042 STATUS blurdybloop (UIDNEXT MESSAGES)
    expect(one('A042 STATUS blurdybloop (UIDNEXT MESSAGES)')).toEqual({
      name: 'STATUS',
      tag: 'A042',
      mailbox: 'blurdybloop',
      items: ['UIDNEXT', 'MESSAGES'],
    });
    expect(
      one('a STATUS INBOX (messages uidnext uidvalidity unseen deleted size recent highestmodseq messages)'),
    ).toMatchObject({
      items: ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'DELETED', 'SIZE', 'RECENT', 'HIGHESTMODSEQ'],
    });
    for (const bad of [
      'a STATUS INBOX',
      'a STATUS INBOX ()',
      'a STATUS INBOX (APPENDLIMIT)',
      'a STATUS INBOX MESSAGES',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
  });

  it('LSUB (RFC 3501 §6.3.9)', () => {
    expect(one('A002 LSUB "#news." "comp.mail.*"')).toEqual({
      name: 'LSUB',
      tag: 'A002',
      reference: '#news.',
      pattern: 'comp.mail.*',
    });
  });

  it('ENABLE (RFC 5161)', () => {
    // RFC 5161 §4: t2 ENABLE CONDSTORE X-GOOD-IDEA
    expect(one('t2 ENABLE CONDSTORE X-GOOD-IDEA')).toEqual({
      name: 'ENABLE',
      tag: 't2',
      capabilities: ['CONDSTORE', 'X-GOOD-IDEA'],
    });
    expect(one('t ENABLE utf8=accept')).toMatchObject({ capabilities: ['UTF8=ACCEPT'] });
    expect(parseError('t ENABLE\r\n').status).toBe('BAD');
    expect(parseError('t ENABLE (CONDSTORE)\r\n').status).toBe('BAD');
  });
});

describe('message commands', () => {
  it('COPY, MOVE, UID forms and UID EXPUNGE (RFC 9051 §6.4.7–9, RFC 6851, RFC 4315)', () => {
    expect(one('A003 COPY 2:4 MEETING')).toEqual({
      name: 'COPY',
      tag: 'A003',
      uid: false,
      set: { kind: 'set', ranges: [{ start: 2, end: 4 }] },
      mailbox: 'MEETING',
    });
    // RFC 6851 §4.4: a UID MOVE 42:69 foo
    expect(one('a UID MOVE 42:69 foo')).toMatchObject({ name: 'MOVE', uid: true, mailbox: 'foo' });
    expect(one('a MOVE 1 "Thùng rác"', { utf8: true })).toMatchObject({
      name: 'MOVE',
      uid: false,
      mailbox: 'Thùng rác',
    });
    // RFC 4315 §2.1: A003 UID EXPUNGE 3000:3002
    expect(one('A003 UID EXPUNGE 3000:3002')).toEqual({
      name: 'UID EXPUNGE',
      tag: 'A003',
      set: { kind: 'set', ranges: [{ start: 3000, end: 3002 }] },
    });
    expect(one('A999 UID FETCH 4827313:4828442 FLAGS')).toMatchObject({ name: 'FETCH', uid: true });
    expect(one('a uid search all')).toMatchObject({ name: 'SEARCH', uid: true });
    expect(one('a UID STORE 1 FLAGS ()')).toMatchObject({ name: 'STORE', uid: true });
    expect(one('a UID COPY 1 x')).toMatchObject({ name: 'COPY', uid: true });
    for (const bad of [
      'a UID EXPUNGE',
      'a UID LOGIN a b',
      'a UID',
      'a COPY 1',
      'a MOVE 1:2',
      'a COPY x y',
      'a UID UID FETCH 1 UID',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
    // "UID EXPUNGE" is only reachable after UID: a command named EXPUNGE with arguments is BAD.
    expect(parseError('a EXPUNGE 1:2\r\n').status).toBe('BAD');
  });

  it('quota commands (RFC 9208 §4)', () => {
    // RFC 9208 §4.2: G0001 GETQUOTA "!partition/sda4"
    expect(one('G0001 GETQUOTA "!partition/sda4"')).toEqual({
      name: 'GETQUOTA',
      tag: 'G0001',
      root: '!partition/sda4',
    });
    // RFC 9208 §4.3: G0002 GETQUOTAROOT INBOX
    expect(one('G0002 GETQUOTAROOT INBOX')).toEqual({ name: 'GETQUOTAROOT', tag: 'G0002', mailbox: 'INBOX' });
    // RFC 9208 §4.4: S0000 SETQUOTA "#user/alice" (STORAGE 510)
    expect(one('S0000 SETQUOTA "#user/alice" (STORAGE 510)')).toEqual({
      name: 'SETQUOTA',
      tag: 'S0000',
      root: '#user/alice',
      limits: [{ resource: 'STORAGE', limit: 510 }],
    });
    expect(one('S SETQUOTA "" (storage 1 MESSAGE 2 x-custom 3)')).toMatchObject({
      limits: [
        { resource: 'STORAGE', limit: 1 },
        { resource: 'MESSAGE', limit: 2 },
        { resource: 'X-CUSTOM', limit: 3 },
      ],
    });
    expect(one('S SETQUOTA "" ()')).toMatchObject({ limits: [] });
    for (const bad of [
      'S SETQUOTA "" (STORAGE)',
      'S SETQUOTA "" (STORAGE -1)',
      'S SETQUOTA ""',
      'S SETQUOTA "" (STORAGE 1 STORAGE 2)',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
  });

  it('COMPRESS (RFC 4978)', () => {
    expect(one('a COMPRESS DEFLATE')).toEqual({ name: 'COMPRESS', tag: 'a', algorithm: 'DEFLATE' });
    expect(one('a compress deflate')).toMatchObject({ algorithm: 'DEFLATE' });
    expect(parseError('a COMPRESS\r\n').status).toBe('BAD');
  });
});

describe('registry', () => {
  it('declares the states of every command (RFC 9051 §6, §3)', () => {
    expect(commandStates('LOGIN')).toEqual(['not-authenticated']);
    expect(commandStates('AUTHENTICATE')).toEqual(['not-authenticated']);
    expect(commandStates('STARTTLS')).toEqual(['not-authenticated']);
    expect(commandStates('CAPABILITY')).toEqual(['not-authenticated', 'authenticated', 'selected']);
    expect(commandStates('ID')).toEqual(['not-authenticated', 'authenticated', 'selected']);
    expect(commandStates('ENABLE')).toEqual(['authenticated']);
    expect(commandStates('SELECT')).toEqual(['authenticated', 'selected']);
    expect(commandStates('COMPRESS')).toEqual(['authenticated', 'selected']);
    expect(commandStates('FETCH')).toEqual(['selected']);
    expect(commandStates('UID EXPUNGE')).toEqual(['selected']);
    expect(commandStates('unknown')).toEqual([]);
    expect(isCommandAllowed(one('a SELECT INBOX'), 'not-authenticated')).toBe(false);
    expect(isCommandAllowed(one('a COMPRESS DEFLATE'), 'not-authenticated')).toBe(false);
    expect(isCommandAllowed(one('a NOOP'), 'selected')).toBe(true);
  });

  it('has one spec per command, and UID forms only where the RFCs allow them', () => {
    expect(COMMAND_SPECS.size).toBe(42);
    for (const [name, spec] of COMMAND_SPECS) {
      expect(spec.name).toBe(name);
      expect(spec.rfc).toMatch(/^RFC \d+/);
      expect(spec.states.length).toBeGreaterThan(0);
    }
    expect([...UID_COMMAND_SPECS.keys()].sort()).toEqual([
      'COPY',
      'EXPUNGE',
      'FETCH',
      'MOVE',
      'SEARCH',
      'SORT',
      'STORE',
      'THREAD',
    ]);
    for (const spec of UID_COMMAND_SPECS.values()) expect(spec.uid).toBe(true);
  });
});

describe('ACL commands (RFC 4314 §3)', () => {
  it('parses SETACL, DELETEACL, GETACL, LISTRIGHTS and MYRIGHTS', () => {
    expect(one('A001 GETACL INBOX')).toEqual({ name: 'GETACL', tag: 'A001', mailbox: 'INBOX' });
    expect(one('a MYRIGHTS "Shared/sokhcn@quangtri.gov.vn/INBOX"')).toEqual({
      name: 'MYRIGHTS',
      tag: 'a',
      mailbox: 'Shared/sokhcn@quangtri.gov.vn/INBOX',
    });
    expect(one('a LISTRIGHTS ~/Mail/saved smith')).toEqual({
      name: 'LISTRIGHTS',
      tag: 'a',
      mailbox: '~/Mail/saved',
      identifier: 'smith',
    });
    expect(one('A035 SETACL INBOX/Drafts John lrQswicda')).toEqual({
      name: 'SETACL',
      tag: 'A035',
      mailbox: 'INBOX/Drafts',
      identifier: 'John',
      rights: 'lrQswicda',
    });
    expect(one('a SETACL INBOX "an@quangtri.gov.vn" "-w"')).toMatchObject({
      identifier: 'an@quangtri.gov.vn',
      rights: '-w',
    });
    expect(one('A002 DELETEACL INBOX Fred')).toEqual({
      name: 'DELETEACL',
      tag: 'A002',
      mailbox: 'INBOX',
      identifier: 'Fred',
    });
    expect(commandStates('SETACL')).toEqual(['authenticated', 'selected']);
    expect(parseError('a GETACL\r\n').status).toBe('BAD');
    expect(parseError('a SETACL INBOX Fred\r\n').status).toBe('BAD');
    expect(parseError('a MYRIGHTS INBOX x\r\n').status).toBe('BAD');
  });
});
