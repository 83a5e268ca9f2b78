/**
 * Queue policy: how long to retry, how to back off, when to warn, where to send. Built from the
 * `queue` section of the configuration (src/config/schema.ts); tests build it directly.
 *
 * Defaults follow Postfix (catalogue REF-02): minimal_backoff_time 300 s doubling up to about
 * 70 min (Postfix: maximal_backoff_time 4000 s), maximal_queue_lifetime 5 days (RFC 5321
 * §4.5.4.1: give up after at least 4–5 days), and one "delayed" notice after 4 hours
 * (Postfix delay_warning_time, off by default there; on here because officials need to know).
 */
import type { ResolvedConfig } from '../config/index.ts';
import { HOUR_MS, MINUTE_MS } from '../util/clock.ts';

export interface Smarthost {
  host: string;
  port: number;
  tls: 'opportunistic' | 'required' | 'implicit';
  username?: string | undefined;
  password?: string | undefined;
}

export interface QueueSettings {
  /** EHLO name and Reporting-MTA of DSNs. */
  hostname: string;
  /** Primary domain first; mail for these never enters the queue. */
  localDomains: string[];
  smarthost: Smarthost | null;
  maxLifetimeMs: number;
  /** 0: no "delayed" notice. */
  delayWarningMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Destination domains served at once by one runner. */
  concurrency: number;
  /** How long a claim protects a recipient from other runners (and a crashed runner's claim lasts). */
  leaseMs: number;
  /** Recipients claimed per pass. */
  batchSize: number;
  /** Port of remote MX hosts: 25 (RFC 5321 §4.5.4); tests point it at their own server. */
  mxPort: number;
  /** SMTP client timeouts (RFC 5321 §4.5.3.2 suggests minutes; a stuck remote must not hold a slot for ever). */
  connectTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
  /** How long the service sleeps between passes when nothing wakes it. */
  pollIntervalMs: number;
  /** At most this many MX hosts and addresses are tried per attempt. */
  maxMxHosts: number;
  maxAddresses: number;
}

export function defaultQueueSettings(hostname: string, localDomains: string[]): QueueSettings {
  return {
    hostname,
    localDomains: localDomains.map((d) => d.toLowerCase()),
    smarthost: null,
    maxLifetimeMs: 120 * HOUR_MS,
    delayWarningMs: 4 * HOUR_MS,
    minBackoffMs: 5 * MINUTE_MS,
    maxBackoffMs: 70 * MINUTE_MS,
    concurrency: 10,
    leaseMs: 30 * MINUTE_MS,
    batchSize: 500,
    mxPort: 25,
    connectTimeoutMs: 60_000,
    greetingTimeoutMs: 60_000,
    socketTimeoutMs: 5 * 60_000,
    pollIntervalMs: 30_000,
    maxMxHosts: 5,
    maxAddresses: 10,
  };
}

export function queueSettingsFromConfig(config: ResolvedConfig): QueueSettings {
  const q = config.queue;
  return {
    ...defaultQueueSettings(config.hostname, config.localDomains),
    smarthost: q.smarthost
      ? {
          host: q.smarthost.host,
          port: q.smarthost.port,
          tls: q.smarthost.tls,
          username: q.smarthost.username,
          password: q.smarthost.password,
        }
      : null,
    maxLifetimeMs: q.maxLifetimeHours * HOUR_MS,
    delayWarningMs: q.delayWarningHours * HOUR_MS,
    minBackoffMs: q.minBackoffMinutes * MINUTE_MS,
    maxBackoffMs: Math.max(q.maxBackoffMinutes, q.minBackoffMinutes) * MINUTE_MS,
    concurrency: q.concurrency,
  };
}

/**
 * Wait after the `attempts`-th failed attempt: min · 2^(attempts−1), capped at max, plus up to 10 %
 * jitter so that recipients deferred together do not all come back in the same second.
 */
export function backoffMs(
  settings: QueueSettings,
  attempts: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(Math.max(attempts - 1, 0), 30);
  const base = Math.min(settings.minBackoffMs * 2 ** exp, settings.maxBackoffMs);
  return Math.round(base * (1 + 0.1 * random()));
}
