/**
 * Interoperability with Python's imaplib (RFC 3501 client) over implicit TLS, on every backend:
 * LOGIN, LIST, SELECT, APPEND, SEARCH CHARSET UTF-8 with a synchronising literal (Vietnamese text
 * without regard to case), FETCH RFC822, STORE, EXPUNGE, LOGOUT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { imapFixture, message, python, type ImapFixture } from './support.ts';

const backends = await availableBackends();

const SCRIPT = `
import imaplib, ssl, json, sys
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
M = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx)
out = {}
out['login'] = M.login(user, password)[0]
out['list'] = len(M.list()[1])
typ, data = M.select('INBOX')
out['exists'] = int(data[0])
msg = b'Subject: =?UTF-8?B?VEjDlE5HIELDgU8=?=\\r\\nFrom: a@quangtri.gov.vn\\r\\n\\r\\nhello\\r\\n'
out['append'] = M.append('INBOX', '(\\\\Seen)', None, msg)[1][0].decode()
M.literal = 'thông báo'.encode('utf-8')
out['search'] = M.search('UTF-8', 'SUBJECT')[1][0].decode()
typ, data = M.fetch('2', '(RFC822)')
out['rfc822'] = data[0][1].decode()
out['store'] = M.store('1', '+FLAGS', '\\\\Deleted')[0]
out['expunge'] = [x.decode() for x in M.expunge()[1]]
M.close()
out['logout'] = M.logout()[0]
print(json.dumps(out))
`;

describe.each(backends)('IMAP with Python imaplib (%s)', (backend) => {
  let f: ImapFixture;
  beforeAll(async () => {
    f = await imapFixture(backend);
  });
  afterAll(async () => f?.close());

  it('runs a whole imaplib session', async () => {
    const u = await f.fx.user('Nguyễn Văn An');
    await f.deliver(u.id, message('Họp giao ban', 'Nội dung.\r\n'));
    const r = await python(SCRIPT, [String(f.tlsPort), u.address, u.password]);
    expect(r.login).toBe('OK');
    expect(r.list).toBe(6);
    expect(r.exists).toBe(1);
    expect(r.append).toMatch(/^\[APPENDUID \d+ 2\] /);
    expect(r.search).toBe('2');
    expect(r.rfc822).toContain('hello');
    expect(r.store).toBe('OK');
    expect(r.expunge).toEqual(['1']);
    expect(r.logout).toBe('BYE');
  });
});
