/**
 * What every command file declares (DESIGN.md convention 5): its wire name, the session states it
 * is allowed in, whether it has a UID form, the RFC that defines it, and its grammar.
 *
 * `parse` starts with the cursor right after the command name (after `UID <name>` for UID forms),
 * reads every argument including the leading SP, and ends with `r.end()`.
 */
import type { CommandReader } from '../reader.ts';

export type SessionState = 'not-authenticated' | 'authenticated' | 'selected';

export const ANY_STATE: readonly SessionState[] = ['not-authenticated', 'authenticated', 'selected'];
export const NOT_AUTHENTICATED: readonly SessionState[] = ['not-authenticated'];
export const AUTHENTICATED: readonly SessionState[] = ['authenticated', 'selected'];
export const SELECTED: readonly SessionState[] = ['selected'];

export interface CommandHead {
  readonly tag: string;
  /** The command came as `UID <name>`. */
  readonly uid: boolean;
}

export interface CommandSpec<C extends { readonly name: string }> {
  readonly name: C['name'];
  readonly states: readonly SessionState[];
  /** Allowed after "UID" (RFC 9051 §6.4.9, RFC 4315, RFC 6851). */
  readonly uid?: boolean;
  /** Where the syntax comes from, in the greppable form of DESIGN.md convention 1. */
  readonly rfc: string;
  parse(r: CommandReader, head: CommandHead): C;
}

/** A command without arguments. */
export interface BareCommand<N extends string> {
  readonly name: N;
  readonly tag: string;
}

export function bareCommand<N extends string>(
  name: N,
  states: readonly SessionState[],
  rfc: string,
): CommandSpec<BareCommand<N>> {
  return {
    name,
    states,
    rfc,
    parse(r, head) {
      r.end();
      return { name, tag: head.tag };
    },
  };
}
