/**
 * What every command file of the IMAP server declares (DESIGN.md convention 5): the command it
 * handles, the session states it is allowed in, whether EXPUNGE responses may follow it, and how
 * to run it. The registry (registry.ts) holds one of these per command name.
 */
import type { KnownCommand } from '../../protocol/imap/index.ts';
import type { CommandResult, SessionContext } from './context.ts';
import type { StateKind } from './state.ts';

export interface HandlerResult extends CommandResult {
  /** Runs after the tagged response is sent (STARTTLS negotiation, LOGOUT close). */
  after?: () => Promise<void> | void;
}

export interface CommandHandler<C extends KnownCommand> {
  readonly name: C['name'];
  readonly states: readonly StateKind[];
  /**
   * May pending EXPUNGE responses be sent before this command's tagged answer? Not after FETCH,
   * STORE or SEARCH (RFC 9051 §7.5.1); their UID forms may (they do not use sequence numbers).
   * Default true.
   */
  readonly expungeAllowed?: (command: C) => boolean;
  /** null: the command goes on (IDLE, a SASL exchange); the session answers it later. */
  run(ctx: SessionContext, command: C): Promise<HandlerResult | null>;
}

export type AnyHandler = CommandHandler<KnownCommand>;

/** Type-checked handler definition. */
export function defineHandler<C extends KnownCommand>(h: CommandHandler<C>): CommandHandler<C> {
  return h;
}
