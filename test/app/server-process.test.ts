// The server as an operator runs it: `congthu serve` in its own process, the CLI beside it on the
// same data, graceful stop on SIGTERM. Listens on 127.0.0.1 with a port picked by the kernel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, cliProcess } from '../support/cli.ts';

interface Started {
  child: ChildProcess;
  url: string;
  /** Names of the running services, e.g. "smtp mx:40123 submission:…", "pop3 plain 127.0.0.1:…". */
  services: string[];
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startServe(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env }, stdio: 'pipe' });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"http":\["(http:\/\/127\.0\.0\.1:\d+)"\],"services":\[([^\]]*)\]/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1]!,
          services: JSON.parse(`[${m[2]}]`),
          stdout: () => out,
          stderr: () => err,
          exited,
        });
      }
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`server exited ${code}:\n${out}\n${err}`)));
  });
}

describe('congthu serve', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'congthu-serve-'));
    env = {
      CONGTHU_DATA_DIR: path.join(dir, 'data'),
      CONGTHU_DATABASE_URL: '',
      // Every listener on a port the kernel picks, so parallel runs never collide.
      ...Object.fromEntries(
        ['HTTP', 'SMTP', 'SUBMISSION', 'SUBMISSIONS', 'IMAP', 'IMAPS', 'POP3', 'POP3S'].map((p) => [
          `CONGTHU_${p}_PORT`,
          '0',
        ]),
      ),
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on a fresh data folder, serves /healthz and /metrics, works beside the CLI, stops on SIGTERM', async () => {
    const s = await startServe(env);
    try {
      for (const f of ['congthu.db', 'tls/cert.pem', 'tls/key.pem', 'blobs/tmp'])
        expect(existsSync(path.join(env.CONGTHU_DATA_DIR!, f)), f).toBe(true);
      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      expect(metrics).toContain('congthu_auth_attempts_total');
      expect(metrics).toContain('congthu_process_cpu_seconds_total');
      // The first operator is shown once on the terminal, never in the structured log.
      const banner = /One-time password: (\S+)/.exec(s.stderr());
      expect(banner).not.toBeNull();
      expect(s.stdout()).not.toContain(banner![1]);
      expect(s.stdout()).toContain('quangtri.gov.vn');
      // The CLI works on the same database while the server runs.
      await cliProcess(env, [
        'org',
        'create',
        '--code',
        'soyte',
        '--name',
        'Sở Y tế',
        '--kind',
        'department',
      ]);
      const created = await cliProcess(env, [
        'account',
        'create',
        '--name',
        'Phan Thị Hồng',
        '--org',
        'soyte',
        '--json',
      ]);
      expect(created.code).toBe(0);
      expect(JSON.parse(created.stdout).account.address).toBe('phanthihong@quangtri.gov.vn');
      // SMTP and POP3 run inside the same process: a message in by SMTP comes out by POP3.
      await cliProcess(env, [
        'account',
        'passwd',
        'phanthihong',
        '--password',
        'Hong@2026xx',
        '--no-must-change',
      ]);
      const mx = Number(/mx:(\d+)/.exec(s.services.join(' '))![1]);
      const pop3 = Number(/pop3 \S+ 127\.0\.0\.1:(\d+)/.exec(s.services.join(' '))![1]);
      const imap = Number(/imap starttls 127\.0\.0\.1:(\d+)/.exec(s.services.join(' '))![1]);
      const py = spawnSync('python3', [
        '-c',
        [
          'import smtplib, poplib, sys',
          `s = smtplib.SMTP("127.0.0.1", ${mx}); s.sendmail("a@example.org", ["phanthihong@quangtri.gov.vn"], "From: a@example.org\\r\\nTo: phanthihong@quangtri.gov.vn\\r\\nSubject: chao\\r\\n\\r\\nXin chao.\\r\\n"); s.quit()`,
          `p = poplib.POP3("127.0.0.1", ${pop3}); p.user("phanthihong"); p.pass_("Hong@2026xx")`,
          'print(p.stat()[0]); print(b"\\n".join(p.retr(1)[1]).decode()); p.quit()',
          // …and by IMAP, from the same process (loopback development: plain LOGIN allowed).
          `import imaplib; m = imaplib.IMAP4("127.0.0.1", ${imap}); m.login("phanthihong", "Hong@2026xx")`,
          'm.select("INBOX"); print("IMAP", m.search(None, "SUBJECT", "chao")[1][0].decode()); m.logout()',
        ].join('\n'),
      ]);
      expect(py.status, py.stderr.toString()).toBe(0);
      expect(py.stdout.toString()).toMatch(/^1\n/);
      expect(py.stdout.toString()).toContain('Xin chao.');
      expect(py.stdout.toString()).toContain('IMAP 1');
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exited).toBe(0);
    expect(s.stdout()).toContain('congthu stopped');
  });

  it('starts again on the same data without a new operator, and refuses a bad configuration', async () => {
    const s = await startServe(env);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.stderr()).not.toContain('One-time password');
    const bad = await cliProcess({ ...env, CONGTHU_HTTP_PORT: 'eighty' }, ['serve']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CONGTHU_HTTP_PORT');
  });
});
