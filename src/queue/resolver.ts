/**
 * DNS for outbound delivery, behind an interface: the internet's DNS is the one thing tests
 * replace (with a table); everything else they run for real. The default uses node:dns/promises.
 *
 * Errors keep the codes of node:dns: ENOTFOUND (NXDOMAIN) and ENODATA (no records of that type)
 * are answers; anything else (SERVFAIL, timeouts, refused) is a temporary failure.
 */
import { Resolver } from 'node:dns/promises';

export interface MxRecord {
  exchange: string;
  priority: number;
}

export interface DnsResolver {
  /** MX records of `domain` (RFC 5321 §5.1); throws an Error with `code` ENODATA when there are none. */
  resolveMx(domain: string): Promise<MxRecord[]>;
  /** IPv4 and IPv6 addresses of `host` (A and AAAA); throws with ENOTFOUND / ENODATA when none. */
  resolveAddresses(host: string): Promise<string[]>;
  /** TXT records (for DKIM verification and `dkim show` checks). */
  resolveTxt(name: string): Promise<string[][]>;
}

export function dnsError(code: 'ENOTFOUND' | 'ENODATA' | 'ESERVFAIL' | 'ETIMEOUT', name: string): Error {
  const e = new Error(`DNS ${code} for ${name}`) as Error & { code: string };
  e.code = code;
  return e;
}

export function dnsCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The system resolver, with a timeout per query so a dead DNS server cannot hold a slot. */
export function systemResolver(options: { timeoutMs?: number; tries?: number } = {}): DnsResolver {
  const r = new Resolver({ timeout: options.timeoutMs ?? 10_000, tries: options.tries ?? 2 });
  return {
    resolveMx: (domain) => r.resolveMx(domain),
    async resolveAddresses(host) {
      const [v4, v6] = await Promise.allSettled([r.resolve4(host), r.resolve6(host)]);
      const out = [
        ...(v4.status === 'fulfilled' ? v4.value : []),
        ...(v6.status === 'fulfilled' ? v6.value : []),
      ];
      if (out.length > 0) return out;
      // Both failed: report the more telling error (a real failure beats "no data").
      const errors = [v4, v6].map((s) => (s.status === 'rejected' ? (s.reason as unknown) : null));
      const hard = errors.find((e) => e && !['ENODATA', 'ENOTFOUND'].includes(dnsCode(e) ?? ''));
      if (hard) throw hard;
      if (errors.every((e) => dnsCode(e) === 'ENOTFOUND')) throw dnsError('ENOTFOUND', host);
      throw dnsError('ENODATA', host);
    },
    resolveTxt: (name) => r.resolveTxt(name),
  };
}

/**
 * A resolver answering from a table, for tests and for closed networks:
 * `{ 'example.org': { mx: [...], a: ['127.0.0.1'], txt: [['v=DKIM1; …']] } }`. Names not in the
 * table are NXDOMAIN; a record type missing under a name is ENODATA; `fail: 'ESERVFAIL'` makes
 * every lookup of that name fail temporarily.
 */
export interface DnsEntry {
  mx?: MxRecord[];
  a?: string[];
  txt?: string[][];
  fail?: 'ESERVFAIL' | 'ETIMEOUT';
}

export function tableResolver(table: Record<string, DnsEntry>): DnsResolver {
  const get = (name: string): DnsEntry => {
    const e = table[name.toLowerCase().replace(/\.$/, '')];
    if (!e) throw dnsError('ENOTFOUND', name);
    if (e.fail) throw dnsError(e.fail, name);
    return e;
  };
  return {
    async resolveMx(domain) {
      const e = get(domain);
      if (!e.mx) throw dnsError('ENODATA', domain);
      return e.mx.map((m) => ({ ...m }));
    },
    async resolveAddresses(host) {
      const e = get(host);
      if (!e.a || e.a.length === 0) throw dnsError('ENODATA', host);
      return [...e.a];
    },
    async resolveTxt(name) {
      const e = get(name);
      if (!e.txt) throw dnsError('ENODATA', name);
      return e.txt.map((t) => [...t]);
    },
  };
}
