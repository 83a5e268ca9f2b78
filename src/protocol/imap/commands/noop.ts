/** NOOP (RFC 9051 §6.1.2): no arguments, any state. */
import { ANY_STATE, bareCommand, type BareCommand } from './spec.ts';

export type NoopCommand = BareCommand<'NOOP'>;
export const noop = bareCommand('NOOP', ANY_STATE, 'RFC 9051 §6.1.2');
