/**
 * Where mail for a domain goes: the configured smarthost, or the domain's MX hosts.
 *
 * RFC 5321 §5.1: MX records sorted by preference (lowest first), hosts of equal preference in
 * random order; no MX records (NODATA) → the domain itself is the implicit MX with preference 0;
 * a domain that does not exist → permanent failure. RFC 7505: a single MX with an empty exchange
 * ("." in zone files) is a null MX — the domain takes no mail, fail at once with 5.1.10. Address
 * literals (`user@[192.0.2.1]`, RFC 5321 §4.1.3) go to that address. DNS failures other than
 * NXDOMAIN/NODATA are temporary (4.4.3), so the message is retried.
 */
import net from 'node:net';
import type { DnsResolver, MxRecord } from './resolver.ts';
import { dnsCode } from './resolver.ts';
import type { QueueSettings } from './settings.ts';

export interface Target {
  /** Host name (TLS SNI, Remote-MTA of a DSN) or the address itself. */
  host: string;
  address: string;
  port: number;
}

export type Route =
  | { kind: 'targets'; targets: Target[] }
  | { kind: 'fail'; permanent: boolean; status: string; reply: string };

const TEMPORARY_DNS = (code: string | undefined): boolean => code !== 'ENOTFOUND' && code !== 'ENODATA';

function literalAddress(domain: string): string | null {
  const m = /^\[(?:ipv6:)?([^\]]+)\]$/i.exec(domain);
  if (!m || !m[1]) return null;
  return net.isIP(m[1]) ? m[1] : null;
}

function shuffleEqualPreference(records: MxRecord[], random: () => number): MxRecord[] {
  const withKey = records.map((r) => ({ r, k: random() }));
  withKey.sort((a, b) => a.r.priority - b.r.priority || a.k - b.k);
  return withKey.map((x) => x.r);
}

async function addressesOf(resolver: DnsResolver, host: string): Promise<string[]> {
  if (net.isIP(host)) return [host];
  return resolver.resolveAddresses(host);
}

export async function resolveRoute(
  domain: string,
  resolver: DnsResolver,
  settings: QueueSettings,
  random: () => number = Math.random,
): Promise<Route> {
  if (settings.smarthost) {
    const sh = settings.smarthost;
    try {
      const addrs = await addressesOf(resolver, sh.host);
      return {
        kind: 'targets',
        targets: addrs
          .slice(0, settings.maxAddresses)
          .map((address) => ({ host: sh.host, address, port: sh.port })),
      };
    } catch (e) {
      return {
        kind: 'fail',
        permanent: false,
        status: '4.4.3',
        reply: `smarthost ${sh.host}: DNS ${dnsCode(e) ?? 'error'}`,
      };
    }
  }

  const literal = literalAddress(domain);
  if (literal)
    return { kind: 'targets', targets: [{ host: literal, address: literal, port: settings.mxPort }] };
  if (domain.startsWith('['))
    return { kind: 'fail', permanent: true, status: '5.1.2', reply: `invalid address literal ${domain}` };

  let records: MxRecord[];
  let implicit = false;
  try {
    records = await resolver.resolveMx(domain);
    if (records.length === 0) throw Object.assign(new Error('no MX'), { code: 'ENODATA' });
  } catch (e) {
    const code = dnsCode(e);
    if (code === 'ENOTFOUND')
      return {
        kind: 'fail',
        permanent: true,
        status: '5.1.2',
        reply: `Host or domain name not found: ${domain} (NXDOMAIN)`,
      };
    if (code !== 'ENODATA')
      return {
        kind: 'fail',
        permanent: false,
        status: '4.4.3',
        reply: `DNS lookup of MX ${domain} failed: ${code ?? 'error'}`,
      };
    // RFC 5321 §5.1: no MX → the domain itself, preference 0.
    records = [{ exchange: domain, priority: 0 }];
    implicit = true;
  }

  const isNull = (r: MxRecord): boolean => r.exchange === '' || r.exchange === '.';
  // RFC 7505 §3: a null MX is the only MX of its domain; §4.1: do not try to deliver.
  if (records.length > 0 && records.every(isNull))
    return {
      kind: 'fail',
      permanent: true,
      status: '5.1.10',
      reply: `Domain ${domain} does not accept mail (null MX, RFC 7505)`,
    };
  const hosts = shuffleEqualPreference(
    records.filter((r) => !isNull(r)),
    random,
  )
    .map((r) => r.exchange.replace(/\.$/, '').toLowerCase())
    .slice(0, settings.maxMxHosts);

  const targets: Target[] = [];
  let temporary = false;
  let lastCode: string | undefined;
  for (const host of hosts) {
    if (targets.length >= settings.maxAddresses) break;
    try {
      for (const address of await addressesOf(resolver, host))
        if (targets.length < settings.maxAddresses) targets.push({ host, address, port: settings.mxPort });
    } catch (e) {
      lastCode = dnsCode(e);
      if (TEMPORARY_DNS(lastCode)) temporary = true;
    }
  }
  if (targets.length > 0) return { kind: 'targets', targets };
  if (temporary)
    return {
      kind: 'fail',
      permanent: false,
      status: '4.4.3',
      reply: `DNS lookup of the mail hosts of ${domain} failed: ${lastCode ?? 'error'}`,
    };
  return {
    kind: 'fail',
    permanent: true,
    status: implicit ? '5.1.2' : '5.4.4',
    reply: implicit
      ? `Domain ${domain} has no MX and no address (RFC 5321 §5.1)`
      : `No address for the mail hosts of ${domain}: ${hosts.join(', ')}`,
  };
}
