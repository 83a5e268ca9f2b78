/**
 * SORT and UID SORT (RFC 5256 §3) with ESORT (RFC 5267 §3) and SORT=DISPLAY (RFC 5957).
 *
 * Keys: ARRIVAL (INTERNALDATE), DATE (the Date: header in UTC, else INTERNALDATE), SIZE,
 * SUBJECT (base subject, base-subject.ts), FROM / TO / CC (the addr-mailbox, i.e. the local part,
 * of the first address), DISPLAYFROM / DISPLAYTO (the decoded display name of the first address,
 * or its addr-spec when it has none; RFC 5957 §2). Strings compare with i;ascii-casemap; equal
 * keys fall through to the next criterion and finally to the sequence number (RFC 5256 §3).
 * REVERSE turns one criterion around.
 *
 * ESORT: `* ESEARCH (TAG …) [UID] MIN … MAX … ALL … COUNT …` where MIN and MAX are the first and
 * last message in sort order and ALL lists them in sort order (only ascending runs become
 * ranges, so the order survives). No EXPUNGE responses follow SORT; UID SORT may send them.
 */
import { decodeHeaderWords, type ParsedAddress } from '../../../mail/index.ts';
import { atom, list, num, str, type ImapValue } from '../../../protocol/imap/index.ts';
import type { SortCommand, SortCriterion } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { asciiCasemap, subjectKey } from '../base-subject.ts';
import { checkCharset, matchingMessages, type SortMessage } from '../sort-data.ts';
import { SELECTED } from '../state.ts';

const first = (a: readonly ParsedAddress[] | null | undefined): ParsedAddress | undefined =>
  a?.find((x) => x.kind === 'mailbox');

function mailboxKey(a: readonly ParsedAddress[] | null | undefined): string {
  return asciiCasemap(first(a)?.mailbox ?? '');
}

function displayKey(a: readonly ParsedAddress[] | null | undefined): string {
  const x = first(a);
  if (!x) return '';
  const name = x.name ? decodeHeaderWords(x.name).trim() : '';
  if (name !== '') return asciiCasemap(name.normalize('NFC'));
  return asciiCasemap(x.host ? `${x.mailbox ?? ''}@${x.host}` : (x.mailbox ?? ''));
}

type Key = string | number;

function keyOf(m: SortMessage, c: SortCriterion): Key {
  const e = m.envelope;
  switch (c.key) {
    case 'ARRIVAL':
      return m.internalDate;
    case 'DATE':
      return m.sentAt ?? m.internalDate;
    case 'SIZE':
      return m.size;
    case 'SUBJECT':
      return subjectKey(decodeHeaderWords(e?.subject ?? ''));
    case 'FROM':
      return mailboxKey(e?.from);
    case 'TO':
      return mailboxKey(e?.to);
    case 'CC':
      return mailboxKey(e?.cc);
    case 'DISPLAYFROM':
      return displayKey(e?.from);
    case 'DISPLAYTO':
      return displayKey(e?.to);
  }
}

/** Sort `messages` by the criteria (stable on sequence number). */
export function sortMessages(
  messages: readonly SortMessage[],
  criteria: readonly SortCriterion[],
): SortMessage[] {
  const keyed = messages.map((m) => ({ m, k: criteria.map((c) => keyOf(m, c)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < criteria.length; i++) {
      const x = a.k[i]!;
      const y = b.k[i]!;
      if (x === y) continue;
      const d = x < y ? -1 : 1;
      return criteria[i]!.reverse ? -d : d;
    }
    return a.m.seq - b.m.seq;
  });
  return keyed.map((x) => x.m);
}

/** A sequence-set that keeps the given order: only ascending consecutive runs become ranges. */
export function orderedSet(ns: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length;) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    out.push(j > i ? `${ns[i]}:${ns[j]}` : String(ns[i]));
    i = j + 1;
  }
  return out.join(',');
}

export const sort = defineHandler<SortCommand>({
  name: 'SORT',
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(ctx, cmd) {
    const state = ctx.state;
    if (state.kind !== 'selected') throw errors.wrongState();
    checkCharset(cmd.charset);
    const { messages, deadline } = await matchingMessages(ctx, state.mailbox, cmd.search);
    const sorted = sortMessages(messages, cmd.criteria);
    if (Date.now() > deadline) throw errors.searchBudget();
    const found = sorted.map((m) => (cmd.uid ? m.uid : m.seq));
    const done = cmd.uid ? 'UID SORT completed' : 'SORT completed';
    if (cmd.returnOptions === undefined) {
      await ctx.untagged([atom('SORT'), ...found.map((n) => num(n))]);
      return ok(done);
    }
    const opts = cmd.returnOptions.length > 0 ? cmd.returnOptions : ['ALL'];
    const out: ImapValue[] = [atom('ESEARCH'), list([atom('TAG'), str(cmd.tag)])];
    if (cmd.uid) out.push(atom('UID'));
    if (found.length > 0 && opts.includes('MIN')) out.push(atom('MIN'), num(found[0]!));
    if (found.length > 0 && opts.includes('MAX')) out.push(atom('MAX'), num(found[found.length - 1]!));
    if (found.length > 0 && opts.includes('ALL')) out.push(atom('ALL'), atom(orderedSet(found)));
    if (opts.includes('COUNT')) out.push(atom('COUNT'), num(found.length));
    await ctx.untagged(out);
    return ok(done);
  },
});
