/**
 * Wiring of the IMAP server (src/server/imap) into the running system: one STARTTLS listener on
 * `ports.imap` and one implicit-TLS listener on `ports.imaps` for every address in `listen`.
 *
 * `startImapService` matches `ServiceStarter` (src/app/server.ts); its parameter type is structural
 * so that server.ts can import this file without a cycle. Each returned service also tells where it
 * listens (tests bind port 0). The optional second argument lets tests change settings that the
 * configuration bounds (e.g. a short idle timeout; RFC 9051 §5.4 asks for 30 minutes in service).
 * APPENDLIMIT is the SMTP message limit (75 MB: 50 MB of attachments, Điều 9.1.b, in base64).
 */
import type { AddressInfo } from 'node:net';
import type { Logger, Metrics } from '../../telemetry/index.ts';
import { listenImap, type ImapListener, type ImapMode, type ImapSettings } from '../../server/imap/index.ts';
import type { SystemContext } from '../context.ts';

export interface ImapService {
  name: string;
  mode: ImapMode;
  address: AddressInfo;
  /** Sessions open on this listener now. */
  readonly sessions: number;
  stop(): Promise<void>;
}

export interface ImapStartOptions {
  settings?: Partial<ImapSettings>;
}

export function imapSettingsFromConfig(
  config: SystemContext['config'],
  tls: { cert: string; key: string } | null,
): ImapSettings {
  return {
    hostname: config.hostname,
    env: config.env,
    idleTimeoutMs: config.imap.idleTimeoutSeconds * 1000,
    maxBadCommands: config.imap.maxBadCommands,
    maxAuthFailures: config.imap.maxAuthFailures,
    appendLimit: config.smtp.maxMessageBytes,
    searchTimeBudgetMs: config.imap.searchTimeBudgetMs,
    tls,
  };
}

export async function startImapService(
  deps: {
    system: SystemContext;
    tls: { cert: string; key: string };
    metrics?: Pick<Metrics, 'authAttempts'>;
    log: Logger;
  },
  options: ImapStartOptions = {},
): Promise<ImapService[]> {
  const { system, log, metrics } = deps;
  const settings: ImapSettings = {
    ...imapSettingsFromConfig(system.config, { cert: deps.tls.cert, key: deps.tls.key }),
    ...options.settings,
  };
  const imapDeps = {
    store: system.store,
    blobs: system.blobs,
    clock: system.clock,
    feed: system.feed,
    ingest: system.ingest,
    directorySettings: system.directory.ctx.settings,
    authenticate: system.directory.auth.authenticate.bind(system.directory.auth),
    log,
    onAuth: (status: string) => metrics?.authAttempts.inc({ protocol: 'imap', status }),
  };
  const started: ImapListener[] = [];
  try {
    for (const host of system.config.listen) {
      started.push(
        await listenImap({
          deps: imapDeps,
          settings,
          host,
          port: system.config.ports.imap,
          mode: 'starttls',
        }),
      );
      started.push(
        await listenImap({
          deps: imapDeps,
          settings,
          host,
          port: system.config.ports.imaps,
          mode: 'implicit-tls',
        }),
      );
    }
  } catch (e) {
    for (const l of started) await l.close().catch(() => undefined);
    throw e;
  }
  return started.map((l) => ({
    name: `imap ${l.mode} ${l.address.address}:${l.address.port}`,
    mode: l.mode,
    address: l.address,
    get sessions() {
      return l.sessions;
    },
    stop: () => l.close(),
  }));
}
