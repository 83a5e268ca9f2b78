/**
 * Filesystem blob store. Layout under `root`:
 *   tmp/<random>            content being written
 *   ab/cd/abcd…(64 hex)     one file per blob, named by its SHA-256, read-only (0440)
 * Durability (DESIGN.md; Postfix mail_stream.c, mox SyncDir): write to tmp, fsync the file, rename
 * into place, fsync the directory that gained the entry (and its parents when they were created).
 * A crash leaves at most a stray tmp file (removed at open) or an unreferenced blob (the GC's work).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  BlobNotFoundError,
  isBlobId,
  type BlobId,
  type BlobInfo,
  type BlobStore,
  type PutResult,
} from './blob-store.ts';

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export class FsBlobStore implements BlobStore {
  private readonly root: string;
  private readonly tmp: string;

  private constructor(root: string) {
    this.root = root;
    this.tmp = path.join(root, 'tmp');
  }

  static async open(root: string): Promise<FsBlobStore> {
    const store = new FsBlobStore(path.resolve(root));
    await fs.mkdir(store.tmp, { recursive: true });
    // Left-overs of writes interrupted by a crash: never referenced, never complete.
    for (const name of await fs.readdir(store.tmp)) await fs.rm(path.join(store.tmp, name), { force: true });
    return store;
  }

  pathOf(id: BlobId): string {
    if (!isBlobId(id)) throw new Error(`invalid blob id: ${JSON.stringify(id).slice(0, 80)}`);
    return path.join(this.root, id.slice(0, 2), id.slice(2, 4), id);
  }

  async put(content: Buffer | AsyncIterable<Buffer | Uint8Array>): Promise<PutResult> {
    const tmpPath = path.join(this.tmp, randomBytes(12).toString('hex'));
    const hash = createHash('sha256');
    let size = 0;
    const fh = await fs.open(tmpPath, 'wx', 0o640);
    try {
      const chunks: AsyncIterable<Buffer | Uint8Array> | Array<Buffer> = Buffer.isBuffer(content)
        ? [content]
        : content;
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        let off = 0;
        while (off < chunk.length) {
          const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
          off += bytesWritten;
        }
      }
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await fs.rm(tmpPath, { force: true });
      throw e;
    }
    await fh.close();
    const id = hash.digest('hex');
    const final = this.pathOf(id);
    const now = new Date();
    try {
      await fs.utimes(final, now, now); // already stored: refresh, drop the copy
      await fs.rm(tmpPath, { force: true });
      return { id, size, created: false };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const shard2 = path.dirname(final);
    const shard1 = path.dirname(shard2);
    const created = await fs.mkdir(shard2, { recursive: true });
    await fs.chmod(tmpPath, 0o440);
    await fs.rename(tmpPath, final);
    await fsyncDir(shard2);
    if (created !== undefined) {
      // New shard folders: their own entries must reach the disk too.
      await fsyncDir(shard1);
      await fsyncDir(this.root);
    }
    return { id, size, created: true };
  }

  async get(id: BlobId, range?: { start: number; end?: number }): Promise<Readable> {
    const p = this.pathOf(id);
    try {
      await fs.access(p);
    } catch {
      throw new BlobNotFoundError(id);
    }
    return createReadStream(
      p,
      range ? { start: range.start, ...(range.end !== undefined ? { end: range.end - 1 } : {}) } : {},
    );
  }

  async read(id: BlobId): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathOf(id));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(id);
      throw e;
    }
  }

  async readRange(id: BlobId, start: number, end: number): Promise<Buffer> {
    let fh;
    try {
      fh = await fs.open(this.pathOf(id), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(id);
      throw e;
    }
    try {
      const buf = Buffer.allocUnsafe(Math.max(0, end - start));
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === buf.length ? buf : buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  }

  async stat(id: BlobId): Promise<BlobInfo | null> {
    try {
      const s = await fs.stat(this.pathOf(id));
      return { id, size: s.size, touchedAt: s.mtime };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(id: BlobId): Promise<void> {
    const p = this.pathOf(id);
    await fs.rm(p, { force: true });
    await fsyncDir(path.dirname(p)).catch(() => undefined);
  }

  async *list(): AsyncIterable<BlobInfo> {
    const hex2 = /^[0-9a-f]{2}$/;
    for (const a of (await fs.readdir(this.root)).filter((n) => hex2.test(n)).sort()) {
      const da = path.join(this.root, a);
      for (const b of (await fs.readdir(da)).filter((n) => hex2.test(n)).sort()) {
        const db = path.join(da, b);
        for (const name of (await fs.readdir(db)).sort()) {
          if (!isBlobId(name)) continue;
          const s = await fs.stat(path.join(db, name)).catch(() => null);
          if (s) yield { id: name, size: s.size, touchedAt: s.mtime };
        }
      }
    }
  }
}
