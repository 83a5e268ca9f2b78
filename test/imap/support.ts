/**
 * Test support for the IMAP server: a system with the IMAP service on 127.0.0.1 (port 0), an
 * imapflow client factory, a raw socket client for protocol edge cases, and the Python runner.
 */
import net from 'node:net';
import tls from 'node:tls';
import { spawn } from 'node:child_process';
import zlib from 'node:zlib';
import { ImapFlow } from 'imapflow';
import { systemFixture, type SystemFixture } from '../support/system.ts';
import type { BackendName } from '../support/backends.ts';
import { startImapService, type ImapService, type ImapStartOptions } from '../../src/app/services/imap.ts';
import { createLogger } from '../../src/telemetry/index.ts';

/** No per-address delays in tests: every connection comes from 127.0.0.1. */
export const NO_THROTTLE = {
  auth: {
    ipFailuresBeforeDelay: 1000,
    ipFailuresBeforeBlock: 2000,
    accountFailuresBeforeDelay: 1000,
    maxDelayMs: 0,
  },
};

export interface ImapFixture {
  fx: SystemFixture;
  services: ImapService[];
  port: number;
  tlsPort: number;
  deliver(accountId: string, content: string | Buffer, folder?: string): Promise<number>;
  client(user: string, password: string): Promise<ImapFlow>;
  close(): Promise<void>;
}

export async function imapFixture(
  backend: BackendName,
  overrides: Record<string, unknown> = {},
  options: ImapStartOptions = {},
): Promise<ImapFixture> {
  const fx = await systemFixture(backend, {
    ...NO_THROTTLE,
    listen: ['127.0.0.1'],
    ports: { imap: 0, imaps: 0 },
    ...overrides,
  });
  const log = createLogger({ level: 'silent' });
  const services = await startImapService({ system: fx.system, tls: fx.tls, log }, options);
  const port = (mode: string): number => services.find((s) => s.mode === mode)!.address.port;
  const clients: ImapFlow[] = [];
  return {
    fx,
    services,
    port: port('starttls'),
    tlsPort: port('implicit-tls'),
    async deliver(accountId, content, folder) {
      const buf = Buffer.isBuffer(content) ? content : Buffer.from(content.replace(/\r?\n/g, '\r\n'));
      const r = await fx.system.ingest.ingest({
        content: buf,
        deliveries: [{ accountId, ...(folder ? { folder } : {}) }],
        source: 'smtp',
        quota: 'checked-before',
      });
      return r.delivered[0]!.uid;
    },
    async client(user, password) {
      const c = new ImapFlow({
        host: '127.0.0.1',
        port: port('implicit-tls'),
        secure: true,
        tls: { rejectUnauthorized: false },
        auth: { user, pass: password },
        logger: false,
      });
      c.on('error', () => undefined);
      await c.connect();
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) await c.logout().catch(() => c.close());
      for (const s of services) await s.stop();
      await fx.close();
    },
  };
}

export function message(subject: string, body: string, extra = ''): string {
  return `From: Văn thư <vanthu@quangtri.gov.vn>\r\nTo: an@quangtri.gov.vn\r\nSubject: ${subject}\r\nDate: Mon, 2 Mar 2026 08:00:00 +0700\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@quangtri.gov.vn>\r\n${extra}\r\n${body}`;
}

/** A raw IMAP client over a real socket: lines, literals, and tagged waits. */
export class RawImap {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;
  greeting = '';
  private n = 0;
  /** After `compress()`: compressed octets received, and the writer through deflate. */
  wireBytesIn = 0;
  private writer: ((data: string | Buffer) => void) | null = null;

  private constructor(public socket: net.Socket) {
    this.listen(socket);
  }

  private listen(socket: net.Socket): void {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async more(timeoutMs: number): Promise<void> {
    if (this.closed) throw new Error(`connection closed; have ${JSON.stringify(this.buf.toString())}`);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`timeout; have ${JSON.stringify(this.buf.toString())}`)),
        timeoutMs,
      );
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  static async connect(port: number, options: { tls?: boolean } = {}): Promise<RawImap> {
    const socket = options.tls
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const c = new RawImap(socket);
    c.greeting = await c.line();
    return c;
  }

  /** One line (without CRLF); a literal `{n}` at its end is read and appended, as IMAP text. */
  async line(timeoutMs = 10_000): Promise<string> {
    let out = '';
    for (;;) {
      const i = this.buf.indexOf('\r\n');
      if (i === -1) {
        await this.more(timeoutMs);
        continue;
      }
      const l = this.buf.subarray(0, i).toString('utf8');
      this.buf = this.buf.subarray(i + 2);
      out += l;
      const m = /~?\{(\d+)\}$/.exec(l);
      if (!m || l.startsWith('+ ')) return out;
      const n = Number(m[1]);
      while (this.buf.length < n) await this.more(timeoutMs);
      out += `\r\n${this.buf.subarray(0, n).toString('latin1')}`;
      this.buf = this.buf.subarray(n);
    }
  }

  send(data: string | Buffer): void {
    if (this.writer) this.writer(data);
    else this.socket.write(data);
  }

  /** COMPRESS DEFLATE (RFC 4978): from the tagged OK on, raw deflate both ways. */
  async compress(tag = 'z'): Promise<void> {
    const r = await this.cmd('COMPRESS DEFLATE', tag);
    if (!r.tagged.startsWith(`${tag} OK`)) throw new Error(r.tagged);
    const socket = this.socket;
    socket.removeAllListeners('data');
    socket.removeAllListeners('close');
    const inflate = zlib.createInflateRaw();
    // Closed only once everything received has been inflated.
    socket.on('close', () => inflate.end());
    inflate.on('close', () => {
      this.closed = true;
      this.wake();
    });
    const deflate = zlib.createDeflateRaw();
    socket.on('data', (d: Buffer) => {
      this.wireBytesIn += d.length;
      inflate.write(d);
    });
    inflate.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    inflate.on('error', () => socket.destroy());
    deflate.on('data', (d: Buffer) => socket.write(d));
    this.writer = (data) => {
      deflate.write(data);
      deflate.flush(zlib.constants.Z_SYNC_FLUSH);
    };
  }

  /** Send `tag cmd` and collect lines up to the tagged one. */
  async cmd(text: string, tag = `t${++this.n}`): Promise<{ tagged: string; untagged: string[] }> {
    this.send(`${tag} ${text}\r\n`);
    return this.until(tag);
  }

  async until(tag: string, timeoutMs = 10_000): Promise<{ tagged: string; untagged: string[] }> {
    const untagged: string[] = [];
    for (;;) {
      const l = await this.line(timeoutMs);
      if (l.startsWith(`${tag} `)) return { tagged: l, untagged };
      untagged.push(l);
    }
  }

  async starttls(): Promise<void> {
    const r = await this.cmd('STARTTLS', 'tls');
    if (!r.tagged.startsWith('tls OK')) throw new Error(r.tagged);
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    const secure = tls.connect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }

  async waitClosed(timeoutMs = 10_000): Promise<void> {
    while (!this.closed)
      await this.more(timeoutMs).catch((e: unknown) => {
        if (!this.closed) throw e;
      });
  }

  end(): void {
    this.socket.destroy();
  }
}

/** Run a Python script with the arguments; returns its stdout parsed as JSON. */
export async function python(script: string, args: string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    const p = spawn('python3', ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`python3 exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out));
      } catch (e) {
        reject(new Error(`bad JSON from python: ${out} ${err} ${String(e)}`));
      }
    });
  });
}
