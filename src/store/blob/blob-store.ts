/**
 * The port for message blobs: immutable byte strings named by the SHA-256 of their content, so
 * that one message sent to 500 agencies is stored once. Adapters: blob-fs.ts (filesystem);
 * an S3-compatible adapter implements the same interface.
 *
 * Contract:
 * - `put` returns only when the bytes are durable (for the filesystem: file and directory fsynced).
 *   Putting content that already exists is cheap and refreshes its `touchedAt`, which protects a
 *   blob that is about to be referenced from the orphan sweep of the garbage collector.
 * - Reference counts live in the database (blob-refs.ts), not here.
 */
import type { Readable } from 'node:stream';

export type BlobId = string; // 64 lower-case hex digits

export interface PutResult {
  id: BlobId;
  size: number;
  /** false when identical content was already stored. */
  created: boolean;
}

export interface BlobInfo {
  id: BlobId;
  size: number;
  touchedAt: Date;
}

export interface BlobStore {
  put(content: Buffer | AsyncIterable<Buffer | Uint8Array>): Promise<PutResult>;
  /** A stream of the blob's bytes, or [start, end) of them. Throws BlobNotFoundError. */
  get(id: BlobId, range?: { start: number; end?: number }): Promise<Readable>;
  read(id: BlobId): Promise<Buffer>;
  /**
   * Bytes [start, end) in one buffer: for small ranges (a message body of a few KB) one open, one
   * read and one close instead of a stream. Shorter when the blob is. Throws BlobNotFoundError.
   */
  readRange(id: BlobId, start: number, end: number): Promise<Buffer>;
  stat(id: BlobId): Promise<BlobInfo | null>;
  delete(id: BlobId): Promise<void>;
  /** Every stored blob (for the orphan sweep). */
  list(): AsyncIterable<BlobInfo>;
}

export class BlobNotFoundError extends Error {
  readonly id: BlobId;
  constructor(id: BlobId) {
    super(`blob ${id} not found`);
    this.name = 'BlobNotFoundError';
    this.id = id;
  }
}

export function isBlobId(id: string): boolean {
  return /^[0-9a-f]{64}$/.test(id);
}
