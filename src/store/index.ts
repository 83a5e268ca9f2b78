export {
  openStore,
  isUniqueViolation,
  type DataStore,
  type Db,
  type Tx,
  type OpenStoreOptions,
} from './datastore.ts';
export { migrateToLatest, type MigrationReport } from './migrate.ts';
export { appendAudit, listAudit, type Actor, type AuditEvent, type AuditRecord } from './audit.ts';
export type * from './schema.ts';
export type { Dialect } from './migrations/index.ts';
export * from './blob/blob-store.ts';
export { FsBlobStore } from './blob/blob-fs.ts';
export {
  acquireBlob,
  releaseBlob,
  putAndReference,
  collectGarbage,
  BlobGoneError,
  type GcReport,
} from './blob/blob-refs.ts';
