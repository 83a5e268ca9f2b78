/** CHECK (RFC 3501 §6.4.1; removed from IMAP4rev2, kept for IMAP4rev1 clients): no arguments. */
import { bareCommand, SELECTED, type BareCommand } from './spec.ts';

export type CheckCommand = BareCommand<'CHECK'>;
export const check = bareCommand('CHECK', SELECTED, 'RFC 3501 §6.4.1');
