/** CAPABILITY (RFC 9051 §6.1.1): no arguments, any state. */
import { ANY_STATE, bareCommand, type BareCommand } from './spec.ts';

export type CapabilityCommand = BareCommand<'CAPABILITY'>;
export const capability = bareCommand('CAPABILITY', ANY_STATE, 'RFC 9051 §6.1.1');
