/**
 * Recipient routing and the relay rules (catalogue SMTP-05; RFC 5321 §3.6.1, §4.1.1.3, App. C).
 *
 * Rules, chosen to resolve "safely instead of correctly" (Postfix `resolve_dequoted_address`):
 * - only the domain after the LAST "@" routes; a source route (`@a,@b:user@c`) is removed first
 *   (RFC 5321 App. C: accepted, ignored);
 * - `%` and `!` are ordinary local-part characters: no percent hack, no bang paths;
 * - a local part with a quoted "@" (`"a@ext.example"@quangtri.gov.vn`) is a local part like any
 *   other: it names no mailbox here, so it is unknown (550 5.1.1), never relayed;
 * - the domain is compared in ASCII (IDNA A-labels, lower case, one trailing root dot removed), so a
 *   look-alike in another script is a foreign domain;
 * - an address literal (`[192.0.2.1]`, `[IPv6:…]`) is never local: relaying to it is refused;
 * - `postmaster` without a domain, and postmaster@/abuse@ a local domain, reach the operators
 *   (RFC 5321 §4.5.1, RFC 2142) even though no mailbox has that address.
 * Whether a local address exists is the directory's answer, asked by the server.
 */
import { domainToASCII } from 'node:url';

export type Route =
  | { kind: 'local'; address: string }
  | { kind: 'postmaster'; address: string }
  | { kind: 'remote'; address: string; domain: string }
  | { kind: 'invalid'; reason: string };

const ROLE_ACCOUNTS = new Set(['postmaster', 'abuse']);

/** The ASCII, lower-case form of a domain, without one trailing dot; null if it is not a domain. */
export function asciiDomain(domain: string): string | null {
  let d = domain.trim();
  if (d.endsWith('.')) d = d.slice(0, -1);
  if (d === '' || d.startsWith('[')) return null;
  const ascii = domainToASCII(d.toLowerCase());
  return ascii === '' ? null : ascii;
}

export function isLocalDomain(domain: string, localDomains: readonly string[]): boolean {
  const ascii = asciiDomain(domain);
  return ascii !== null && localDomains.includes(ascii);
}

export function routeRecipient(raw: string, localDomains: readonly string[]): Route {
  let addr = raw.trim();
  // RFC 5321 App. C: source routes are accepted and ignored.
  const route = /^@[^:]*:/.exec(addr);
  if (route) addr = addr.slice(route[0].length);
  if (addr.toLowerCase() === 'postmaster') return { kind: 'postmaster', address: 'postmaster' };
  const at = addr.lastIndexOf('@');
  if (at <= 0 || at === addr.length - 1) return { kind: 'invalid', reason: 'no domain' };
  const local = addr.slice(0, at);
  const rawDomain = addr.slice(at + 1);
  if (rawDomain.startsWith('[')) return { kind: 'remote', address: addr, domain: rawDomain.toLowerCase() };
  const domain = asciiDomain(rawDomain);
  if (domain === null) return { kind: 'invalid', reason: 'bad domain' };
  if (!localDomains.includes(domain)) return { kind: 'remote', address: `${local}@${domain}`, domain };
  if (ROLE_ACCOUNTS.has(local.toLowerCase()))
    return { kind: 'postmaster', address: `${local.toLowerCase()}@${domain}` };
  return { kind: 'local', address: `${local}@${domain}` };
}
