/**
 * Public surface of the IMAP wire codec (src/protocol/imap): bytes in → typed commands, typed
 * responses → bytes out. No sockets, no storage; the session (src/server/imap) drives it.
 */
export { ImapCommandParser, type LiteralAnnouncement, type ParseEvent } from './parser.ts';
export {
  DEFAULT_PARSER_OPTIONS,
  LITERAL_MINUS_MAX,
  resolveParserOptions,
  type ImapParserOptions,
  type NonSyncLiteralPolicy,
} from './limits.ts';
export {
  ImapProtocolError,
  type ImapErrorCode,
  type ImapErrorReason,
  type ImapErrorStatus,
} from './errors.ts';
export {
  COMMAND_SPECS,
  UID_COMMAND_SPECS,
  commandStates,
  isCommandAllowed,
  parseCommandFrame,
  type ImapCommand,
  type ImapCommandName,
  type KnownCommand,
  type UnknownCommand,
} from './commands.ts';
export type { CommandSpec, SessionState } from './commands/spec.ts';
export type { CommandFrame, FramedLiteral } from './frame.ts';
export type { AppendCommand, AppendMessage, MessageContent } from './commands/append.ts';
export type { AuthenticateCommand } from './commands/authenticate.ts';
export type { CapabilityCommand } from './commands/capability.ts';
export type { CheckCommand } from './commands/check.ts';
export type { CloseCommand } from './commands/close.ts';
export type { CompressCommand } from './commands/compress.ts';
export type { CopyCommand } from './commands/copy.ts';
export type { CreateCommand } from './commands/create.ts';
export type { DeleteaclCommand } from './commands/deleteacl.ts';
export type { GetaclCommand } from './commands/getacl.ts';
export type { ListrightsCommand } from './commands/listrights.ts';
export type { MyrightsCommand } from './commands/myrights.ts';
export type { SetaclCommand } from './commands/setacl.ts';
export type { DeleteCommand } from './commands/delete.ts';
export type { EnableCommand } from './commands/enable.ts';
export type { ExamineCommand } from './commands/examine.ts';
export type { ExpungeCommand } from './commands/expunge.ts';
export {
  FETCH_MACROS,
  type FetchAttribute,
  type FetchCommand,
  type FetchMacro,
  type FetchPartial,
  type Section,
  type SectionText,
  type SimpleFetchItem,
} from './commands/fetch.ts';
export type { GetquotaCommand } from './commands/getquota.ts';
export type { GetquotarootCommand } from './commands/getquotaroot.ts';
export { ID_MAX_FIELD, ID_MAX_PAIRS, ID_MAX_VALUE, type IdCommand } from './commands/id.ts';
export type { IdleCommand } from './commands/idle.ts';
export type { ListCommand, ListReturnOptions, ListSelectOptions } from './commands/list.ts';
export type { LoginCommand } from './commands/login.ts';
export type { LogoutCommand } from './commands/logout.ts';
export type { LsubCommand } from './commands/lsub.ts';
export type { MoveCommand } from './commands/move.ts';
export type { NamespaceCommand } from './commands/namespace.ts';
export type { NoopCommand } from './commands/noop.ts';
export type { RenameCommand } from './commands/rename.ts';
export type { SearchCommand, SearchReturnOption } from './commands/search.ts';
export type { SearchDateKey, SearchFlagKey, SearchKey, SearchStringKey } from './commands/search-key.ts';
export type { SortCommand, SortCriterion, SortKey } from './commands/sort.ts';
export type { ThreadCommand } from './commands/thread.ts';
export type { QresyncParams, SelectArguments, SelectCommand } from './commands/select.ts';
export type { QuotaLimit, SetquotaCommand } from './commands/setquota.ts';
export type { StarttlsCommand } from './commands/starttls.ts';
export { STATUS_ITEMS, type StatusCommand, type StatusItem } from './commands/status.ts';
export type { StoreCommand } from './commands/store.ts';
export type { SubscribeCommand } from './commands/subscribe.ts';
export type { UidExpungeCommand } from './commands/uid-expunge.ts';
export type { UnselectCommand } from './commands/unselect.ts';
export type { UnsubscribeCommand } from './commands/unsubscribe.ts';
export {
  MAX_SEQ_NUMBER,
  compressNumbers,
  formatIntervals,
  formatSequenceSet,
  intervalsContain,
  intervalsSize,
  iterateIntervals,
  parseSequenceSet,
  resolveSequenceSet,
  sequenceSetContains,
  sequenceSetFromNumbers,
  sequenceSetUsesStar,
  type Interval,
  type ResolveOptions,
  type SeqNumber,
  type SeqRange,
  type SequenceParseOptions,
  type SequenceParseResult,
  type SequenceSet,
} from './sequence.ts';
export {
  decodeMailboxName,
  decodeMutf7,
  decodeMutf7Result,
  encodeMailboxName,
  encodeMutf7,
  isValidMutf7,
  type Mutf7Result,
} from './mutf7.ts';
export {
  MONTH_NAMES,
  formatDate,
  formatDateTime,
  isValidDate,
  type ImapDate,
  type ImapDateTime,
} from './datetime.ts';
export { decodeBase64Strict, encodeBase64 } from './base64.ts';
export {
  NIL,
  SIMPLE_RESPONSE_CODES,
  astr,
  atom,
  concatChunks,
  continuation,
  continuationBase64,
  errorResponse,
  formatResponseCode,
  objectId,
  list,
  literal,
  literal8,
  mailboxValue,
  nstr,
  num,
  raw,
  sanitizeText,
  seqSet,
  serializeValue,
  serializeValues,
  str,
  taggedResponse,
  toAsciiText,
  untaggedData,
  untaggedStatus,
  type ImapValue,
  type ResponseCode,
  type SimpleResponseCode,
  type StatusOptions,
  type TaggedStatus,
  type UntaggedStatus,
  type WriteOptions,
} from './response.ts';
