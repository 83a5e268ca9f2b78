/**
 * STATUS (RFC 9051 §6.3.11):
 *   status     = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
 *   status-att = "MESSAGES" / "UIDNEXT" / "UIDVALIDITY" / "UNSEEN" / "DELETED" / "SIZE"
 * plus RECENT (RFC 3501, IMAP4rev1 only), HIGHESTMODSEQ (RFC 7162 §3.1.9) and MAILBOXID
 * (RFC 8474 §4.2).
 */
import type { CommandReader } from '../reader.ts';
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export const STATUS_ITEMS = [
  'MESSAGES',
  'UIDNEXT',
  'UIDVALIDITY',
  'UNSEEN',
  'DELETED',
  'SIZE',
  'RECENT',
  'HIGHESTMODSEQ',
  'MAILBOXID',
] as const;
export type StatusItem = (typeof STATUS_ITEMS)[number];

const KNOWN: ReadonlySet<string> = new Set(STATUS_ITEMS);

/** "(" status-att *(SP status-att) ")", duplicates dropped; also used by LIST … RETURN (STATUS …). */
export function parseStatusItems(r: CommandReader): StatusItem[] {
  r.expect(0x28, '"(" of status items');
  const items: StatusItem[] = [];
  do {
    r.arg();
    const item = r.word();
    if (!KNOWN.has(item)) r.fail(item ? `unknown status item ${item}` : 'expected a status item');
    if (!items.includes(item as StatusItem)) items.push(item as StatusItem);
  } while (r.trySp());
  r.expect(0x29, '")" closing status items');
  return items;
}

export interface StatusCommand {
  readonly name: 'STATUS';
  readonly tag: string;
  readonly mailbox: string;
  readonly items: readonly StatusItem[];
}

export const status: CommandSpec<StatusCommand> = {
  name: 'STATUS',
  states: AUTHENTICATED,
  rfc: 'RFC 9051 §6.3.11, RFC 7162 §3.1.9',
  parse(r, head) {
    r.sp();
    const mailbox = r.mailbox();
    r.sp();
    const items = parseStatusItems(r);
    r.end();
    return { name: 'STATUS', tag: head.tag, mailbox, items };
  },
};
