export * from './flags.ts';
export * from './events.ts';
export * from './folders.ts';
export {
  IngestService,
  type IngestInput,
  type IngestResult,
  type Delivery,
  type Delivered,
  type IngestSource,
  type IngestDeps,
} from './ingest.ts';
export {
  listMessages,
  storeFlags,
  expunge,
  removeMessageRows,
  type RemovableRow,
  type MessageRow,
  type FlagMode,
  type StoreFlagsResult,
  type MessageDeps,
} from './messages.ts';
export {
  createFolder,
  deleteFolder,
  renameFolder,
  setSubscribed,
  CREATABLE_SPECIAL_USE,
  type FolderOpsDeps,
} from './folder-ops.ts';
export {
  copyMessages,
  moveMessages,
  moveAllMessages,
  type CopyMoveDeps,
  type CopyResult,
} from './copy-move.ts';
export {
  buildSearchDoc,
  candidateUids,
  exactFields,
  exactFold,
  exactTextMatches,
  EXACT_SCAN_BATCH,
  searchFold,
  searchFolded,
  writeSearchDoc,
  MIN_INDEXED_CHARS,
  type IndexField,
  type SearchDoc,
  type TextQuery,
} from './search-index.ts';
