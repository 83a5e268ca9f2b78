/**
 * IMAP listeners: the STARTTLS port (143; RFC 9051 §6.2.1) and the implicit-TLS port (993;
 * RFC 8314 §3.3, TLS 1.2 or later). Each accepted connection becomes an `ImapSession`;
 * `close()` stops accepting, says `* BYE` to open sessions and resolves when the listener is closed.
 */
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { ImapDeps, ImapSettings } from './context.ts';
import { ImapSession } from './session.ts';
import { listenForSessions } from '../session-listener.ts';

export type ImapMode = 'starttls' | 'implicit-tls';

export interface ImapListenOptions {
  deps: ImapDeps;
  settings: ImapSettings;
  host: string;
  port: number;
  mode: ImapMode;
}

export interface ImapListener {
  readonly mode: ImapMode;
  readonly address: AddressInfo;
  /** Open sessions (for tests and metrics). */
  readonly sessions: number;
  close(): Promise<void>;
}

export async function listenImap(o: ImapListenOptions): Promise<ImapListener> {
  const { deps, settings } = o;
  const secureContext = settings.tls
    ? tls.createSecureContext({ cert: settings.tls.cert, key: settings.tls.key, minVersion: 'TLSv1.2' })
    : null;
  const listener = await listenForSessions<ImapSession>({
    protocol: 'imap',
    host: o.host,
    port: o.port,
    implicitTls: o.mode === 'implicit-tls',
    tls: settings.tls ?? null,
    log: deps.log,
    createSession: (socket, secure, closed) =>
      new ImapSession(socket, { deps, settings, secureContext, secure, onClosed: closed }),
  });
  return {
    mode: o.mode,
    address: listener.address,
    get sessions() {
      return listener.sessions;
    },
    close: () => listener.close(),
  };
}
