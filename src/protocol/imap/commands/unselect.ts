/** UNSELECT (RFC 9051 §6.4.2, RFC 3691): no arguments, selected state. */
import { bareCommand, SELECTED, type BareCommand } from './spec.ts';

export type UnselectCommand = BareCommand<'UNSELECT'>;
export const unselect = bareCommand('UNSELECT', SELECTED, 'RFC 9051 §6.4.2');
