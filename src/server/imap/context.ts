/**
 * What an IMAP command handler may use (DESIGN.md convention 7: policy through injected
 * interfaces, no globals): the dependencies and settings of the server, and the narrow view of
 * its session (`SessionContext`). Handlers never touch the socket or the parser directly.
 */
import type { Logger } from '../../telemetry/index.ts';
import type { AuthRequest, AuthResult, AuthStatus, DirectorySettings } from '../../directory/index.ts';
import type { ChangeFeed, IngestService } from '../../mailbox/index.ts';
import type { BlobStore, DataStore } from '../../store/index.ts';
import type { Clock } from '../../util/clock.ts';
import type { ImapValue } from '../../protocol/imap/index.ts';
import type { SessionState } from './state.ts';

export interface ImapSettings {
  /** Host name in the greeting. */
  hostname: string;
  /** development allows LOGIN and AUTHENTICATE PLAIN without TLS on loopback connections. */
  env: 'development' | 'production';
  /** Inactivity before `* BYE` (RFC 9051 §5.4: at least 30 minutes). */
  idleTimeoutMs: number;
  /** Bad commands (syntax, unknown, wrong state) before the connection is closed. */
  maxBadCommands: number;
  /** Failed sign-ins on one connection before it is closed. */
  maxAuthFailures: number;
  /** Largest message APPEND accepts (RFC 7889 APPENDLIMIT); the same limit as SMTP. */
  appendLimit: number;
  /** Longest time one SEARCH may scan message text (IMAP-16). */
  searchTimeBudgetMs: number;
  /** Certificate and key for STARTTLS and implicit TLS; null: no TLS. */
  tls: { cert: string; key: string } | null;
}

export interface ImapDeps {
  store: DataStore;
  blobs: BlobStore;
  clock: Clock;
  feed: ChangeFeed;
  ingest: IngestService;
  /** Quota classes of the regulation (2 GB personal, 5 GB agency). */
  directorySettings: DirectorySettings;
  authenticate(req: AuthRequest): Promise<AuthResult>;
  log: Logger;
  /** Called with each sign-in outcome (metrics). */
  onAuth?: (status: AuthStatus) => void;
}

export { ok, type CommandResult } from './result.ts';

export interface SessionContext {
  readonly deps: ImapDeps;
  readonly settings: ImapSettings;
  readonly state: SessionState;
  readonly secure: boolean;
  readonly clientIp: string | null;
  readonly log: Logger;
  /** UTF-8 allowed on the wire (ENABLE UTF8=ACCEPT or IMAP4rev2). */
  readonly utf8: boolean;
  /** The client enabled IMAP4rev2 (RFC 9051 §6.3.1); otherwise IMAP4rev1 rules apply. */
  readonly rev2: boolean;
  /** CONDSTORE is on (RFC 7162 §3.1: ENABLE, or a CONDSTORE-enabling command): FETCH responses carry MODSEQ. */
  readonly condstore: boolean;
  /** ENABLE QRESYNC was given (RFC 7162 §3.2.3): expunges are told as VANISHED. */
  readonly qresync: boolean;
  /** LOGIN and AUTHENTICATE PLAIN may be used now: over TLS, or loopback in development (AUTH-08). */
  plaintextAllowed(): boolean;
  /** STARTTLS can be offered: not yet secure and a certificate is configured. */
  tlsAvailable(): boolean;
  capabilities(): string[];
  /** The one way to change state. */
  transition(next: SessionState): void;
  enable(capability: 'UTF8=ACCEPT' | 'IMAP4REV2' | 'CONDSTORE' | 'QRESYNC'): void;
  /** After the tagged OK to COMPRESS DEFLATE (RFC 4978): both directions go through raw deflate. */
  startCompression(): void;
  /** COMPRESS is active on this connection. */
  readonly compressed: boolean;
  /** Send `* …`, waiting while the socket's buffer is full (backpressure). */
  untagged(values: readonly ImapValue[]): Promise<void>;
  /** Send prepared bytes (FETCH with streamed literals), with backpressure. */
  send(bytes: Uint8Array): Promise<void>;
  /** Send pending mailbox changes (EXISTS, FETCH FLAGS, and EXPUNGE when allowed). */
  flushUpdates(options: { expunge: boolean }): Promise<void>;
  /** After the tagged OK to STARTTLS: drop buffered input, negotiate TLS on this connection. */
  startTls(): Promise<void>;
  /** Enter IDLE (RFC 2177) after `+ idling`; the session answers the tag when DONE comes. */
  beginIdle(tag: string): void;
  /** Wait for a SASL response line after a `+` challenge. */
  beginSasl(tag: string): void;
  /** Count a failed sign-in; true when the connection must now close. */
  authFailed(): boolean;
  /** Close the connection once what was sent is flushed. */
  close(): void;
  /** Delegated mailboxes (owner ids) whose INBOX this session opened: audited once per session. */
  readonly delegationUses: Set<string>;
}
