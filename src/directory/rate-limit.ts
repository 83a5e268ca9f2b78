/**
 * A sliding-window request limit per client address and per network (/24 for IPv4, /48 for IPv6,
 * at `networkFactor` times the per-address limit), for anonymous endpoints such as the public
 * directory (Điều 11.1). State is in memory, per process, like the sign-in throttle
 * (auth-throttle.ts): a scale-out deployment limits per front end.
 */
import type { Clock } from '../util/clock.ts';
import { networkOf } from './auth-throttle.ts';

const MAX_KEYS = 100_000;

export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: whole seconds until a request from this client is accepted again. */
  retryAfterSeconds: number;
}

export class SlidingWindowLimit {
  private readonly byKey = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly perWindow: number,
    private readonly windowMs = 60_000,
    private readonly networkFactor = 4,
  ) {}

  private live(key: string, now: number): number[] {
    const times = this.byKey.get(key) ?? [];
    const cutoff = now - this.windowMs;
    while (times.length > 0 && times[0]! <= cutoff) times.shift();
    return times;
  }

  /** Count one request from `ip` unless the address or its network is over its limit. */
  take(ip: string): RateLimitDecision {
    const now = this.clock.now().getTime();
    const net = networkOf(ip);
    const keys: { key: string; limit: number }[] = [{ key: `ip:${ip}`, limit: this.perWindow }];
    if (net) keys.push({ key: `net:${net}`, limit: this.perWindow * this.networkFactor });
    let retryMs = 0;
    for (const k of keys) {
      const times = this.live(k.key, now);
      if (times.length >= k.limit)
        retryMs = Math.max(retryMs, times[times.length - k.limit]! + this.windowMs - now);
    }
    if (retryMs > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) };
    if (this.byKey.size > MAX_KEYS) this.byKey.clear(); // memory bound under a flood of addresses
    for (const k of keys) {
      const times = this.live(k.key, now);
      times.push(now);
      if (times.length > k.limit) times.splice(0, times.length - k.limit);
      this.byKey.set(k.key, times);
    }
    return { allowed: true, retryAfterSeconds: 0 };
  }
}
