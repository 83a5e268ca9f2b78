/**
 * POP3 session state as a discriminated union (DESIGN.md convention 4), each state carrying its
 * data, and the one table of allowed transitions (RFC 1939 §3):
 *
 *   AUTHORIZATION ──USER/PASS, AUTH──▶ TRANSACTION ──QUIT──▶ UPDATE ──▶ closed
 *        │                                 │
 *        └──QUIT, timeout, drop──▶ closed ◀┘ timeout, drop (no UPDATE: nothing is deleted)
 *
 * While a SASL exchange is open (RFC 5034 §4) the AUTHORIZATION state carries it, and the next
 * line is a SASL response rather than a command.
 */
import type { AuthResult } from '../../directory/index.ts';
import type { MaildropLease } from './lock.ts';
import type { Maildrop } from './maildrop.ts';

/** The account a successful sign-in returns. */
export type AuthenticatedAccount = NonNullable<AuthResult['account']>;

export interface SaslExchange {
  mechanism: 'PLAIN';
}

export type SessionState =
  | { phase: 'authorization'; user: string | null; sasl: SaslExchange | null }
  | { phase: 'transaction'; account: AuthenticatedAccount; maildrop: Maildrop; lease: MaildropLease }
  | { phase: 'update'; account: AuthenticatedAccount; maildrop: Maildrop; lease: MaildropLease }
  | { phase: 'closed' };

export type Phase = SessionState['phase'];

export type TransactionState = Extract<SessionState, { phase: 'transaction' }>;
export type AuthorizationState = Extract<SessionState, { phase: 'authorization' }>;

const ALLOWED: Readonly<Record<Phase, readonly Phase[]>> = {
  authorization: ['authorization', 'transaction', 'closed'],
  transaction: ['transaction', 'update', 'closed'],
  update: ['closed'],
  closed: [],
};

export const initialState = (): SessionState => ({ phase: 'authorization', user: null, sasl: null });

export function canTransition(from: Phase, to: Phase): boolean {
  return ALLOWED[from].includes(to);
}

/** The maildrop lease a state holds, to release when the session leaves it. */
export function leaseOf(state: SessionState): MaildropLease | null {
  return state.phase === 'transaction' || state.phase === 'update' ? state.lease : null;
}
