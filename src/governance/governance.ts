/**
 * The governance services assembled from a running system (Điều 5.1, 7, 8.2, 8.3): notices, the
 * daily job, exemptions, compromise reports, and mailbox requests with their activation links,
 * sharing one notice register; the checking-frequency report (Điều 12) and the faults register
 * (Điều 10.5, 11.4); classified-document incidents (Điều 10.4, 11.3). `governanceFor(system)`
 * gives the same instance for the same system (the API, the CLI and the daily service).
 */
import type { Clock } from '../util/clock.ts';
import type { ResolvedConfig } from '../config/index.ts';
import type { BlobStore, DataStore } from '../store/index.ts';
import type { Directory } from '../directory/index.ts';
import type { ChangeFeed } from '../mailbox/index.ts';
import { CompromiseService } from './compromise.ts';
import { ExemptionService } from './exemptions.ts';
import { LifecycleService, type LifecycleDeps } from './lifecycle-service.ts';
import { NoticeService, type NoticeIngest, type NoticeSettings } from './notices.ts';
import type { CalendarService } from './calendar-service.ts';
import { ActivationService } from './requests/activation.ts';
import { RequestService } from './requests/request-service.ts';
import { IncidentService } from './incidents/incident-service.ts';
import { CheckingService } from './checking/checking-service.ts';
import { UsageService } from './reports/usage-service.ts';
import { FaultService } from './faults/fault-service.ts';

/** What the services need from the system (structural: src/app's SystemContext fits). */
export interface GovernanceSystem {
  config: ResolvedConfig;
  store: DataStore;
  directory: Directory;
  ingest: NoticeIngest;
  clock: Clock;
  blobs: BlobStore;
  calendar: CalendarService;
  /** Mailbox changes are published here after commit (incident containment expunges). */
  feed: ChangeFeed;
}

/** The web app's public base address (links in mail), without a trailing slash. */
export function publicWebUrl(config: ResolvedConfig): string {
  const url =
    config.web.publicUrl ??
    (config.env === 'production' ? `https://${config.hostname}` : `http://127.0.0.1:${config.ports.http}`);
  return url.replace(/\/+$/, '');
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
  readonly activations: ActivationService;
  readonly requests: RequestService;
  readonly incidents: IncidentService;
  readonly checking: CheckingService;
  readonly usage: UsageService;
  readonly faults: FaultService;

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
    const n = this.notices.settings;
    this.activations = new ActivationService(system.store, system.directory, this.notices, system.clock, {
      domain: n.domain,
      from: n.from,
      fromName: n.fromName,
      publicUrl: publicWebUrl(system.config),
    });
    const r = system.config.requests;
    this.requests = new RequestService({
      store: system.store,
      blobs: system.blobs,
      directory: system.directory,
      notices: this.notices,
      calendar: system.calendar,
      activations: this.activations,
      clock: system.clock,
      settings: {
        domain: n.domain,
        from: n.from,
        fromName: n.fromName,
        letterNumberSuffix: r.letterNumberSuffix,
        issuerParent: r.issuerParent,
        issuerName: r.issuerName,
        signerTitle: r.signerTitle,
        signerName: r.signerName,
        maxBasisBytes: r.maxBasisBytes,
      },
    });
    this.incidents = new IncidentService({
      store: system.store,
      blobs: system.blobs,
      directory: system.directory,
      notices: this.notices,
      feed: system.feed,
      clock: system.clock,
    });
    this.checking = new CheckingService(system.store, system.calendar, system.clock, system.config.checking);
    this.usage = new UsageService(system.store, system.directory.ctx.settings, system.clock);
    this.faults = new FaultService(system.store, this.notices, system.clock, {
      domain: n.domain,
      from: n.from,
      fromName: n.fromName,
    });
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
