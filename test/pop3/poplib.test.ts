// Interoperability: Python's poplib (a real, widely used POP3 client) against Congthu over STLS and
// implicit TLS, on every backend (issue 4 item 7; RFC 1939, RFC 2449, RFC 2595).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { findFolder, listMessages } from '../../src/mailbox/index.ts';
import { pop3Fixture, python, message, type Pop3Fixture } from './support.ts';

const backends = await availableBackends();

const SCRIPT = String.raw`
import base64, json, poplib, ssl, sys
stls_port, tls_port, user, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
dec = lambda lines: [l.decode() for l in lines]
out = {}
p = poplib.POP3('127.0.0.1', stls_port, timeout=20)
out['welcome'] = p.getwelcome().decode()
out['capa_plain'] = sorted(p.capa().keys())
p.stls(context=ctx)
out['capa_tls'] = sorted(p.capa().keys())
p.user(user)
p.pass_(password)
out['stat'] = list(p.stat())
out['list'] = dec(p.list()[1])
out['uidl'] = dec(p.uidl()[1])
out['top'] = dec(p.top(2, 1)[1])
resp, lines, octets = p.retr(2)
out['retr'] = base64.b64encode(b'\r\n'.join(lines) + b'\r\n').decode()
out['retr_resp'] = resp.decode()
out['dele'] = p.dele(1).decode()
out['quit'] = p.quit().decode()
q = poplib.POP3_SSL('127.0.0.1', tls_port, context=ctx, timeout=20)
q.user(user)
q.pass_(password)
out['stat2'] = list(q.stat())
out['uidl2'] = dec(q.uidl()[1])
q.quit()
print(json.dumps(out))
`;

describe.each(backends)('poplib against Congthu on %s', (backend) => {
  let p: Pop3Fixture;
  beforeAll(async () => {
    p = await pop3Fixture(backend, { env: 'production' });
  });
  afterAll(async () => p.close());

  it('runs a whole session: STLS, STAT, LIST, UIDL, TOP, RETR of dotted lines, DELE, QUIT; then POP3_SSL', async () => {
    const u = await p.fx.user('Nguyễn Văn An');
    const first = message('Công văn số 1', 'Kính gửi các cơ quan.\r\n');
    const dotted = message('Công văn số 2', '.bắt đầu bằng dấu chấm\r\n..hai chấm\r\n.\r\nhết\r\n');
    await p.deliver(u.id, first);
    await p.deliver(u.id, dotted);
    const out = await python(SCRIPT, [String(p.stlsPort), String(p.tlsPort), u.address, u.password]);
    expect(out.welcome).toMatch(/^\+OK /);
    expect(out.capa_plain).toContain('STLS');
    expect(out.capa_plain).not.toContain('USER');
    expect(out.capa_tls).toEqual(
      expect.arrayContaining(['USER', 'SASL', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING']),
    );
    const sizes = [Buffer.byteLength(first), Buffer.byteLength(dotted)];
    expect(out.stat).toEqual([2, sizes[0]! + sizes[1]!]);
    expect(out.list).toEqual([`1 ${sizes[0]}`, `2 ${sizes[1]}`]);
    expect(out.uidl).toHaveLength(2);
    expect(Buffer.from(out.retr, 'base64').toString()).toBe(dotted);
    expect(out.retr_resp).toBe(`+OK ${sizes[1]} octets`);
    const head = dotted.slice(0, dotted.indexOf('\r\n\r\n'));
    expect(out.top).toEqual([...head.split('\r\n'), '', '.bắt đầu bằng dấu chấm']);
    expect(out.dele).toMatch(/^\+OK/);
    expect(out.quit).toMatch(/^\+OK/);
    // Message 1 is gone; the other keeps its unique id in the next session.
    expect(out.stat2).toEqual([1, sizes[1]]);
    expect(out.uidl2).toEqual([`1 ${out.uidl[1].split(' ')[1]}`]);
    const inbox = await findFolder(p.fx.system.store.db, u.id, 'INBOX');
    expect((await listMessages(p.fx.system.store, inbox!.id)).map((m) => m.size)).toEqual([sizes[1]]);
  });
});
