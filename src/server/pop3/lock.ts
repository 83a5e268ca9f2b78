/**
 * The maildrop lock: one POP3 session per mailbox at a time (RFC 1939 §4: the server acquires an
 * exclusive-access lock on the maildrop; RFC 2449 §8.1.1: a refusal carries [IN-USE]).
 *
 * `InProcessMaildropLock` keys leases by account id inside one process: right for the embedded
 * deployment. A scale-out deployment (many POP3 front ends) needs a shared implementation of the
 * same interface, e.g. a PostgreSQL session-level advisory lock (`pg_try_advisory_lock` on a hash
 * of the account id, held on a dedicated connection) or a lease row with an expiry renewed by the
 * session. The session only ever calls `tryAcquire` and `release`.
 */

export interface MaildropLease {
  readonly accountId: string;
  /** Idempotent. */
  release(): void;
}

export interface MaildropLock {
  /** A lease on the account's maildrop, or null when another session holds it. */
  tryAcquire(accountId: string): Promise<MaildropLease | null>;
}

export class InProcessMaildropLock implements MaildropLock {
  private readonly held = new Set<string>();

  async tryAcquire(accountId: string): Promise<MaildropLease | null> {
    if (this.held.has(accountId)) return null;
    this.held.add(accountId);
    let released = false;
    return {
      accountId,
      release: () => {
        if (released) return;
        released = true;
        this.held.delete(accountId);
      },
    };
  }

  /** How many maildrops are locked (for tests and metrics). */
  get size(): number {
    return this.held.size;
  }
}
