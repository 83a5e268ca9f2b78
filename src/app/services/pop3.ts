/**
 * Wiring of the POP3 server (src/server/pop3) into the running system: one STLS listener on
 * `ports.pop3` and one implicit-TLS listener on `ports.pop3s` for every address in `listen`,
 * sharing one maildrop lock (so [IN-USE] holds across both ports).
 *
 * `startPop3Service` matches `ServiceStarter` (src/app/server.ts); its parameter type is structural
 * so that server.ts can import this file without a cycle. Each returned service also tells where
 * it listens (tests bind port 0). The optional second argument lets tests change settings that the
 * configuration bounds (an idle timeout of a second; RFC 1939 §3 asks for 10 minutes in service).
 */
import type { AddressInfo } from 'node:net';
import type { Logger, Metrics } from '../../telemetry/index.ts';
import {
  InProcessMaildropLock,
  listenPop3,
  type MaildropLock,
  type Pop3Listener,
  type Pop3Mode,
  type Pop3Settings,
} from '../../server/pop3/index.ts';
import type { SystemContext } from '../context.ts';

export interface Pop3Service {
  name: string;
  mode: Pop3Mode;
  address: AddressInfo;
  stop(): Promise<void>;
}

export interface Pop3StartOptions {
  settings?: Partial<Pop3Settings>;
  locks?: MaildropLock;
}

export function pop3SettingsFromConfig(
  config: SystemContext['config'],
  tls: { cert: string; key: string } | null,
): Pop3Settings {
  return {
    hostname: config.hostname,
    env: config.env,
    idleTimeoutMs: config.pop3.idleTimeoutSeconds * 1000,
    maxBadCommands: config.pop3.maxBadCommands,
    maxAuthFailures: config.pop3.maxAuthFailures,
    tls,
  };
}

export async function startPop3Service(
  deps: {
    system: SystemContext;
    tls: { cert: string; key: string };
    metrics?: Pick<Metrics, 'authAttempts'>;
    log: Logger;
  },
  options: Pop3StartOptions = {},
): Promise<Pop3Service[]> {
  const { system, log, metrics } = deps;
  const settings: Pop3Settings = {
    ...pop3SettingsFromConfig(system.config, { cert: deps.tls.cert, key: deps.tls.key }),
    ...options.settings,
  };
  const locks = options.locks ?? new InProcessMaildropLock();
  const pop3Deps = {
    store: system.store,
    blobs: system.blobs,
    clock: system.clock,
    feed: system.feed,
    authenticate: system.directory.auth.authenticate.bind(system.directory.auth),
    locks,
    log,
    onAuth: (status: string) => metrics?.authAttempts.inc({ protocol: 'pop3', status }),
  };
  const started: Pop3Listener[] = [];
  try {
    for (const host of system.config.listen) {
      started.push(
        await listenPop3({ deps: pop3Deps, settings, host, port: system.config.ports.pop3, mode: 'stls' }),
      );
      started.push(
        await listenPop3({
          deps: pop3Deps,
          settings,
          host,
          port: system.config.ports.pop3s,
          mode: 'implicit-tls',
        }),
      );
    }
  } catch (e) {
    for (const l of started) await l.close().catch(() => undefined);
    throw e;
  }
  return started.map((l) => ({
    name: `pop3 ${l.mode} ${l.address.address}:${l.address.port}`,
    mode: l.mode,
    address: l.address,
    stop: () => l.close(),
  }));
}
