/**
 * POP3 listeners: the STLS port (110; RFC 1939 §3, RFC 2595) and the implicit-TLS port (995;
 * RFC 8314 §3.3, TLS 1.2 or later). Each accepted connection becomes a `Pop3Session`; `close()`
 * stops accepting, aborts open sessions (no UPDATE: nothing is deleted) and resolves when the
 * listener is closed.
 */
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Pop3Deps, Pop3Settings } from './context.ts';
import { Pop3Session } from './session.ts';
import { listenForSessions } from '../session-listener.ts';

export type Pop3Mode = 'stls' | 'implicit-tls';

export interface Pop3ListenOptions {
  deps: Pop3Deps;
  settings: Pop3Settings;
  host: string;
  port: number;
  mode: Pop3Mode;
}

export interface Pop3Listener {
  readonly mode: Pop3Mode;
  readonly address: AddressInfo;
  /** Open sessions (for tests and metrics). */
  readonly sessions: number;
  close(): Promise<void>;
}

export async function listenPop3(o: Pop3ListenOptions): Promise<Pop3Listener> {
  const { deps, settings } = o;
  const secureContext = settings.tls
    ? tls.createSecureContext({ cert: settings.tls.cert, key: settings.tls.key, minVersion: 'TLSv1.2' })
    : null;
  const listener = await listenForSessions<Pop3Session>({
    protocol: 'pop3',
    host: o.host,
    port: o.port,
    implicitTls: o.mode === 'implicit-tls',
    tls: settings.tls ?? null,
    log: deps.log,
    createSession: (socket, secure, closed) =>
      new Pop3Session(socket, { deps, settings, secureContext, secure, onClosed: closed }),
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
