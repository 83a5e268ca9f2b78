/**
 * The POP3 command table (DESIGN.md convention 5): each command, the states it is allowed in and
 * its handler. The session looks a command up here and nowhere else; a command outside its states
 * is answered -ERR without running (catalogue POP-01).
 */
import type { Pop3Command, Pop3CommandName } from '../../protocol/pop3/index.ts';
import type { SessionContext } from './context.ts';
import type { Phase } from './state.ts';
import * as authorization from './commands/authorization.ts';
import * as transaction from './commands/transaction.ts';
import * as anyState from './commands/any-state.ts';

export interface CommandSpec<C extends Pop3Command> {
  states: readonly Phase[];
  run(ctx: SessionContext, cmd: C): Promise<void>;
}

type Registry = { [N in Pop3CommandName]: CommandSpec<Extract<Pop3Command, { name: N }>> };

const AUTHORIZATION: readonly Phase[] = ['authorization'];
const TRANSACTION: readonly Phase[] = ['transaction'];
const BOTH: readonly Phase[] = ['authorization', 'transaction'];

export const COMMANDS: Registry = {
  USER: { states: AUTHORIZATION, run: authorization.user },
  PASS: { states: AUTHORIZATION, run: authorization.pass },
  APOP: { states: AUTHORIZATION, run: authorization.apop },
  AUTH: { states: AUTHORIZATION, run: authorization.auth },
  STLS: { states: AUTHORIZATION, run: authorization.stls },
  CAPA: { states: BOTH, run: anyState.capa },
  QUIT: { states: BOTH, run: anyState.quit },
  STAT: { states: TRANSACTION, run: transaction.stat },
  LIST: { states: TRANSACTION, run: transaction.list },
  UIDL: { states: TRANSACTION, run: transaction.uidl },
  RETR: { states: TRANSACTION, run: transaction.retr },
  TOP: { states: TRANSACTION, run: transaction.top },
  DELE: { states: TRANSACTION, run: transaction.dele },
  RSET: { states: TRANSACTION, run: transaction.rset },
  NOOP: { states: TRANSACTION, run: transaction.noop },
};

export function lookup(name: Pop3CommandName): CommandSpec<Pop3Command> {
  return COMMANDS[name] as CommandSpec<Pop3Command>;
}
