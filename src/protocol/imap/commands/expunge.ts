/** EXPUNGE (RFC 9051 §6.4.3): no arguments, selected state. UID EXPUNGE is uid-expunge.ts. */
import { bareCommand, SELECTED, type BareCommand } from './spec.ts';

export type ExpungeCommand = BareCommand<'EXPUNGE'>;
export const expunge = bareCommand('EXPUNGE', SELECTED, 'RFC 9051 §6.4.3');
