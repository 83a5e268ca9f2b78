/**
 * Test support for the POP3 server: a system with the POP3 service on 127.0.0.1 (port 0), a raw
 * socket client that reads status lines and un-stuffed multi-line bodies, and the Python poplib runner.
 */
import net from 'node:net';
import tls from 'node:tls';
import { spawn } from 'node:child_process';
import { systemFixture, type SystemFixture } from '../support/system.ts';
import type { BackendName } from '../support/backends.ts';
import { startPop3Service, type Pop3Service, type Pop3StartOptions } from '../../src/app/services/pop3.ts';
import { createLogger } from '../../src/telemetry/index.ts';
import { DotUnstuffer } from '../../src/protocol/pop3/index.ts';

/** No per-address delays in tests: every connection comes from 127.0.0.1. */
export const NO_THROTTLE = {
  auth: {
    ipFailuresBeforeDelay: 1000,
    ipFailuresBeforeBlock: 2000,
    accountFailuresBeforeDelay: 1000,
    maxDelayMs: 0,
  },
};

export interface Pop3Fixture {
  fx: SystemFixture;
  services: Pop3Service[];
  stlsPort: number;
  tlsPort: number;
  deliver(accountId: string, content: string | Buffer): Promise<number>;
  close(): Promise<void>;
}

export async function pop3Fixture(
  backend: BackendName,
  overrides: Record<string, unknown> = {},
  options: Pop3StartOptions = {},
): Promise<Pop3Fixture> {
  const fx = await systemFixture(backend, {
    ...NO_THROTTLE,
    listen: ['127.0.0.1'],
    ports: { pop3: 0, pop3s: 0 },
    ...overrides,
  });
  const log = createLogger({ level: 'silent' });
  const services = await startPop3Service({ system: fx.system, tls: fx.tls, log }, options);
  const port = (mode: string): number => services.find((s) => s.mode === mode)!.address.port;
  return {
    fx,
    services,
    stlsPort: port('stls'),
    tlsPort: port('implicit-tls'),
    async deliver(accountId, content) {
      const buf = Buffer.isBuffer(content) ? content : Buffer.from(content.replace(/\r?\n/g, '\r\n'));
      const r = await fx.system.ingest.ingest({
        content: buf,
        deliveries: [{ accountId }],
        source: 'smtp',
        quota: 'checked-before',
      });
      return r.delivered[0]!.uid;
    },
    async close() {
      for (const s of services) await s.stop();
      await fx.close();
    },
  };
}

export function message(subject: string, body: string): string {
  return `From: Văn thư <vanthu@quangtri.gov.vn>\r\nTo: an@quangtri.gov.vn\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}.${Math.random()}@quangtri.gov.vn>\r\n\r\n${body}`;
}

/** A raw POP3 client over a real socket. */
export class RawPop3 {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;
  greeting = '';

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
    if (this.closed) throw new Error('connection closed');
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

  static async connect(port: number, options: { tls?: boolean } = {}): Promise<RawPop3> {
    const socket = options.tls
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const c = new RawPop3(socket);
    c.greeting = await c.line();
    return c;
  }

  async line(timeoutMs = 10_000): Promise<string> {
    for (;;) {
      const i = this.buf.indexOf('\r\n');
      if (i !== -1) {
        const l = this.buf.subarray(0, i).toString('utf8');
        this.buf = this.buf.subarray(i + 2);
        return l;
      }
      await this.more(timeoutMs);
    }
  }

  /** The body of a multi-line response, un-stuffed, without the terminator. */
  async body(timeoutMs = 30_000): Promise<Buffer> {
    const u = new DotUnstuffer();
    const parts: Buffer[] = [u.push(this.buf)];
    this.buf = Buffer.alloc(0);
    while (!u.finished) {
      await this.more(timeoutMs);
      parts.push(u.push(this.buf));
      this.buf = Buffer.alloc(0);
    }
    this.buf = u.rest;
    return Buffer.concat(parts);
  }

  send(line: string | Buffer): void {
    this.socket.write(typeof line === 'string' ? `${line}\r\n` : line);
  }

  async cmd(line: string): Promise<string> {
    this.send(line);
    return this.line();
  }

  async multi(line: string): Promise<{ status: string; body: Buffer }> {
    const status = await this.cmd(line);
    return { status, body: status.startsWith('+OK') ? await this.body() : Buffer.alloc(0) };
  }

  /** STLS, then the TLS handshake; `pipelined` is sent in the same write, right after STLS. */
  async stls(pipelined = ''): Promise<void> {
    this.send(Buffer.from(`STLS\r\n${pipelined}`));
    const r = await this.line();
    if (!r.startsWith('+OK')) throw new Error(r);
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

  async login(user: string, password: string): Promise<string> {
    const u = await this.cmd(`USER ${user}`);
    if (!u.startsWith('+OK')) return u;
    return this.cmd(`PASS ${password}`);
  }

  /** Resolves when the server has closed the connection. */
  async waitClosed(timeoutMs = 10_000): Promise<void> {
    while (!this.closed) await this.more(timeoutMs);
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
