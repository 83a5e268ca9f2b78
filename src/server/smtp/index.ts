/**
 * Public surface of src/server/smtp: `startSmtpServices` starts the MX and submission listeners
 * on a running system. Everything it needs is injected: the outbound queue (src/queue port), the
 * DNS resolver for SPF/DKIM/DMARC (tests give a fake internet), the message checks (rspamd and
 * clamd join this list later) and the send-as policy.
 */
import type { ResolvedConfig } from '../../config/index.ts';
import type { Logger } from '../../telemetry/index.ts';
import type { Clock } from '../../util/clock.ts';
import type { DataStore } from '../../store/index.ts';
import type { Directory } from '../../directory/index.ts';
import type { IngestService } from '../../mailbox/index.ts';
import type { OutboundQueue } from '../../queue/index.ts';
import {
  DelegatedSendAsPolicy,
  DmarcPolicyCheck,
  SenderAuthenticator,
  type DnsResolver,
  type MessageCheck,
  type SendAsPolicy,
} from '../../filter/index.ts';
import { ConnectionLimiter } from './limits.ts';
import { startListeners, type RunningSmtp } from './service.ts';
import type { ListenerKind } from './hooks.ts';

export type { RunningSmtp, SmtpListener } from './service.ts';
export type { ListenerKind, SmtpUser } from './hooks.ts';
export { REPLIES, replyText, type Reply } from './replies.ts';
export { SmtpReply } from './errors.ts';

/** The parts of the running system the SMTP service uses. */
export interface SmtpSystem {
  config: ResolvedConfig;
  store: DataStore;
  directory: Directory;
  ingest: IngestService;
  clock: Clock;
}

export interface StartSmtpOptions {
  system: SmtpSystem;
  tls: { cert: string; key: string };
  log: Logger;
  /** Remote recipients of submissions go here; null refuses them with 451 (no queue running). */
  outbound: OutboundQueue | null;
  /** DNS for SPF/DKIM/DMARC/ARC; default the system resolver. */
  resolver?: DnsResolver;
  /** Content checks after the built-in DMARC policy (spam, malware…). */
  checks?: MessageCheck[];
  sendAs?: SendAsPolicy;
  closeTimeoutMs?: number;
  onAuth?: (status: string) => void;
  onMessage?: (kind: ListenerKind, outcome: string) => void;
}

export async function startSmtpServices(o: StartSmtpOptions): Promise<RunningSmtp> {
  const { system } = o;
  const { config } = system;
  const settings = system.directory.ctx.settings;
  return startListeners({
    tls: o.tls,
    ...(o.closeTimeoutMs !== undefined ? { closeTimeoutMs: o.closeTimeoutMs } : {}),
    deps: {
      config,
      store: system.store,
      directory: system.directory,
      ingest: system.ingest,
      clock: system.clock,
      outbound: o.outbound,
      log: o.log,
      authenticator: new SenderAuthenticator(config.hostname, o.resolver),
      checks: [new DmarcPolicyCheck(config.localDomains), ...(o.checks ?? [])],
      sendAs: o.sendAs ?? new DelegatedSendAsPolicy(system.store.db, settings),
      limiter: new ConnectionLimiter(config.smtp.maxConnectionsPerIp),
      ...(o.onAuth ? { onAuth: o.onAuth } : {}),
      ...(o.onMessage ? { onMessage: o.onMessage } : {}),
    },
  });
}
