/**
 * Throttling of failed sign-ins (catalogue AUTH-03/04; Dovecot auth-penalty; NIST SP 800-63B §5.2.2).
 *
 * Per client address and per network (/24 for IPv4, /48 for IPv6, at four times the per-address
 * thresholds): after `ipFailuresBeforeDelay` failures each further failure is answered later
 * (2 s, 4 s, 8 s … up to `maxDelayMs`); after `ipFailuresBeforeBlock` the address is refused without
 * even checking the password until its failures age out of the window.
 * Per account: after `accountFailuresBeforeDelay` failures every attempt on it is slowed the same
 * way, wherever it comes from; the hard lock (after ≤ 100 consecutive failures, in the account row)
 * lifts by itself after `lockMinutes`, so an attacker can never lock a real user out for long.
 * The same wrong password repeated counts once (a client retrying a stale saved password is not an
 * attack). State is in memory, per process: a scale-out deployment throttles per front end.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Clock } from '../util/clock.ts';

export interface ThrottleSettings {
  ipFailuresBeforeDelay: number;
  ipFailuresBeforeBlock: number;
  accountFailuresBeforeDelay: number;
  windowMinutes: number;
  maxDelayMs: number;
}

interface Entry {
  times: number[];
  /** Keyed digests of recent wrong passwords (never the passwords). */
  seen: string[];
}

const NETWORK_FACTOR = 4;
const MAX_KEYS = 100_000;

/** The network an address belongs to for aggregate counting: /24 (IPv4) or /48 (IPv6). */
export function networkOf(ip: string): string | null {
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(ip)) {
    const [head = '', tail = ''] = ip.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const full = [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
    return `${full
      .slice(0, 3)
      .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
      .join(':')}::/48`;
  }
  return null;
}

export class AuthThrottle {
  private readonly byKey = new Map<string, Entry>();
  private readonly pepper = randomBytes(32);

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly clock: Clock,
  ) {}

  private live(key: string): Entry | undefined {
    const e = this.byKey.get(key);
    if (!e) return undefined;
    const cutoff = this.clock.now().getTime() - this.settings.windowMinutes * 60_000;
    while (e.times.length > 0 && e.times[0]! < cutoff) e.times.shift();
    if (e.times.length === 0) {
      this.byKey.delete(key);
      return undefined;
    }
    return e;
  }

  private count(key: string): number {
    return this.live(key)?.times.length ?? 0;
  }

  private keys(
    ip: string | null,
    account: string | null,
  ): { key: string; delayAfter: number; blockAfter: number }[] {
    const s = this.settings;
    const out: { key: string; delayAfter: number; blockAfter: number }[] = [];
    if (ip) {
      out.push({ key: `ip:${ip}`, delayAfter: s.ipFailuresBeforeDelay, blockAfter: s.ipFailuresBeforeBlock });
      const net = networkOf(ip);
      if (net)
        out.push({
          key: `net:${net}`,
          delayAfter: s.ipFailuresBeforeDelay * NETWORK_FACTOR,
          blockAfter: s.ipFailuresBeforeBlock * NETWORK_FACTOR,
        });
    }
    if (account)
      out.push({ key: `acct:${account}`, delayAfter: s.accountFailuresBeforeDelay, blockAfter: Infinity });
    return out;
  }

  /** Is this client refused outright (too many failures from its address or network)? */
  isBlocked(ip: string | null): boolean {
    return this.keys(ip, null).some((k) => this.count(k.key) >= k.blockAfter);
  }

  /** How long to hold the reply to a failed attempt, given the failures already recorded. */
  delayMs(ip: string | null, account: string | null): number {
    let worst = 0;
    for (const k of this.keys(ip, account)) {
      const over = this.count(k.key) - k.delayAfter;
      if (over >= 0)
        worst = Math.max(worst, Math.min(this.settings.maxDelayMs, 2000 * 2 ** Math.min(over, 20)));
    }
    return worst;
  }

  /**
   * Record a failure. Returns false when the same wrong password was already counted for this
   * account and address recently (it is not counted again).
   */
  recordFailure(ip: string | null, account: string | null, password: string): boolean {
    const digest = createHmac('sha256', this.pepper)
      .update(`${account ?? ''}\0${ip ?? ''}\0${password}`)
      .digest('base64');
    const now = this.clock.now().getTime();
    const keys = this.keys(ip, account);
    const first = keys[0] ? this.live(keys[0].key) : undefined;
    if (first?.seen.includes(digest)) return false;
    if (this.byKey.size > MAX_KEYS) this.byKey.clear(); // memory bound under a flood of addresses
    for (const k of keys) {
      const e = this.live(k.key) ?? { times: [], seen: [] };
      e.times.push(now);
      if (e.times.length > 1000) e.times.splice(0, e.times.length - 1000);
      e.seen.push(digest);
      if (e.seen.length > 10) e.seen.shift();
      this.byKey.set(k.key, e);
    }
    return true;
  }

  /** A success from this address clears its per-address record (not the network's). */
  recordSuccess(ip: string | null, account: string): void {
    if (ip) this.byKey.delete(`ip:${ip}`);
    this.byKey.delete(`acct:${account}`);
  }
}
