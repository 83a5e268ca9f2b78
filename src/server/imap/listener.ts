/**
 * IMAP listeners: the STARTTLS port (143; RFC 9051 §6.2.1) and the implicit-TLS port (993;
 * RFC 8314 §3.3, TLS 1.2 or later). Each accepted connection becomes an `ImapSession`;
 * `close()` stops accepting, says `* BYE` to open sessions and resolves when the listener is closed.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { ImapDeps, ImapSettings } from './context.ts';
import { ImapSession } from './session.ts';

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
  if (o.mode === 'implicit-tls' && !settings.tls)
    throw new Error('IMAP over implicit TLS needs a certificate and key');
  const secureContext = settings.tls
    ? tls.createSecureContext({ cert: settings.tls.cert, key: settings.tls.key, minVersion: 'TLSv1.2' })
    : null;
  const sessions = new Set<ImapSession>();
  const accept = (socket: net.Socket, secure: boolean): void => {
    try {
      const s = new ImapSession(socket, {
        deps,
        settings,
        secureContext,
        secure,
        onClosed: (x) => sessions.delete(x),
      });
      sessions.add(s);
      s.start();
    } catch (err) {
      deps.log.error({ err }, 'imap: could not start a session');
      socket.destroy();
    }
  };
  const server =
    o.mode === 'starttls'
      ? net.createServer((socket) => accept(socket, false))
      : tls.createServer(
          { cert: settings.tls!.cert, key: settings.tls!.key, minVersion: 'TLSv1.2' },
          (socket) => accept(socket, true),
        );
  server.on('error', (err) => deps.log.error({ err }, 'imap: listener error'));
  if (server instanceof tls.Server)
    server.on('tlsClientError', (err) => deps.log.debug({ err }, 'imap: TLS handshake failed'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: o.host, port: o.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  deps.log.info({ host: address.address, port: address.port, mode: o.mode }, 'imap listening');
  return {
    mode: o.mode,
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
