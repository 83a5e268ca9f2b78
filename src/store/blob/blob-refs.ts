/**
 * Reference counts of blobs, kept in the `blobs` table inside the caller's write transaction, and
 * the garbage collector.
 *
 * The invariant (catalogue G4): no committed row references a blob whose file is missing.
 * - `acquireBlob` increments the count and then checks, inside the same transaction and under the
 *   blob's lock, that the file exists. If the collector removed it in between, the caller gets a
 *   `BlobGoneError`, puts the content again, and retries: nothing is committed that points nowhere.
 * - The collector deletes a file only inside a write transaction that holds the blob's lock and
 *   has just deleted the row with refcount 0 (or found no row at all): an acquire either commits
 *   first (the row then has refcount ≥ 1 and is not deleted) or runs after (and sees the file gone).
 * - Unreferenced blobs and orphan files (written by an ingest that crashed before commit) wait a
 *   grace period before removal; a `put` of the same content refreshes that clock.
 */
import type { Clock } from '../../util/clock.ts';
import type { DataStore, Tx } from '../datastore.ts';
import type { BlobId, BlobStore } from './blob-store.ts';

export class BlobGoneError extends Error {
  readonly id: BlobId;
  constructor(id: BlobId) {
    super(`blob ${id} was collected before it could be referenced; put it again`);
    this.name = 'BlobGoneError';
    this.id = id;
  }
}

const lockName = (id: BlobId): string => `blob:${id}`;

/** Take `count` references to a stored blob (one per message row that will point at it). */
export async function acquireBlob(
  tx: Tx,
  blobs: BlobStore,
  id: BlobId,
  size: number,
  now: Date,
  count = 1,
): Promise<void> {
  await tx.lock(lockName(id));
  await tx.db
    .insertInto('blobs')
    .values({ id, size, refcount: count, created_at: now.getTime(), zero_since: null })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({ refcount: eb('blobs.refcount', '+', count), zero_since: null })),
    )
    .execute();
  if ((await blobs.stat(id)) === null) throw new BlobGoneError(id);
}

export async function releaseBlob(tx: Tx, id: BlobId, now: Date, count = 1): Promise<void> {
  await tx.db
    .updateTable('blobs')
    .set((eb) => ({ refcount: eb('refcount', '-', count) }))
    .where('id', '=', id)
    .where('refcount', '>=', count)
    .execute();
  await tx.db
    .updateTable('blobs')
    .set({ zero_since: now.getTime() })
    .where('id', '=', id)
    .where('refcount', '=', 0)
    .where('zero_since', 'is', null)
    .execute();
}

/**
 * Store `content` and take one reference to it in a transaction that `fn` extends. Retries when the
 * collector won a race. Returns what `fn` returned.
 */
export async function putAndReference<T>(
  store: DataStore,
  blobs: BlobStore,
  clock: Clock,
  content: Buffer,
  fn: (tx: Tx, blob: { id: BlobId; size: number }) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const { id, size } = await blobs.put(content);
    try {
      return await store.write(async (tx) => {
        await acquireBlob(tx, blobs, id, size, clock.now());
        return fn(tx, { id, size });
      });
    } catch (e) {
      if (e instanceof BlobGoneError && attempt < 5) continue;
      throw e;
    }
  }
}

export interface GcReport {
  deletedUnreferenced: number;
  deletedOrphans: number;
}

export async function collectGarbage(
  store: DataStore,
  blobs: BlobStore,
  options: { clock: Clock; graceMs: number; batch?: number },
): Promise<GcReport> {
  const report: GcReport = { deletedUnreferenced: 0, deletedOrphans: 0 };
  const batch = options.batch ?? 200;
  // 1. Rows whose count has been 0 for longer than the grace period.
  for (;;) {
    const cutoff = options.clock.now().getTime() - options.graceMs;
    const candidates = await store.db
      .selectFrom('blobs')
      .select('id')
      .where('refcount', '=', 0)
      .where('zero_since', '<', cutoff)
      .limit(batch)
      .execute();
    if (candidates.length === 0) break;
    for (const { id } of candidates) {
      const deleted = await store.write(async (tx) => {
        await tx.lock(lockName(id));
        const gone = await tx.db
          .deleteFrom('blobs')
          .where('id', '=', id)
          .where('refcount', '=', 0)
          .where('zero_since', '<', cutoff)
          .returning('id')
          .execute();
        if (gone.length === 0) return false;
        await blobs.delete(id);
        return true;
      });
      if (deleted) report.deletedUnreferenced++;
    }
    if (candidates.length < batch) break;
  }
  // 2. Files with no row at all, older than the grace period.
  const cutoff = options.clock.now().getTime() - options.graceMs;
  for await (const info of blobs.list()) {
    if (info.touchedAt.getTime() >= cutoff) continue;
    const row = await store.db.selectFrom('blobs').select('id').where('id', '=', info.id).executeTakeFirst();
    if (row) continue;
    const deleted = await store.write(async (tx) => {
      await tx.lock(lockName(info.id));
      const again = await tx.db.selectFrom('blobs').select('id').where('id', '=', info.id).executeTakeFirst();
      if (again) return false;
      const s = await blobs.stat(info.id);
      if (!s || s.touchedAt.getTime() >= cutoff) return false;
      await blobs.delete(info.id);
      return true;
    });
    if (deleted) report.deletedOrphans++;
  }
  return report;
}
