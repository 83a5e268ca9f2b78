/**
 * A TCP listener whose connections become protocol sessions, shared by the IMAP and POP3 servers:
 * plain (for STARTTLS/STLS, where the session upgrades the socket itself) or implicit TLS
 * (RFC 8314 §3.3, TLS 1.2 or later). `close()` stops accepting, aborts the open sessions and
 * resolves when the listener is closed. A session that fails to start costs only its socket.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../telemetry/index.ts';

export interface ListenedSession {
  start(): void;
  abort(): void;
}

export interface SessionListenerOptions<S extends ListenedSession> {
  /** For logs: 'imap', 'pop3'. */
  protocol: string;
  host: string;
  port: number;
  implicitTls: boolean;
  tls: { cert: string; key: string } | null;
  log: Logger;
  /** Make the session for an accepted socket; call `closed(session)` when it ends. */
  createSession(socket: net.Socket, secure: boolean, closed: (s: S) => void): S;
}

export interface SessionListener {
  readonly address: AddressInfo;
  /** Open sessions (for tests and metrics). */
  readonly sessions: number;
  close(): Promise<void>;
}

export async function listenForSessions<S extends ListenedSession>(
  o: SessionListenerOptions<S>,
): Promise<SessionListener> {
  if (o.implicitTls && !o.tls) throw new Error(`${o.protocol} over implicit TLS needs a certificate and key`);
  const sessions = new Set<S>();
  const accept = (socket: net.Socket, secure: boolean): void => {
    // Responses are written whole (or coalesced by the session): Nagle's algorithm would only hold
    // the last segment of each response back for the client's delayed ACK (~40 ms per command).
    socket.setNoDelay(true);
    try {
      const s = o.createSession(socket, secure, (x) => sessions.delete(x));
      sessions.add(s);
      s.start();
    } catch (err) {
      o.log.error({ err }, `${o.protocol}: could not start a session`);
      socket.destroy();
    }
  };
  const server = o.implicitTls
    ? tls.createServer({ cert: o.tls!.cert, key: o.tls!.key, minVersion: 'TLSv1.2' }, (socket) =>
        accept(socket, true),
      )
    : net.createServer((socket) => accept(socket, false));
  server.on('error', (err) => o.log.error({ err }, `${o.protocol}: listener error`));
  if (server instanceof tls.Server)
    server.on('tlsClientError', (err) => o.log.debug({ err }, `${o.protocol}: TLS handshake failed`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: o.host, port: o.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  o.log.info(
    { host: address.address, port: address.port, implicitTls: o.implicitTls },
    `${o.protocol} listening`,
  );
  return {
    address,
    get sessions() {
      return sessions.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of [...sessions]) s.abort();
      }),
  };
}
