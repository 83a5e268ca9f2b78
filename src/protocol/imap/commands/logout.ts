/** LOGOUT (RFC 9051 §6.1.3): no arguments, any state. */
import { ANY_STATE, bareCommand, type BareCommand } from './spec.ts';

export type LogoutCommand = BareCommand<'LOGOUT'>;
export const logout = bareCommand('LOGOUT', ANY_STATE, 'RFC 9051 §6.1.3');
