/**
 * ENABLE (RFC 5161, RFC 9051 §6.3.1): `enable = "ENABLE" 1*(SP capability)`.
 * Only valid in the authenticated state, before a mailbox is selected (RFC 5161 §3.1).
 */
import type { CommandSpec } from './spec.ts';

export interface EnableCommand {
  readonly name: 'ENABLE';
  readonly tag: string;
  /** Upper case, e.g. CONDSTORE, QRESYNC, UTF8=ACCEPT, IMAP4REV2. */
  readonly capabilities: readonly string[];
}

export const enable: CommandSpec<EnableCommand> = {
  name: 'ENABLE',
  states: ['authenticated'],
  rfc: 'RFC 5161 §3.1, RFC 9051 §6.3.1',
  parse(r, head) {
    const capabilities: string[] = [];
    do {
      r.sp();
      r.arg();
      capabilities.push(r.atom('capability').toUpperCase());
    } while (!r.atEnd());
    return { name: 'ENABLE', tag: head.tag, capabilities };
  },
};
