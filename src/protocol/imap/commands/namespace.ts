/** NAMESPACE (RFC 9051 §6.3.10, RFC 2342): no arguments. */
import { AUTHENTICATED, bareCommand, type BareCommand } from './spec.ts';

export type NamespaceCommand = BareCommand<'NAMESPACE'>;
export const namespace = bareCommand('NAMESPACE', AUTHENTICATED, 'RFC 9051 §6.3.10');
