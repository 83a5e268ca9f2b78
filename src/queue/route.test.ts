// MX routing without sockets: RFC 5321 §5.1 order and implicit MX, RFC 7505 null MX, smarthost,
// address literals, temporary versus permanent DNS failures; and the backoff schedule.
import { describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../util/clock.ts';
import { tableResolver } from './resolver.ts';
import { resolveRoute } from './route.ts';
import { backoffMs, defaultQueueSettings } from './settings.ts';
import { replaceStrayCrLf } from './normalise.ts';

const settings = defaultQueueSettings('mail.quangtri.gov.vn', ['quangtri.gov.vn']);
const dns = tableResolver({
  'multi.example': {
    mx: [
      { exchange: 'c.multi.example', priority: 30 },
      { exchange: 'a.multi.example', priority: 10 },
      { exchange: 'b.multi.example.', priority: 20 },
    ],
  },
  'a.multi.example': { a: ['192.0.2.1', '2001:db8::1'] },
  'b.multi.example': { a: ['192.0.2.2'] },
  'c.multi.example': { a: ['192.0.2.3'] },
  'noaddr.example': { mx: [{ exchange: 'ghost.example', priority: 10 }] },
  'implicit.example': { a: ['192.0.2.9'] },
  'nowhere.example': {},
  'null.example': { mx: [{ exchange: '', priority: 0 }] },
  'dead.example': { fail: 'ETIMEOUT' },
  'relay.example': { a: ['192.0.2.50'] },
});

describe('resolveRoute', () => {
  it('orders MX hosts by preference and keeps every address (RFC 5321 §5.1)', async () => {
    const r = await resolveRoute('multi.example', dns, settings);
    expect(r).toEqual({
      kind: 'targets',
      targets: [
        { host: 'a.multi.example', address: '192.0.2.1', port: 25 },
        { host: 'a.multi.example', address: '2001:db8::1', port: 25 },
        { host: 'b.multi.example', address: '192.0.2.2', port: 25 },
        { host: 'c.multi.example', address: '192.0.2.3', port: 25 },
      ],
    });
  });

  it('randomises hosts of equal preference', async () => {
    const equal = tableResolver({
      'eq.example': {
        mx: [
          { exchange: 'x.eq.example', priority: 10 },
          { exchange: 'y.eq.example', priority: 10 },
        ],
      },
      'x.eq.example': { a: ['192.0.2.1'] },
      'y.eq.example': { a: ['192.0.2.2'] },
    });
    const first = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await resolveRoute('eq.example', equal, settings);
      if (r.kind === 'targets') first.add(r.targets[0]!.host);
    }
    expect(first).toEqual(new Set(['x.eq.example', 'y.eq.example']));
  });

  it('uses the domain itself when it has no MX, and fails when it has no address either', async () => {
    expect(await resolveRoute('implicit.example', dns, settings)).toMatchObject({
      kind: 'targets',
      targets: [{ host: 'implicit.example', address: '192.0.2.9' }],
    });
    expect(await resolveRoute('nowhere.example', dns, settings)).toMatchObject({
      kind: 'fail',
      permanent: true,
      status: '5.1.2',
    });
  });

  it('fails at once for a null MX (RFC 7505) and for NXDOMAIN; defers on DNS trouble', async () => {
    expect(await resolveRoute('null.example', dns, settings)).toMatchObject({
      kind: 'fail',
      permanent: true,
      status: '5.1.10',
    });
    expect(await resolveRoute('missing.example', dns, settings)).toMatchObject({
      kind: 'fail',
      permanent: true,
      status: '5.1.2',
    });
    expect(await resolveRoute('dead.example', dns, settings)).toMatchObject({
      kind: 'fail',
      permanent: false,
      status: '4.4.3',
    });
    expect(await resolveRoute('noaddr.example', dns, settings)).toMatchObject({
      kind: 'fail',
      permanent: true,
      status: '5.4.4',
    });
  });

  it('sends everything to the smarthost when one is configured, and address literals to the address', async () => {
    const viaRelay = {
      ...settings,
      smarthost: { host: 'relay.example', port: 587, tls: 'required' as const },
    };
    expect(await resolveRoute('multi.example', dns, viaRelay)).toEqual({
      kind: 'targets',
      targets: [{ host: 'relay.example', address: '192.0.2.50', port: 587 }],
    });
    expect(await resolveRoute('[192.0.2.77]', dns, settings)).toMatchObject({
      kind: 'targets',
      targets: [{ address: '192.0.2.77', port: 25 }],
    });
  });
});

describe('backoff', () => {
  it('starts at 5 minutes, doubles, and stops growing at 70 minutes', () => {
    const none = (): number => 0;
    const waits = [1, 2, 3, 4, 5, 6, 50].map((n) => backoffMs(settings, n, none) / MINUTE_MS);
    expect(waits).toEqual([5, 10, 20, 40, 70, 70, 70]);
    expect(backoffMs(settings, 1, () => 0.999)).toBeLessThanOrEqual(5.5 * MINUTE_MS);
  });
});

describe('replaceStrayCrLf (SMTP-03)', () => {
  it('replaces each CR or LF outside a CRLF pair by a space and ends with CRLF', () => {
    const out = replaceStrayCrLf(Buffer.from('a\nb\rc\r\n\r\n.\n\r\r\nend'));
    expect(out.toString()).toBe('a b c\r\n\r\n.  \r\nend\r\n');
    const clean = Buffer.from('x\r\ny\r\n');
    expect(replaceStrayCrLf(clean)).toBe(clean);
  });
});
