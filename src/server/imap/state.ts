/**
 * IMAP session state as a discriminated union (DESIGN.md convention 4), each state carrying its
 * data, and the one table of allowed transitions (RFC 9051 §3, figure "IMAP4rev2 state diagram"):
 *
 *   not-authenticated ──LOGIN/AUTHENTICATE──▶ authenticated ──SELECT/EXAMINE──▶ selected
 *          │                                     ▲   │                         │  │
 *          │                                     │   └────────LOGOUT───────┐   │  │ SELECT/EXAMINE
 *          └────────LOGOUT, error, timeout──▶ logout ◀──────LOGOUT─────────┘───┘  ▼ (re-select)
 *                                                  CLOSE/UNSELECT/failed SELECT ──▶ authenticated
 *
 * A SASL exchange in progress (RFC 9051 §6.2.2) lives in the not-authenticated state.
 */
import type { AuthResult } from '../../directory/index.ts';
import type { SelectedMailbox } from './selected.ts';

export type AuthenticatedAccount = NonNullable<AuthResult['account']>;

export type SessionState =
  | { kind: 'not-authenticated'; sasl: { tag: string } | null }
  | { kind: 'authenticated'; account: AuthenticatedAccount }
  | { kind: 'selected'; account: AuthenticatedAccount; mailbox: SelectedMailbox }
  | { kind: 'logout' };

export type StateKind = SessionState['kind'];
export type SelectedState = Extract<SessionState, { kind: 'selected' }>;

const ALLOWED: Readonly<Record<StateKind, readonly StateKind[]>> = {
  'not-authenticated': ['not-authenticated', 'authenticated', 'logout'],
  authenticated: ['authenticated', 'selected', 'logout'],
  selected: ['selected', 'authenticated', 'logout'],
  logout: [],
};

export const initialState = (): SessionState => ({ kind: 'not-authenticated', sasl: null });

export function canTransition(from: StateKind, to: StateKind): boolean {
  return ALLOWED[from].includes(to);
}

/** The account of an authenticated or selected session. */
export function accountOf(state: SessionState): AuthenticatedAccount | null {
  return state.kind === 'authenticated' || state.kind === 'selected' ? state.account : null;
}

export const ANY: readonly StateKind[] = ['not-authenticated', 'authenticated', 'selected'];
export const NOT_AUTHENTICATED: readonly StateKind[] = ['not-authenticated'];
export const AUTHENTICATED: readonly StateKind[] = ['authenticated', 'selected'];
export const SELECTED: readonly StateKind[] = ['selected'];
