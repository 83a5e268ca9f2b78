/**
 * Test support for the SMTP suites: a system on a fresh backend with the SMTP listeners on
 * 127.0.0.1 (ports chosen by the kernel), a recording outbound queue (the one fake allowed: the
 * queue is another engineer's work), a fake DNS for the internet, a raw line-level SMTP client for
 * the byte-exact attack tests, and queries over what was stored.
 */
import net from 'node:net';
import tls from 'node:tls';
import { StringDecoder } from 'node:string_decoder';
import { createLogger } from '../../src/telemetry/index.ts';
import { startSmtpServices, type RunningSmtp } from '../../src/server/smtp/index.ts';
import type { OutboundMessage, OutboundQueue } from '../../src/queue/index.ts';
import type { DnsResolver } from '../../src/filter/index.ts';
import { systemFixture, type SystemFixture } from '../support/system.ts';
import type { BackendName } from '../support/backends.ts';

export class RecordingQueue implements OutboundQueue {
  readonly messages: OutboundMessage[] = [];
  enqueue(message: OutboundMessage): Promise<{ id: string }> {
    this.messages.push(message);
    return Promise.resolve({ id: `q${this.messages.length}` });
  }
}

/** A fake internet: TXT/A/MX records by name; missing names answer ENOTFOUND; `broken` SERVFAIL. */
export class FakeDns {
  readonly records = new Map<string, string[][] | string[]>();
  readonly broken = new Set<string>();
  txt(name: string, ...values: string[]): this {
    this.records.set(
      `${name.toLowerCase()}|TXT`,
      values.map((v) => [v]),
    );
    return this;
  }
  readonly resolver: DnsResolver = (name, rrtype) => {
    const key = name.toLowerCase().replace(/\.$/, '');
    if (this.broken.has(key))
      return Promise.reject(Object.assign(new Error('SERVFAIL'), { code: 'ESERVFAIL' }));
    const r = this.records.get(`${key}|${rrtype.toUpperCase()}`);
    if (r) return Promise.resolve(r);
    return Promise.reject(Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' }));
  };
}

export interface SmtpHarness {
  fx: SystemFixture;
  smtp: RunningSmtp;
  queue: RecordingQueue;
  dns: FakeDns;
  port(kind: 'mx' | 'submission' | 'submissions'): number;
  close(): Promise<void>;
}

export async function smtpHarness(
  backend: BackendName,
  overrides: Record<string, unknown> = {},
): Promise<SmtpHarness> {
  const fx = await systemFixture(backend, {
    ports: { smtp: 0, submission: 0, submissions: 0 },
    // Many deliberate failures from 127.0.0.1 in these suites: no throttling delays.
    auth: { ipFailuresBeforeDelay: 1000, ipFailuresBeforeBlock: 2000, accountFailuresBeforeDelay: 1000 },
    ...overrides,
  });
  const queue = new RecordingQueue();
  const dns = new FakeDns();
  const log = createLogger({ level: 'silent' });
  let smtp: RunningSmtp;
  try {
    smtp = await startSmtpServices({
      system: fx.system,
      tls: fx.tls,
      log,
      outbound: queue,
      resolver: dns.resolver,
      closeTimeoutMs: 500,
    });
  } catch (e) {
    await fx.close();
    throw e;
  }
  return {
    fx,
    smtp,
    queue,
    dns,
    port: (kind) => smtp.listeners.find((l) => l.kind === kind)!.port,
    async close() {
      await smtp.stop();
      await fx.close();
    },
  };
}

/** Messages stored for an account (all folders), with their folder name and content. */
export async function storedMessages(
  h: SmtpHarness,
  accountId: string,
): Promise<Array<{ folder: string; uid: number; source: string; content: string; blobId: string }>> {
  const rows = await h.fx.system.store.db
    .selectFrom('messages')
    .innerJoin('folders', 'folders.id', 'messages.folder_id')
    .select(['folders.name as folder', 'messages.uid', 'messages.source', 'messages.blob_id'])
    .where('folders.account_id', '=', accountId)
    .orderBy('messages.id')
    .execute();
  const out = [];
  for (const r of rows)
    out.push({
      folder: r.folder,
      uid: Number(r.uid),
      source: r.source,
      blobId: r.blob_id,
      content: (await h.fx.system.blobs.read(r.blob_id)).toString('utf8'),
    });
  return out;
}

export async function messageCount(h: SmtpHarness): Promise<number> {
  const r = await h.fx.system.store.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A plain RFC 5322 message with CRLF line ends. */
export function rfc5322(o: {
  from: string;
  to: string;
  subject?: string;
  body?: string;
  extra?: string[];
  messageId?: string;
}): string {
  return [
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${o.subject ?? 'Thông báo'}`,
    'Date: Mon, 02 Nov 2026 09:00:00 +0700',
    `Message-ID: <${o.messageId ?? `${Math.random().toString(36).slice(2)}@test.example`}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...(o.extra ?? []),
    '',
    o.body ?? 'Kính gửi các đồng chí.',
    '',
  ].join('\r\n');
}

/**
 * A line-level SMTP client on a raw socket: writes exact bytes, reads whole replies
 * (multi-line included). `read()` fails on timeout; `closed` resolves when the server hangs up.
 */
export class RawSmtp {
  private buf = '';
  private waiters: Array<() => void> = [];
  closed: Promise<void>;
  private socket: net.Socket | tls.TLSSocket;

  private constructor(socket: net.Socket | tls.TLSSocket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.attach(socket);
  }

  private attach(socket: net.Socket | tls.TLSSocket): void {
    const decoder = new StringDecoder('utf8');
    socket.on('data', (d: Buffer) => {
      this.buf += decoder.write(d);
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
    socket.once('close', () => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(port: number, opts: { tls?: boolean } = {}): Promise<RawSmtp> {
    return new Promise((resolve, reject) => {
      const s = opts.tls
        ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => resolve(new RawSmtp(s)))
        : net.connect({ host: '127.0.0.1', port }, () => resolve(new RawSmtp(s)));
      s.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** The next complete reply ("250-a\r\n250 b\r\n"), as text without the final CRLF. */
  async read(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(this.buf);
      if (m) {
        this.buf = this.buf.slice(m[0].length);
        return m[0].trimEnd();
      }
      if (this.socket.destroyed || this.socket.readyState === 'closed')
        throw new Error(`connection closed; unread: ${JSON.stringify(this.buf)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms; buffer: ${JSON.stringify(this.buf)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends a command line and returns its reply. */
  async cmd(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.read();
  }

  /** Everything the server still sends until it closes the connection (or the timeout). */
  async rest(timeoutMs = 3000): Promise<string> {
    await Promise.race([this.closed, new Promise((r) => setTimeout(r, timeoutMs))]);
    const out = this.buf;
    this.buf = '';
    return out;
  }

  /** STARTTLS on this connection: the TLS socket replaces the plain one. */
  async startTls(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    await new Promise<void>((resolve, reject) => {
      const s = tls.connect({ socket: plain, rejectUnauthorized: false }, () => resolve());
      s.once('error', reject);
      this.socket = s;
      this.buf = '';
      this.attach(s);
    });
  }

  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readyState === 'closed';
  }

  end(): void {
    this.socket.destroy();
  }
}
