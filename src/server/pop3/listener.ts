/**
 * POP3 listeners: the STLS port (110; RFC 1939 §3, RFC 2595) and the implicit-TLS port (995;
 * RFC 8314 §3.3, TLS 1.2 or later). Each accepted connection becomes a `Pop3Session`; `close()`
 * stops accepting, aborts open sessions (no UPDATE: nothing is deleted) and resolves when the
 * listener is closed.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Pop3Deps, Pop3Settings } from './context.ts';
import { Pop3Session } from './session.ts';

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
  if (o.mode === 'implicit-tls' && !settings.tls)
    throw new Error('POP3 over implicit TLS needs a certificate and key');
  const secureContext = settings.tls
    ? tls.createSecureContext({ cert: settings.tls.cert, key: settings.tls.key, minVersion: 'TLSv1.2' })
    : null;
  const sessions = new Set<Pop3Session>();
  const accept = (socket: net.Socket, secure: boolean): void => {
    try {
      const s = new Pop3Session(socket, {
        deps,
        settings,
        secureContext,
        secure,
        onClosed: (x) => sessions.delete(x),
      });
      sessions.add(s);
      s.start();
    } catch (err) {
      deps.log.error({ err }, 'pop3: could not start a session');
      socket.destroy();
    }
  };
  const server =
    o.mode === 'stls'
      ? net.createServer((socket) => accept(socket, false))
      : tls.createServer(
          { cert: settings.tls!.cert, key: settings.tls!.key, minVersion: 'TLSv1.2' },
          (socket) => accept(socket, true),
        );
  server.on('error', (err) => deps.log.error({ err }, 'pop3: listener error'));
  if (server instanceof tls.Server)
    server.on('tlsClientError', (err) => deps.log.debug({ err }, 'pop3: TLS handshake failed'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: o.host, port: o.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  deps.log.info({ host: address.address, port: address.port, mode: o.mode }, 'pop3 listening');
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
