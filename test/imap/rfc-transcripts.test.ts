// Transcripts built from the examples of RFC 9051 (and RFC 3501 where rev1 differs), replayed in
// order on one connection: each step sends the client's lines and checks the server's untagged and
// tagged responses against the example (names, flags and sizes adapted to this mailbox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { imapFixture, message, RawImap, type ImapFixture } from './support.ts';

const backends = await availableBackends();

interface Step {
  rfc: string;
  command: string;
  untagged?: RegExp[];
  tagged: RegExp;
}

const TRANSCRIPT: Step[] = [
  { rfc: 'RFC 9051 §6.1.1', command: 'CAPABILITY', untagged: [/^\* CAPABILITY .*IMAP4rev2/], tagged: /^OK/ },
  { rfc: 'RFC 9051 §6.1.2', command: 'NOOP', tagged: /^OK/ },
  { rfc: 'RFC 9051 §6.3.1', command: 'ENABLE IMAP4rev2', untagged: [/^\* ENABLED IMAP4rev2/], tagged: /^OK/ },
  {
    rfc: 'RFC 9051 §6.3.10',
    command: 'NAMESPACE',
    untagged: [/^\* NAMESPACE \(\(""\s+"\/"\)\) NIL \(\("Shared\/" "\/"\)\)/],
    tagged: /^OK/,
  },
  { rfc: 'RFC 9051 §6.3.4', command: 'CREATE owatagusiam/', tagged: /^OK/ },
  { rfc: 'RFC 9051 §6.3.4', command: 'CREATE owatagusiam/blurdybloop', tagged: /^OK/ },
  {
    rfc: 'RFC 9051 §6.3.9',
    command: 'LIST "" owatagusiam/%',
    untagged: [/^\* LIST \([^)]*\) "\/" "?owatagusiam\/blurdybloop"?$/],
    tagged: /^OK/,
  },
  {
    rfc: 'RFC 9051 §6.3.9',
    command: 'LIST "" ""',
    untagged: [/^\* LIST \(\\Noselect\) "\/" ""$/],
    tagged: /^OK/,
  },
  { rfc: 'RFC 9051 §6.3.6', command: 'RENAME owatagusiam/blurdybloop sarasoop', tagged: /^OK/ },
  { rfc: 'RFC 9051 §6.3.5', command: 'DELETE sarasoop', tagged: /^OK/ },
  { rfc: 'RFC 9051 §6.3.5', command: 'DELETE sarasoop', tagged: /^NO \[NONEXISTENT\]/ },
  {
    rfc: 'RFC 9051 §6.3.11',
    command: 'STATUS INBOX (UIDNEXT MESSAGES)',
    untagged: [/^\* STATUS INBOX \((UIDNEXT 4 MESSAGES 3|MESSAGES 3 UIDNEXT 4)\)/],
    tagged: /^OK/,
  },
  {
    rfc: 'RFC 9051 §6.3.2',
    command: 'SELECT INBOX',
    untagged: [
      /^\* 3 EXISTS/,
      /^\* OK \[UIDVALIDITY \d+\]/,
      /^\* OK \[UIDNEXT 4\]/,
      /^\* FLAGS \(/,
      /^\* LIST \(.*\) "\/" INBOX/,
    ],
    tagged: /^OK \[READ-WRITE\]/,
  },
  {
    rfc: 'RFC 9051 §6.4.4',
    command: 'SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"',
    untagged: [/^\* ESEARCH \(TAG "[^"]+"\) ALL 2$/],
    tagged: /^OK/,
  },
  {
    rfc: 'RFC 9051 §6.4.4',
    command: 'SEARCH TEXT "string not in mailbox"',
    untagged: [/^\* ESEARCH \(TAG "[^"]+"\)$/],
    tagged: /^OK/,
  },
  {
    rfc: 'RFC 9051 §6.4.5',
    command: 'FETCH 2:3 (FLAGS INTERNALDATE RFC822.SIZE)',
    untagged: [
      /^\* 2 FETCH \(.*FLAGS \(\\Flagged\).*INTERNALDATE "\d{2}-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d [+-]\d{4}".*RFC822\.SIZE \d+/,
      /^\* 3 FETCH/,
    ],
    tagged: /^OK/,
  },
  {
    rfc: 'RFC 9051 §6.4.5',
    command: 'FETCH 2 BODY.PEEK[HEADER.FIELDS (SUBJECT)]',
    untagged: [/^\* 2 FETCH \(.*BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{\d+\}/],
    tagged: /^OK/,
  },
  {
    rfc: 'RFC 9051 §6.4.6',
    command: 'STORE 2:3 +FLAGS (\\Deleted)',
    untagged: [/^\* 2 FETCH \(FLAGS \(\\Flagged \\Deleted\)/, /^\* 3 FETCH \(FLAGS \(\\Deleted\)/],
    tagged: /^OK/,
  },
  { rfc: 'RFC 9051 §6.4.7', command: 'COPY 2:3 Archive', tagged: /^OK \[COPYUID \d+ 2:3 1:2\]/ },
  { rfc: 'RFC 9051 §6.4.3', command: 'EXPUNGE', untagged: [/^\* 3 EXPUNGE/, /^\* 2 EXPUNGE/], tagged: /^OK/ },
  {
    rfc: 'RFC 9051 §6.4.9',
    command: 'UID FETCH 1:* (UID)',
    untagged: [/^\* 1 FETCH \(UID 1\)/],
    tagged: /^OK/,
  },
  {
    rfc: 'RFC 6851 §3.3',
    command: 'UID MOVE 1 Trash',
    untagged: [/^\* OK \[COPYUID \d+ 1 1\]/, /^\* 1 EXPUNGE/],
    tagged: /^OK/,
  },
  { rfc: 'RFC 9051 §6.4.2', command: 'CLOSE', tagged: /^OK/ },
  {
    rfc: 'RFC 9051 §6.3.11',
    command: 'STATUS Archive (MESSAGES UIDNEXT)',
    untagged: [/^\* STATUS Archive \(MESSAGES 2 UIDNEXT 3\)/],
    tagged: /^OK/,
  },
  { rfc: 'RFC 9051 §6.1.3', command: 'LOGOUT', untagged: [/^\* BYE/], tagged: /^OK/ },
];

describe.each(backends)('RFC example transcripts on %s', (backend) => {
  let f: ImapFixture;
  let u: { address: string; id: string; password: string };
  beforeAll(async () => {
    f = await imapFixture(backend);
    u = await f.fx.user('Trương Văn Sáu');
    await f.deliver(u.id, message('Một', 'Thư một, gửi bởi Smith.\r\n').replace('Văn thư', 'Smith'));
    await f.deliver(u.id, message('Hai', 'Thư hai.\r\n'));
    await f.deliver(u.id, message('Ba', 'Thư ba.\r\n'));
    const c = await RawImap.connect(f.port);
    await c.cmd(`LOGIN ${u.address} "${u.password}"`);
    await c.cmd('SELECT INBOX');
    await c.cmd('STORE 2 +FLAGS.SILENT (\\Flagged)');
    await c.cmd('LOGOUT');
  });
  afterAll(async () => f?.close());

  it('replays the examples in order', async () => {
    const c = await RawImap.connect(f.port);
    expect(c.greeting).toMatch(/^\* OK /);
    expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`)).tagged).toMatch(/OK/);
    for (const step of TRANSCRIPT) {
      const r = await c.cmd(step.command);
      const where = `${step.rfc}: ${step.command}\n${r.untagged.join('\n')}\n${r.tagged}`;
      expect(r.tagged.replace(/^\S+ /, ''), where).toMatch(step.tagged);
      // The RFC fixes no order among untagged responses of one command (except EXPUNGE, checked by number).
      for (const pattern of step.untagged ?? [])
        expect(
          r.untagged.some((line) => pattern.test(line)),
          `${where}\nmissing ${pattern}`,
        ).toBe(true);
    }
  });
});
