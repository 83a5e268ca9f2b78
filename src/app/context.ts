/**
 * Opening the system from its configuration: the store (migrated), the blob store and the
 * directory. Shared by the server process and the CLI, so both see the same settings.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import type { ResolvedConfig } from '../config/index.ts';
import {
  openStore,
  migrateToLatest,
  FsBlobStore,
  type DataStore,
  type MigrationReport,
} from '../store/index.ts';
import { Directory, SessionService, type DirectorySettings } from '../directory/index.ts';
import { ChangeFeed, IngestService } from '../mailbox/index.ts';
import { CalendarService, publicWebUrl } from '../governance/index.ts';

export interface SystemContext {
  config: ResolvedConfig;
  store: DataStore;
  blobs: FsBlobStore;
  directory: Directory;
  /** Published after each committed mailbox change; sessions subscribe per account. */
  feed: ChangeFeed;
  /** The one ingest path for SMTP, APPEND, import and restore. */
  ingest: IngestService;
  /** The working-day calendar every legal deadline is counted with. */
  calendar: CalendarService;
  /** Web and API sessions. */
  sessions: SessionService;
  clock: Clock;
  migrations: MigrationReport;
  close(): Promise<void>;
}

export function directorySettings(config: ResolvedConfig): DirectorySettings {
  return {
    domain: config.domain,
    localDomains: config.localDomains,
    quota: { personalBytes: config.quota.personalBytes, agencyBytes: config.quota.agencyBytes },
    password: {
      maxAgeDays: config.password.maxAgeDays,
      warnDays: config.password.warnDays,
      historySize: config.password.historySize,
    },
    deletedRetentionDays: config.accounts.deletedRetentionDays,
  };
}

export function webUrl(config: ResolvedConfig): string {
  return publicWebUrl(config);
}

export async function openSystem(config: ResolvedConfig, clock: Clock = systemClock): Promise<SystemContext> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o750 });
  const store = await openStore({ url: config.databaseUrl });
  try {
    const migrations = await migrateToLatest(store);
    const blobs = await FsBlobStore.open(path.join(config.dataDir, 'blobs'));
    const directory = new Directory({
      store,
      clock,
      settings: directorySettings(config),
      hash: {
        memoryKiB: config.password.argon2MemoryKiB,
        iterations: config.password.argon2Iterations,
        parallelism: config.password.argon2Parallelism,
        maxConcurrent: config.password.maxConcurrentHashes,
      },
      auth: config.auth,
      webUrl: webUrl(config),
      publicDirectory: config.directory,
    });
    const feed = new ChangeFeed();
    const ingest = new IngestService({ store, blobs, clock, feed, settings: directory.ctx.settings });
    const calendar = new CalendarService(store, clock);
    const sessions = new SessionService(store, clock, {
      idleMinutes: config.web.sessionIdleMinutes,
      maxHours: config.web.sessionMaxHours,
    });
    return {
      config,
      store,
      blobs,
      directory,
      feed,
      ingest,
      calendar,
      sessions,
      clock,
      migrations,
      close: () => store.close(),
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
