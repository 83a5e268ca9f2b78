/**
 * Recently verified credentials, so that a mail client that signs in again and again (IMAP
 * connection pools, POP3 polling every few minutes, a phone and a desktop) pays the Argon2id cost
 * (tens of milliseconds of a core, by design) once per `ttlMs` instead of on every connection — the
 * role of Dovecot's auth_cache.
 *
 * - Only successes are kept, so a wrong password is always checked in full (and costs what
 *   "no such user" costs: auth-service.ts). A hit only tells someone who already has the right
 *   password that it is right.
 * - Nothing reversible is kept: the key is HMAC-SHA256 under a per-process random key of the stored
 *   hash and the password. A changed (or re-hashed) password has another stored hash, so the old
 *   entry can never match again.
 * - Bounded: at most `maxEntries`, the oldest dropped first; expired entries are dropped when met.
 */
import { createHmac, randomBytes } from 'node:crypto';

export class VerifiedCredentials {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, number>(); // key → expiry (ms), insertion-ordered

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  private digest(storedHash: string, password: string): string {
    return createHmac('sha256', this.key).update(storedHash).update('\0').update(password).digest('base64');
  }

  /** Was this password verified against this stored hash within the last ttl? */
  has(storedHash: string, password: string, nowMs: number): boolean {
    if (this.ttlMs <= 0) return false;
    const k = this.digest(storedHash, password);
    const until = this.entries.get(k);
    if (until === undefined) return false;
    if (until <= nowMs) {
      this.entries.delete(k);
      return false;
    }
    return true;
  }

  /** Remember a successful verification. */
  add(storedHash: string, password: string, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    const k = this.digest(storedHash, password);
    this.entries.delete(k);
    this.entries.set(k, nowMs + this.ttlMs);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
