/**
 * The POP3 server (RFC 1939 with RFC 2449 CAPA/RESP-CODES/PIPELINING, RFC 2595 STLS, RFC 3206,
 * RFC 5034 SASL PLAIN): listeners and sessions over the codec in src/protocol/pop3.
 */
export { listenPop3, type Pop3Listener, type Pop3ListenOptions, type Pop3Mode } from './listener.ts';
export type { Pop3Deps, Pop3Settings } from './context.ts';
export { InProcessMaildropLock, type MaildropLock, type MaildropLease } from './lock.ts';
export { Pop3Session, isLoopback } from './session.ts';
export { Maildrop, openMaildrop, commitDeletions, type MaildropMessage } from './maildrop.ts';
