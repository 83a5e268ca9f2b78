/** CLOSE (RFC 9051 §6.4.1): no arguments, selected state. */
import { bareCommand, SELECTED, type BareCommand } from './spec.ts';

export type CloseCommand = BareCommand<'CLOSE'>;
export const close = bareCommand('CLOSE', SELECTED, 'RFC 9051 §6.4.1');
