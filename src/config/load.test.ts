import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'congthu-config-'));
const file = (name: string, text: string): string => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const problems = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({ env: {} });
    expect(c.ports).toEqual({
      smtp: 2525,
      submission: 2587,
      submissions: 2465,
      imap: 2143,
      imaps: 2993,
      pop3: 2110,
      pop3s: 2995,
      http: 8080,
    });
    expect(c.domain).toBe('quangtri.gov.vn');
    expect(c.hostname).toBe('mail.quangtri.gov.vn');
    expect(c.listen).toEqual(['127.0.0.1']);
    expect(c.databaseUrl).toBe(`sqlite:${path.resolve('data/congthu.db')}`);
    expect(c.quota).toEqual({
      personalBytes: 2 * 1024 ** 3,
      agencyBytes: 5 * 1024 ** 3,
      maxAttachmentBytes: 50_000_000,
    });
    expect(c.password.maxAgeDays).toBe(90);
  });

  it('takes the file, then the environment, then overrides', () => {
    const f = file(
      'a.json',
      JSON.stringify({
        domain: 'Example.GOV.vn.',
        ports: { imap: 143, http: 80 },
        extraDomains: ['quangbinh.gov.vn'],
      }),
    );
    const c = loadConfig({
      env: { CONGTHU_CONFIG: f, CONGTHU_HTTP_PORT: '8443', CONGTHU_LISTEN: '0.0.0.0, ::' },
    });
    expect(c.domain).toBe('example.gov.vn');
    expect(c.localDomains).toEqual(['example.gov.vn', 'quangbinh.gov.vn']);
    expect(c.ports.imap).toBe(143);
    expect(c.ports.http).toBe(8443);
    expect(c.ports.smtp).toBe(2525);
    expect(c.listen).toEqual(['0.0.0.0', '::']);
    expect(loadConfig({ env: {}, overrides: { ports: { http: 1 } } }).ports.http).toBe(1);
  });

  it('names the option and its source for every bad value', () => {
    expect(problems(() => loadConfig({ env: { CONGTHU_IMAP_PORT: '-1' } }))[0]).toContain(
      'CONGTHU_IMAP_PORT',
    );
    expect(problems(() => loadConfig({ env: { CONGTHU_ENV: 'staging' } }))[0]).toMatch(
      /^env \[environment variable CONGTHU_ENV\]/,
    );
    const f = file(
      'b.json',
      JSON.stringify({
        ports: { imap: 'x' },
        quota: { personalBytes: 1000 },
        colour: 'blue',
        password: { maxAgeDays: 365 },
      }),
    );
    const p = problems(() => loadConfig({ env: { CONGTHU_CONFIG: f } }));
    expect(p.join('\n')).toMatch(/ports\.imap \[config file .*b\.json\]/);
    expect(p.join('\n')).toMatch(/quota\.personalBytes/);
    expect(p.join('\n')).toMatch(/colour: tùy chọn không tồn tại \/ unknown option/);
    expect(p.join('\n')).toMatch(/password\.maxAgeDays/);
    expect(problems(() => loadConfig({ env: { CONGTHU_CONFIG: file('c.json', '{oops') } }))[0]).toContain(
      'không phải JSON hợp lệ',
    );
    expect(
      problems(() => loadConfig({ env: { CONGTHU_CONFIG: path.join(tmp, 'missing.json') } }))[0],
    ).toContain('không đọc được');
    const nested = file('d.json', JSON.stringify({ ports: { imapp: 1 } }));
    expect(problems(() => loadConfig({ env: { CONGTHU_CONFIG: nested } })).join()).toContain('ports.imapp');
  });
});
