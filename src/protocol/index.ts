/**
 * Wire codecs without sockets or storage (DESIGN.md convention 3). Each protocol is a namespace.
 */
export * as imap from './imap/index.ts';
export * as pop3 from './pop3/index.ts';
