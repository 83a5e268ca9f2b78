/**
 * The typed IMAP command union and the one registry table (DESIGN.md conventions 4–5).
 *
 *   command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF
 *   tag     = 1*<any ASTRING-CHAR except "+">
 *   uid     = "UID" SP (copy / move / fetch / search / store / uid-expunge / sort / thread)
 *
 * `ImapCommand` is discriminated on `name` (the wire name; `UID EXPUNGE` for that one; UID forms
 * of COPY, MOVE, FETCH, SEARCH and STORE keep their name and set `uid: true`). A command name the
 * registry does not know becomes `{ name: 'unknown' }` so that the session answers `tag BAD`
 * through the same path as every other command. Each command's grammar and allowed states live in
 * its own file under commands/.
 */
import { ImapProtocolError } from './errors.ts';
import type { CommandFrame } from './frame.ts';
import { latin1 } from './mutf7.ts';
import { CommandReader, GrammarError, isTagChar, type ReaderContext } from './reader.ts';
import { append, type AppendCommand } from './commands/append.ts';
import { authenticate, type AuthenticateCommand } from './commands/authenticate.ts';
import { capability, type CapabilityCommand } from './commands/capability.ts';
import { check, type CheckCommand } from './commands/check.ts';
import { close, type CloseCommand } from './commands/close.ts';
import { compress, type CompressCommand } from './commands/compress.ts';
import { copy, type CopyCommand } from './commands/copy.ts';
import { create, type CreateCommand } from './commands/create.ts';
import { deleteacl, type DeleteaclCommand } from './commands/deleteacl.ts';
import { deleteMailbox, type DeleteCommand } from './commands/delete.ts';
import { enable, type EnableCommand } from './commands/enable.ts';
import { examine, type ExamineCommand } from './commands/examine.ts';
import { expunge, type ExpungeCommand } from './commands/expunge.ts';
import { fetch, type FetchCommand } from './commands/fetch.ts';
import { getacl, type GetaclCommand } from './commands/getacl.ts';
import { getquota, type GetquotaCommand } from './commands/getquota.ts';
import { getquotaroot, type GetquotarootCommand } from './commands/getquotaroot.ts';
import { id, type IdCommand } from './commands/id.ts';
import { idle, type IdleCommand } from './commands/idle.ts';
import { list, type ListCommand } from './commands/list.ts';
import { listrights, type ListrightsCommand } from './commands/listrights.ts';
import { login, type LoginCommand } from './commands/login.ts';
import { logout, type LogoutCommand } from './commands/logout.ts';
import { lsub, type LsubCommand } from './commands/lsub.ts';
import { move, type MoveCommand } from './commands/move.ts';
import { myrights, type MyrightsCommand } from './commands/myrights.ts';
import { namespace, type NamespaceCommand } from './commands/namespace.ts';
import { noop, type NoopCommand } from './commands/noop.ts';
import { rename, type RenameCommand } from './commands/rename.ts';
import { search, type SearchCommand } from './commands/search.ts';
import { select, type SelectCommand } from './commands/select.ts';
import { setacl, type SetaclCommand } from './commands/setacl.ts';
import { setquota, type SetquotaCommand } from './commands/setquota.ts';
import { sort, type SortCommand } from './commands/sort.ts';
import type { CommandSpec, SessionState } from './commands/spec.ts';
import { starttls, type StarttlsCommand } from './commands/starttls.ts';
import { status, type StatusCommand } from './commands/status.ts';
import { store, type StoreCommand } from './commands/store.ts';
import { subscribe, type SubscribeCommand } from './commands/subscribe.ts';
import { thread, type ThreadCommand } from './commands/thread.ts';
import { uidExpunge, type UidExpungeCommand } from './commands/uid-expunge.ts';
import { unselect, type UnselectCommand } from './commands/unselect.ts';
import { unsubscribe, type UnsubscribeCommand } from './commands/unsubscribe.ts';

/** A command whose name the codec does not know: answer `tag BAD` (RFC 9051 §7.1.3). */
export interface UnknownCommand {
  readonly name: 'unknown';
  readonly tag: string;
  /** The command word as sent, upper case, at most 64 characters. */
  readonly verb: string;
}

export type ImapCommand =
  | AppendCommand
  | AuthenticateCommand
  | CapabilityCommand
  | CheckCommand
  | CloseCommand
  | CompressCommand
  | CopyCommand
  | CreateCommand
  | DeleteaclCommand
  | DeleteCommand
  | EnableCommand
  | ExamineCommand
  | ExpungeCommand
  | FetchCommand
  | GetaclCommand
  | GetquotaCommand
  | GetquotarootCommand
  | IdCommand
  | IdleCommand
  | ListCommand
  | ListrightsCommand
  | LoginCommand
  | LogoutCommand
  | LsubCommand
  | MoveCommand
  | MyrightsCommand
  | NamespaceCommand
  | NoopCommand
  | RenameCommand
  | SearchCommand
  | SelectCommand
  | SetaclCommand
  | SetquotaCommand
  | SortCommand
  | StarttlsCommand
  | StatusCommand
  | StoreCommand
  | SubscribeCommand
  | ThreadCommand
  | UidExpungeCommand
  | UnselectCommand
  | UnsubscribeCommand
  | UnknownCommand;

export type ImapCommandName = ImapCommand['name'];
export type KnownCommand = Exclude<ImapCommand, UnknownCommand>;

type AnySpec = CommandSpec<KnownCommand>;

/** Every command the codec knows, by wire name. */
export const COMMAND_SPECS: ReadonlyMap<string, AnySpec> = new Map<string, AnySpec>(
  (
    [
      append,
      authenticate,
      capability,
      check,
      close,
      compress,
      copy,
      create,
      deleteacl,
      deleteMailbox,
      enable,
      examine,
      expunge,
      fetch,
      getacl,
      getquota,
      getquotaroot,
      id,
      idle,
      list,
      listrights,
      login,
      logout,
      lsub,
      move,
      myrights,
      namespace,
      noop,
      rename,
      search,
      select,
      setacl,
      setquota,
      sort,
      starttls,
      status,
      store,
      subscribe,
      thread,
      uidExpunge,
      unselect,
      unsubscribe,
    ] as AnySpec[]
  ).map((s) => [s.name, s]),
);

/** The commands allowed after `UID` (RFC 9051 §6.4.9), by the word that follows it. */
export const UID_COMMAND_SPECS: ReadonlyMap<string, AnySpec> = new Map<string, AnySpec>([
  ['COPY', copy as AnySpec],
  ['MOVE', move as AnySpec],
  ['FETCH', fetch as AnySpec],
  ['SEARCH', search as AnySpec],
  ['SORT', sort as AnySpec],
  ['THREAD', thread as AnySpec],
  ['STORE', store as AnySpec],
  ['EXPUNGE', uidExpunge as AnySpec],
]);

/** The session states a command may be used in; an unknown command is allowed nowhere. */
export function commandStates(name: ImapCommandName): readonly SessionState[] {
  return COMMAND_SPECS.get(name)?.states ?? [];
}

export function isCommandAllowed(command: ImapCommand, state: SessionState): boolean {
  return commandStates(command.name).includes(state);
}

export type FrameParseResult =
  | { readonly ok: true; readonly command: ImapCommand }
  | { readonly ok: false; readonly error: ImapProtocolError };

const isWordChar = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;

/** Read the tag and, when possible, the command words (for errors raised before the grammar). */
export function readCommandHead(line: Uint8Array): { tag: string | null; verb: string | null } {
  let i = 0;
  while (i < line.length && i <= 1024 && isTagChar(line[i]!)) i++;
  if (i === 0 || i > 1024 || (i < line.length && line[i] !== 0x20)) return { tag: null, verb: null };
  const tag = latin1(line.subarray(0, i));
  const words: string[] = [];
  let j = i + 1;
  while (words.length < 2 && j < line.length) {
    let k = j;
    while (k < line.length && k - j <= 32 && isWordChar(line[k]!)) k++;
    if (k === j) break;
    words.push(latin1(line.subarray(j, k)).toUpperCase());
    if (words[0] !== 'UID' || line[k] !== 0x20) break;
    j = k + 1;
  }
  return { tag, verb: words.length > 0 ? words.join(' ') : null };
}

/** Run the grammar over a complete framed command. Never throws. */
export function parseCommandFrame(frame: CommandFrame, ctx: ReaderContext): FrameParseResult {
  const first = frame.lines[0] ?? new Uint8Array(0);
  const r: CommandReader = new CommandReader(frame, ctx);
  let tag: string | null = null;
  let verb: string | null = null;
  try {
    let n = 0;
    while (isTagChar(r.peek())) {
      r.skip();
      n++;
    }
    if (n === 0) r.fail('expected a tag');
    tag = latin1(first.subarray(0, n));
    r.sp();
    const word = r.atom('command name').toUpperCase();
    verb = word.slice(0, 64);
    let spec: AnySpec | undefined;
    let uid = false;
    if (word === 'UID') {
      r.sp();
      const sub = r.atom('UID command').toUpperCase();
      verb = `UID ${sub.slice(0, 32)}`;
      spec = UID_COMMAND_SPECS.get(sub);
      if (!spec) r.fail(`UID ${sub.slice(0, 32)} is not a UID command`);
      uid = true;
    } else {
      spec = COMMAND_SPECS.get(word);
      if (!spec) {
        return { ok: true, command: { name: 'unknown', tag, verb: word.slice(0, 64) } };
      }
    }
    return { ok: true, command: spec.parse(r, { tag, uid }) };
  } catch (e) {
    return { ok: false, error: grammarErrorToProtocol(e, tag, verb ?? readCommandHead(first).verb) };
  }
}

function grammarErrorToProtocol(e: unknown, tag: string | null, verb: string | null): ImapProtocolError {
  const command = verb;
  if (e instanceof GrammarError) {
    switch (e.reason) {
      case 'nesting':
      case 'too-many-arguments':
        // RFC 5530 LIMIT: the command may be valid, but it is beyond what this server takes.
        return new ImapProtocolError({
          reason: e.reason,
          tag,
          status: 'NO',
          code: 'LIMIT',
          message: `Command too complex: ${e.message}`,
          command,
        });
      case 'literal-too-large':
        return new ImapProtocolError({
          reason: 'literal-too-large',
          tag,
          status: 'BAD',
          code: 'TOOBIG',
          message: e.message,
          command,
        });
      default:
        return new ImapProtocolError({
          reason: 'syntax',
          tag,
          status: 'BAD',
          message: `Syntax error: ${e.message}`,
          command,
        });
    }
  }
  return new ImapProtocolError({
    reason: 'internal',
    tag,
    status: 'NO',
    code: 'SERVERBUG',
    message: 'Internal error while parsing the command',
    command,
  });
}
