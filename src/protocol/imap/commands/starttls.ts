/** STARTTLS (RFC 9051 §6.2.1): no arguments, not-authenticated state only. */
import { bareCommand, NOT_AUTHENTICATED, type BareCommand } from './spec.ts';

export type StarttlsCommand = BareCommand<'STARTTLS'>;
export const starttls = bareCommand('STARTTLS', NOT_AUTHENTICATED, 'RFC 9051 §6.2.1');
