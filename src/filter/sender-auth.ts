/**
 * Sender authentication of mail from the internet: SPF (RFC 7208), DKIM (RFC 6376), DMARC
 * (RFC 7489) and ARC (RFC 8617) through mailauth, with DNS behind an injectable resolver (tests
 * give a fake internet; production uses the system resolver). Produces the Authentication-Results
 * and Received-SPF fields to prepend (authserv-id = our host name) and a summary for the checks.
 *
 * `DmarcPolicyCheck` is the MessageCheck that acts on the results:
 * - our own domains are treated as p=reject whatever DNS says (catalogue SMTP-16): mail from outside
 *   whose single From address is in a local domain (or a subdomain) must pass SPF or DKIM aligned
 *   with that domain, else 550 5.7.1; if it could not be decided because DNS failed (temperror),
 *   451 — never a 550 for a DNS outage (FLT-13, RFC 7208 §8.6);
 * - other domains: a DMARC fail under a published p=reject is refused (RFC 7489 §6.6), unless an
 *   ARC chain passed (a mailing list or forwarder we can trust to have checked).
 */
import { authenticate } from 'mailauth';
import type { Bilingual } from '../util/errors.ts';
import type { MessageCheck, CheckInput, SenderAuthentication, Verdict } from './message-check.ts';

/** mailauth's resolver shape: like `dns.promises.resolve(name, rrtype)`. */
export type DnsResolver = (name: string, rrtype: string) => Promise<string[][] | string[]>;

export interface AuthenticateInput {
  content: Buffer;
  ip: string;
  helo: string;
  mailFrom: string;
}

export interface AuthenticateOutput {
  /** Received-SPF and Authentication-Results fields, CRLF-terminated, to prepend. */
  headers: string;
  auth: SenderAuthentication;
}

export class SenderAuthenticator {
  constructor(
    private readonly authservId: string,
    private readonly resolver?: DnsResolver,
  ) {}

  async authenticate(input: AuthenticateInput): Promise<AuthenticateOutput> {
    const r = await authenticate(input.content, {
      ip: input.ip,
      helo: input.helo,
      sender: input.mailFrom,
      mta: this.authservId,
      disableBimi: true,
      ...(this.resolver ? { resolver: this.resolver } : {}),
    });
    const from = r.dkim.headerFrom;
    const fromAddr = Array.isArray(from) && from.length === 1 ? String(from[0]) : null;
    const at = fromAddr ? fromAddr.lastIndexOf('@') : -1;
    const auth: SenderAuthentication = {
      fromDomain: fromAddr && at > 0 ? fromAddr.slice(at + 1).toLowerCase() : null,
      spf: {
        result: r.spf ? String(r.spf.status.result) : 'none',
        domain: r.spf && r.spf.domain ? String(r.spf.domain).toLowerCase() : null,
      },
      dkim: (r.dkim.results ?? []).map((d) => ({
        result: String(d.status.result),
        domain: String(d.signingDomain ?? '').toLowerCase(),
      })),
      dmarc: r.dmarc
        ? { result: String(r.dmarc.status.result), policy: r.dmarc.policy ? String(r.dmarc.policy) : null }
        : null,
      arc: r.arc ? { result: String(r.arc.status.result) } : null,
    };
    return { headers: r.headers, auth };
  }
}

function within(domain: string, base: string): boolean {
  return domain === base || domain.endsWith(`.${base}`);
}

const FORGED: Bilingual = {
  vi: 'Thư mạo danh tên miền của hệ thống thư công vụ: không qua được SPF/DKIM (chính sách DMARC p=reject).',
  en: 'The message forges one of our domains: it passes neither SPF nor DKIM (DMARC policy p=reject).',
};
const DMARC_REJECT: Bilingual = {
  vi: 'Thư không qua kiểm tra DMARC và tên miền gửi yêu cầu từ chối (p=reject).',
  en: 'The message fails DMARC and the sending domain asks for rejection (p=reject).',
};
const DNS_TEMP: Bilingual = {
  vi: 'Tạm thời không kiểm tra được SPF/DKIM do lỗi DNS; hãy gửi lại sau.',
  en: 'SPF/DKIM could not be checked because of a DNS error; try again later.',
};

export class DmarcPolicyCheck implements MessageCheck {
  readonly name = 'dmarc-policy';
  constructor(private readonly ownDomains: readonly string[]) {}

  check(input: CheckInput): Promise<Verdict> {
    return Promise.resolve(this.decide(input));
  }

  private decide(input: CheckInput): Verdict {
    const a = input.auth;
    if (input.channel !== 'mx' || !a) return { action: 'accept' };
    const own = a.fromDomain ? this.ownDomains.find((d) => within(a.fromDomain!, d)) : undefined;
    if (own) {
      const spfAligned = a.spf.result === 'pass' && a.spf.domain !== null && within(a.spf.domain, own);
      const dkimAligned = a.dkim.some((d) => d.result === 'pass' && within(d.domain, own));
      if (spfAligned || dkimAligned) return { action: 'accept' };
      const temp = /^temperr/.test(a.spf.result) || a.dkim.some((d) => /^temperr/.test(d.result));
      if (temp) return { action: 'tempfail', reason: 'own-domain: dns temperror', text: DNS_TEMP };
      return { action: 'reject', reason: `own-domain forged: ${a.fromDomain}`, text: FORGED };
    }
    if (a.dmarc?.result === 'fail' && a.dmarc.policy === 'reject' && a.arc?.result !== 'pass')
      return { action: 'reject', reason: `dmarc p=reject: ${a.fromDomain ?? ''}`, text: DMARC_REJECT };
    return { action: 'accept' };
  }
}
