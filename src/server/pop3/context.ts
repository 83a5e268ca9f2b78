/**
 * What a POP3 command handler may use: the injected dependencies and settings (DESIGN.md
 * convention 7: policy through interfaces, no globals), and the narrow view of its session.
 */
import type { Logger } from '../../telemetry/index.ts';
import type { AuthRequest, AuthResult, AuthStatus } from '../../directory/index.ts';
import type { MessageDeps } from '../../mailbox/index.ts';
import type { MaildropLock } from './lock.ts';
import type { SessionState } from './state.ts';

export interface Pop3Settings {
  /** Host name in the greeting. */
  hostname: string;
  /** development allows USER/PASS and AUTH PLAIN without TLS on loopback connections. */
  env: 'development' | 'production';
  /** Autologout timer (RFC 1939 §3: at least 10 minutes in production). */
  idleTimeoutMs: number;
  /** Bad commands (unknown, malformed, wrong state) before the connection is closed. */
  maxBadCommands: number;
  /** Failed sign-ins on one connection before it is closed. */
  maxAuthFailures: number;
  /** Certificate and key for STLS and implicit TLS; null: no TLS (STLS not offered). */
  tls: { cert: string; key: string } | null;
}

export interface Pop3Deps extends MessageDeps {
  authenticate(req: AuthRequest): Promise<AuthResult>;
  locks: MaildropLock;
  log: Logger;
  /** Called with each sign-in outcome (metrics). */
  onAuth?: (status: AuthStatus) => void;
}

export interface SessionContext {
  readonly deps: Pop3Deps;
  readonly settings: Pop3Settings;
  readonly state: SessionState;
  readonly secure: boolean;
  readonly clientIp: string | null;
  readonly log: Logger;
  /** USER/PASS and AUTH PLAIN may be used now: over TLS, or loopback in development (AUTH-08). */
  plaintextAllowed(): boolean;
  /** STLS can be offered: not yet secure and a certificate is configured. */
  tlsAvailable(): boolean;
  /** The one way to change state; releases the maildrop lease when it is left. */
  transition(next: SessionState): void;
  /** Write bytes, waiting while the socket's buffer is full (backpressure). */
  send(bytes: Buffer): Promise<void>;
  /** After "+OK" to STLS: drop buffered input, negotiate TLS on the same connection. */
  startTls(): Promise<void>;
  /** Count a failed sign-in; true when the connection must now close. */
  authFailed(): boolean;
  /** Close the connection once what was sent is flushed. */
  close(): void;
}
