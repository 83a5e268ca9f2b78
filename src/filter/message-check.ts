/**
 * Message checks: the one interface through which every content filter looks at an incoming or
 * submitted message before it is accepted — sender authentication policy (DMARC, below), and later
 * spam (rspamd) and malware (clamd) scanners. A check never writes anything; it returns a verdict.
 *
 * Verdicts, strongest first: `reject` (5xx at end of DATA, never a later bounce: catalogue SMTP-17),
 * `tempfail` (4xx: the sender retries; a scanner that is down fails closed, FLT-13), `quarantine`
 * (delivered to the recipients' Junk folder, which users can release from), `accept`.
 * `runChecks` runs the list in order and stops at the first reject or tempfail. A check that throws
 * counts as tempfail, so a broken scanner never lets mail through unexamined nor loses it.
 */
import type { Bilingual } from '../util/errors.ts';

export type Verdict =
  | { action: 'accept' }
  | { action: 'quarantine'; reason: string }
  | { action: 'reject'; reason: string; text: Bilingual }
  | { action: 'tempfail'; reason: string; text: Bilingual };

/** What a check may look at. The message is the one the client sent (our headers not yet added). */
export interface CheckInput {
  content: Buffer;
  /** 'mx': from the internet, unauthenticated; 'submission': from an authenticated local user. */
  channel: 'mx' | 'submission';
  client: { ip: string; helo: string };
  /** RFC 5321 reverse-path ('' for the null sender). */
  mailFrom: string;
  recipients: readonly string[];
  /** Results of SPF/DKIM/DMARC/ARC (mx only). */
  auth?: SenderAuthentication;
  /** Set on submission: the authenticated account's address. */
  submittedBy?: string;
}

/** The parts of the mailauth results that checks use. */
export interface SenderAuthentication {
  /** Lower-case domain of the single RFC 5322 From address, or null. */
  fromDomain: string | null;
  spf: { result: string; domain: string | null };
  /** Every DKIM signature with its result and signing domain. */
  dkim: ReadonlyArray<{ result: string; domain: string }>;
  dmarc: { result: string; policy: string | null } | null;
  arc: { result: string } | null;
}

export interface MessageCheck {
  readonly name: string;
  check(input: CheckInput): Promise<Verdict>;
}

export interface ChecksOutcome {
  verdict: Verdict;
  /** Name of the check that decided (the last quarantine, or the reject/tempfail). */
  decidedBy: string | null;
}

const TEMP_TEXT: Bilingual = {
  vi: 'Tạm thời không kiểm tra được thư; hãy gửi lại sau.',
  en: 'The message could not be checked right now; try again later.',
};

export async function runChecks(
  checks: readonly MessageCheck[],
  input: CheckInput,
  onError: (check: string, err: unknown) => void = () => undefined,
): Promise<ChecksOutcome> {
  let outcome: ChecksOutcome = { verdict: { action: 'accept' }, decidedBy: null };
  for (const c of checks) {
    let v: Verdict;
    try {
      v = await c.check(input);
    } catch (err) {
      onError(c.name, err);
      return {
        verdict: { action: 'tempfail', reason: `${c.name} failed`, text: TEMP_TEXT },
        decidedBy: c.name,
      };
    }
    if (v.action === 'reject' || v.action === 'tempfail') return { verdict: v, decidedBy: c.name };
    if (v.action === 'quarantine') outcome = { verdict: v, decidedBy: c.name };
  }
  return outcome;
}
