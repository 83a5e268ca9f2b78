// Content-addressed blobs and the garbage collector, on both backends (catalogue G4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { availableBackends, freshStore, type TestBackend } from '../support/backends.ts';
import {
  FsBlobStore,
  BlobNotFoundError,
  acquireBlob,
  releaseBlob,
  putAndReference,
  collectGarbage,
  type DataStore,
} from '../../src/store/index.ts';
import { ManualClock, systemClock } from '../../src/util/clock.ts';

const backends = await availableBackends();

async function* chunks(parts: Buffer[]): AsyncIterable<Buffer> {
  for (const p of parts) yield p;
}

describe.each(backends)('blob store on %s', (name) => {
  let store: DataStore;
  let backend: TestBackend;
  let blobs: FsBlobStore;
  beforeAll(async () => {
    ({ store, backend } = await freshStore(name));
    blobs = await FsBlobStore.open(path.join(backend.dir, 'blobs'));
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('names content by its SHA-256, stores it once, and reads ranges', async () => {
    const content = Buffer.from('Subject: Thông báo\r\n\r\nNội dung thư.\r\n');
    const a = await blobs.put(content);
    const b = await blobs.put(chunks([content.subarray(0, 5), content.subarray(5)]));
    expect(a.id).toBe(createHash('sha256').update(content).digest('hex'));
    expect(a).toMatchObject({ size: content.length, created: true });
    expect(b).toMatchObject({ id: a.id, created: false });
    expect(await blobs.read(a.id)).toEqual(content);
    const part: Buffer[] = [];
    for await (const c of await blobs.get(a.id, { start: 9, end: 18 })) part.push(c as Buffer);
    expect(Buffer.concat(part)).toEqual(content.subarray(9, 18));
    const files = await fs.readdir(path.join(backend.dir, 'blobs', a.id.slice(0, 2), a.id.slice(2, 4)));
    expect(files).toEqual([a.id]);
    expect((await fs.readdir(path.join(backend.dir, 'blobs', 'tmp'))).length).toBe(0);
  });

  it('reports a missing blob with a typed error and rejects malformed ids', async () => {
    const missing = '0'.repeat(64);
    await expect(blobs.read(missing)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(blobs.get(missing)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await blobs.stat(missing)).toBeNull();
    await expect(blobs.read('../../etc/passwd')).rejects.toThrow(/invalid blob id/);
  });

  it('removes temp files left by a crash when it opens', async () => {
    await fs.writeFile(path.join(backend.dir, 'blobs', 'tmp', 'leftover'), 'half a message');
    await FsBlobStore.open(path.join(backend.dir, 'blobs'));
    expect(await fs.readdir(path.join(backend.dir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('collects unreferenced blobs and orphan files only after the grace period', async () => {
    const clock = new ManualClock(Date.now());
    const kept = await blobs.put(Buffer.from('kept'));
    const dropped = await blobs.put(Buffer.from('dropped'));
    const orphan = await blobs.put(Buffer.from('orphan: ingest crashed before commit'));
    await store.write(async (tx) => {
      await acquireBlob(tx, blobs, kept.id, kept.size, clock.now());
      await acquireBlob(tx, blobs, dropped.id, dropped.size, clock.now());
    });
    await store.write(async (tx) => releaseBlob(tx, dropped.id, clock.now()));
    // Within the grace period nothing goes.
    let r = await collectGarbage(store, blobs, { clock, graceMs: 60_000 });
    expect(r.deletedUnreferenced).toBe(0);
    expect(await blobs.stat(dropped.id)).not.toBeNull();
    expect(await blobs.stat(orphan.id)).not.toBeNull();
    // After it, the unreferenced and the orphan go, the referenced stays.
    clock.advance(3_600_000);
    r = await collectGarbage(store, blobs, { clock, graceMs: 60_000 });
    expect(r.deletedUnreferenced).toBeGreaterThanOrEqual(1);
    expect(r.deletedOrphans).toBeGreaterThanOrEqual(1);
    expect(await blobs.stat(dropped.id)).toBeNull();
    expect(await blobs.stat(orphan.id)).toBeNull();
    expect(await blobs.stat(kept.id)).not.toBeNull();
    expect(
      await store.db.selectFrom('blobs').select('id').where('id', '=', dropped.id).executeTakeFirst(),
    ).toBeUndefined();
  });

  it('never deletes a blob that a committed row references, under concurrent ingest and GC', async () => {
    // A small set of contents so that ingests and releases of the same blob race each other,
    // while the collector runs with no grace at all (the harshest setting).
    const contents = Array.from({ length: 6 }, (_, i) =>
      Buffer.from(`message ${i} ${randomBytes(8).toString('hex')}`),
    );
    const held: string[] = [];
    let stop = false;
    const gc = (async () => {
      let runs = 0;
      while (!stop) {
        await collectGarbage(store, blobs, { clock: systemClock, graceMs: 0 });
        runs++;
        await new Promise((r) => setImmediate(r));
      }
      return runs;
    })();
    const workers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 40; i++) {
        const content = contents[(i * 7 + w) % contents.length]!;
        const id = await putAndReference(store, blobs, systemClock, content, async (_tx, blob) => blob.id);
        // Every committed reference must point at a readable file, right now.
        expect(await blobs.read(id)).toEqual(content);
        if (i % 3 === 0) held.push(id);
        else await store.write(async (tx) => releaseBlob(tx, id, new Date()));
      }
    });
    await Promise.all(workers);
    stop = true;
    expect(await gc).toBeGreaterThan(0);
    await collectGarbage(store, blobs, { clock: systemClock, graceMs: 0 });
    const rows = await store.db.selectFrom('blobs').selectAll().where('refcount', '>', 0).execute();
    for (const row of rows)
      expect(await blobs.stat(row.id), `blob ${row.id} referenced ${row.refcount}`).not.toBeNull();
    for (const id of held) expect(await blobs.stat(id)).not.toBeNull();
    const total = rows.reduce((n, r) => n + Number(r.refcount), 0);
    expect(total).toBeGreaterThanOrEqual(held.length);
  });
});
