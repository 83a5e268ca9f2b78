/**
 * The IMAP4rev2 / IMAP4rev1 server (RFC 9051, RFC 3501): listeners, sessions, one handler per
 * command (commands/), one registry (registry.ts). The wire codec is src/protocol/imap.
 */
export { listenImap, type ImapListener, type ImapListenOptions, type ImapMode } from './listener.ts';
export type { ImapDeps, ImapSettings } from './context.ts';
export { HANDLED_COMMANDS } from './registry.ts';
export { capabilityList } from './capabilities.ts';
