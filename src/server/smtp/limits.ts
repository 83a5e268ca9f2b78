/**
 * Connection limits shared by every SMTP listener of a process (catalogue SMTP-20, FLT-12):
 * concurrent connections per client address (Postfix `smtpd_client_connection_count_limit`,
 * default 50). The total per listener is smtp-server's `maxClients`; idle and session-length
 * limits are timers on each session (see hooks.ts).
 */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();
  constructor(private readonly perIp: number) {}

  /** Counts a new connection from `ip`; false when that address already has the maximum. */
  acquire(ip: string): boolean {
    const n = this.open.get(ip) ?? 0;
    if (n >= this.perIp) return false;
    this.open.set(ip, n + 1);
    return true;
  }

  release(ip: string): void {
    const n = (this.open.get(ip) ?? 0) - 1;
    if (n <= 0) this.open.delete(ip);
    else this.open.set(ip, n);
  }

  count(ip: string): number {
    return this.open.get(ip) ?? 0;
  }
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4.startsWith('127.') || ip === '::1';
}
