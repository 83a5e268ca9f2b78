/**
 * Password hashing with Argon2id (RFC 9106), PHC string format.
 *
 * Parameters (catalogue AUTH-01; OWASP Password Storage Cheat Sheet): memory 19456 KiB, 2 passes,
 * 1 lane by default, configurable upwards. A hash made with weaker parameters than the current
 * ones is re-hashed at the next successful sign-in (`needsRehash`). Hashing runs on libuv's
 * thread pool, at most `maxConcurrent` at a time, so 1,000 parallel sign-ins cannot take
 * 1,000 × 19 MiB of memory or starve the event loop. Passwords over 1,024 bytes are refused before
 * hashing (the policy caps them lower still).
 */
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';

/** Algorithm.Argon2id of @node-rs/argon2 (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;

export interface HashParams {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

export const MAX_PASSWORD_BYTES = 1024;

class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class PasswordHasher {
  private readonly gate: Semaphore;
  /** A real hash of a random secret: verifying against it costs what a real check costs (AUTH-02). */
  private dummy: Promise<string> | null = null;

  constructor(
    private readonly params: HashParams,
    maxConcurrent = 4,
  ) {
    this.gate = new Semaphore(maxConcurrent);
  }

  async hash(password: string): Promise<string> {
    if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw new Error('password too long to hash');
    return this.gate.run(() =>
      argonHash(password, {
        algorithm: ARGON2ID,
        memoryCost: this.params.memoryKiB,
        timeCost: this.params.iterations,
        parallelism: this.params.parallelism,
      }),
    );
  }

  async verify(phc: string, password: string): Promise<boolean> {
    if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return false;
    try {
      return await this.gate.run(() => argonVerify(phc, password));
    } catch {
      return false; // a malformed stored hash never signs anyone in
    }
  }

  /** Spend the time of one verification, for unknown accounts. */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash(`dummy-${Math.random()}-${Date.now()}`);
    await this.verify(await this.dummy, password.slice(0, 256));
    return false;
  }

  needsRehash(phc: string): boolean {
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
    if (!m) return true;
    return (
      Number(m[1]) < this.params.memoryKiB ||
      Number(m[2]) < this.params.iterations ||
      Number(m[3]) < this.params.parallelism
    );
  }
}
