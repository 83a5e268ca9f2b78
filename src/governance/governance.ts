/**
 * The lifecycle services assembled from a running system (Điều 5.1, 7.3, 8.2): notices, the daily
 * job, exemptions and compromise reports, sharing one notice register. `governanceFor(system)`
 * gives the same instance for the same system (the API, the CLI and the daily service).
 */
import type { Clock } from '../util/clock.ts';
import type { ResolvedConfig } from '../config/index.ts';
import type { DataStore } from '../store/index.ts';
import type { Directory } from '../directory/index.ts';
import { CompromiseService } from './compromise.ts';
import { ExemptionService } from './exemptions.ts';
import { LifecycleService, type LifecycleDeps } from './lifecycle-service.ts';
import { NoticeService, type NoticeIngest, type NoticeSettings } from './notices.ts';

/** What the services need from the system (structural: src/app's SystemContext fits). */
export interface GovernanceSystem {
  config: ResolvedConfig;
  store: DataStore;
  directory: Directory;
  ingest: NoticeIngest;
  clock: Clock;
}

export function noticeSettings(config: ResolvedConfig): NoticeSettings {
  return {
    domain: config.domain,
    from: config.notices.from ?? `quantri@${config.domain}`,
    fromName: config.notices.fromName,
    numberPrefix: config.notices.numberPrefix,
  };
}

export class Governance {
  readonly notices: NoticeService;
  readonly lifecycle: LifecycleService;
  readonly exemptions: ExemptionService;
  readonly compromise: CompromiseService;

  constructor(system: GovernanceSystem, options: Pick<LifecycleDeps, 'onStep'> = {}) {
    this.notices = new NoticeService(system.store, system.ingest, noticeSettings(system.config));
    this.lifecycle = new LifecycleService({
      store: system.store,
      directory: system.directory,
      notices: this.notices,
      clock: system.clock,
      passwordMaxAgeDays: system.config.password.maxAgeDays,
      ...options,
    });
    this.exemptions = new ExemptionService(system.store, system.directory.ctx.settings, system.clock);
    this.compromise = new CompromiseService(system.store, system.directory, this.notices);
  }
}

const perSystem = new WeakMap<object, Governance>();

export function governanceFor(system: GovernanceSystem): Governance {
  let g = perSystem.get(system);
  if (!g) {
    g = new Governance(system);
    perSystem.set(system, g);
  }
  return g;
}
