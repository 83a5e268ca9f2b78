/**
 * The one registry table of the IMAP server (DESIGN.md convention 5): command name → handler.
 * No reflection: a command the table lacks is answered `BAD` by the session. SETQUOTA and the
 * other commands the codec parses but this server does not offer have refusing handlers so that
 * the answer is deliberate.
 */
import type { AnyHandler } from './handler.ts';
import { deleteacl, getacl, listrights, myrights, setacl } from './commands/acl.ts';
import { append } from './commands/append.ts';
import { authenticate } from './commands/authenticate.ts';
import { capability } from './commands/capability.ts';
import { check } from './commands/check.ts';
import { close } from './commands/close.ts';
import { compress } from './commands/compress.ts';
import { copy } from './commands/copy.ts';
import { create } from './commands/create.ts';
import { deleteMailbox } from './commands/delete.ts';
import { enable } from './commands/enable.ts';
import { examine, select } from './commands/select.ts';
import { expunge } from './commands/expunge.ts';
import { fetch } from './commands/fetch.ts';
import { getquota, getquotaroot, setquota } from './commands/quota.ts';
import { id } from './commands/id.ts';
import { idle } from './commands/idle.ts';
import { list, lsub } from './commands/list.ts';
import { login } from './commands/login.ts';
import { logout } from './commands/logout.ts';
import { move } from './commands/move.ts';
import { namespace } from './commands/namespace.ts';
import { noop } from './commands/noop.ts';
import { rename } from './commands/rename.ts';
import { search } from './commands/search.ts';
import { sort } from './commands/sort.ts';
import { thread } from './commands/thread.ts';
import { starttls } from './commands/starttls.ts';
import { status } from './commands/status.ts';
import { store } from './commands/store.ts';
import { subscribe, unsubscribe } from './commands/subscribe.ts';
import { uidExpunge } from './commands/uid-expunge.ts';
import { unselect } from './commands/unselect.ts';

const HANDLERS = [
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
] as unknown as AnyHandler[];

const REGISTRY: ReadonlyMap<string, AnyHandler> = new Map(HANDLERS.map((h) => [h.name, h]));

export function lookupHandler(name: string): AnyHandler | undefined {
  return REGISTRY.get(name);
}

/** Every command name the server answers (for tests and documentation). */
export const HANDLED_COMMANDS: readonly string[] = [...REGISTRY.keys()];
