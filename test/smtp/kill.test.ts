// Durable delivery under SIGKILL (issue 3 item 4; catalogue FLT-01, FLT-02, FLT-03, G1, G4): a
// child process runs the SMTP server on one data folder; several connections send under load and
// the child is killed at random moments, 20 rounds per backend, restarting each time. Afterwards
// every message answered 250 is present exactly once (by Message-ID), and nothing half-written is
// visible: no message row without its blob on disk, blob reference counts equal their rows, and
// every folder's UIDNEXT above its highest UID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { availableBackends, makeBackend, type TestBackend } from '../support/backends.ts';
import { loadConfig } from '../../src/config/index.ts';
import { openSystem } from '../../src/app/context.ts';
import { FsBlobStore, openStore } from '../../src/store/index.ts';
import { operator, TEST_PASSWORD } from '../support/system.ts';

const backends = await availableBackends();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The child is kill-server.ts bundled once by esbuild (native modules stay outside): it starts in
// under a second instead of about three through the TypeScript loader, so 20 rounds fit the budget.
const BUNDLE = path.join(ROOT, 'node_modules/.cache/congthu-kill-test', `server-${process.pid}.mjs`);
const ROUNDS = 20;
const WORKERS = 4;

function startChild(b: TestBackend): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [BUNDLE, b.dir, b.url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start: ${err}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
}

beforeAll(async () => {
  await build({
    entryPoints: [path.join(ROOT, 'test/smtp/kill-server.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', '@node-rs/argon2', 'pg-native'],
    outfile: BUNDLE,
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
});
afterAll(() => rmSync(BUNDLE, { force: true }));

describe.each(backends)('SIGKILL under load on %s', (name) => {
  let b: TestBackend;
  let rcpt: { id: string; address: string };
  beforeAll(async () => {
    b = await makeBackend(name);
    const config = loadConfig({
      env: {},
      overrides: { dataDir: b.dir, databaseUrl: b.url, log: { level: 'silent' } },
    });
    const sys = await openSystem(config);
    await sys.directory.orgs.ensureProvince();
    await sys.directory.orgs.create(operator, {
      code: 'sokhcn',
      name: 'Sở Khoa học và Công nghệ',
      kind: 'department',
    });
    const r = await sys.directory.accounts.createPersonal(operator, {
      name: 'Nguyễn Văn An',
      orgCode: 'sokhcn',
      password: TEST_PASSWORD,
      mustChange: false,
    });
    rcpt = { id: r.account.id, address: r.account.address };
    await sys.close();
  });
  afterAll(async () => b.cleanup());

  it(`keeps every acknowledged message exactly once across ${ROUNDS} kills (FLT-01/02/03, G1, G4)`, async () => {
    const acked = new Set<string>();
    let attempted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { child, port } = await startChild(b);
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      let stop = false;
      const worker = async (w: number): Promise<void> => {
        const t = nodemailer.createTransport({
          host: '127.0.0.1',
          port,
          ignoreTLS: true,
          pool: true,
          maxConnections: 1,
        });
        for (let i = 0; !stop; i++) {
          const id = `k${round}-${w}-${i}@kill.test`;
          attempted++;
          try {
            const info = await t.sendMail({
              envelope: { from: 'load@ext.example', to: [rcpt.address] },
              raw: `From: load@ext.example\r\nTo: ${rcpt.address}\r\nSubject: ${id}\r\nMessage-ID: <${id}>\r\n\r\n${'Nội dung thư. '.repeat(40 + i)}\r\n`,
            });
            if (/^250 /.test(info.response)) acked.add(`<${id}>`);
          } catch {
            break; // the server is gone (or refused): this worker is done for the round
          }
        }
        t.close();
      };
      const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 600)));
      child.kill('SIGKILL');
      await exited;
      stop = true;
      await load;
    }
    expect(acked.size).toBeGreaterThan(ROUNDS); // the load really ran

    // Read the store as it is (no migration run: only what the killed server left).
    const store = await openStore({ url: b.url });
    const blobStore = await FsBlobStore.open(path.join(b.dir, 'blobs'));
    try {
      const db = store.db;
      const rows = await db
        .selectFrom('messages')
        .innerJoin('folders', 'folders.id', 'messages.folder_id')
        .innerJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
        .select(['messages.blob_id', 'messages.size', 'message_meta.message_id'])
        .where('folders.account_id', '=', rcpt.id)
        .execute();
      const count = new Map<string, number>();
      for (const r of rows) count.set(r.message_id ?? '', (count.get(r.message_id ?? '') ?? 0) + 1);
      for (const id of acked) expect(count.get(id), id).toBe(1); // every 250: present exactly once
      for (const [id, n] of count) expect(n, id).toBe(1); // nothing twice (no client retries here)
      // No row without its blob; the blob is whole; reference counts match the rows.
      const refs = new Map<string, number>();
      for (const r of rows) refs.set(r.blob_id, (refs.get(r.blob_id) ?? 0) + 1);
      for (const r of rows) expect((await blobStore.read(r.blob_id)).length).toBe(Number(r.size));
      const blobs = await db.selectFrom('blobs').selectAll().execute();
      for (const bl of blobs) expect(Number(bl.refcount), bl.id).toBe(refs.get(bl.id) ?? 0);
      // UIDNEXT above every UID in use (UIDs never reused after a crash).
      const folders = await db.selectFrom('folders').selectAll().execute();
      for (const f of folders) {
        const max = await db
          .selectFrom('messages')
          .select((eb) => eb.fn.max<number>('uid').as('m'))
          .where('folder_id', '=', f.id)
          .executeTakeFirst();
        expect(Number(f.uid_next)).toBeGreaterThan(Number(max?.m ?? 0));
      }
      console.log(`${name}: ${attempted} attempted, ${acked.size} acknowledged, ${rows.length} stored`);
    } finally {
      await store.close();
    }
  }, 120_000);
});
