/**
 * RCPT policy: which recipients a transaction may have (RFC 5321 §3.6.1, §4.1.1.3, §4.5.1).
 *
 * - local domains only on the MX; any other domain is relaying: 554 5.7.1 (catalogue SMTP-05);
 * - a local address must resolve to an account through its primary address or an active alias;
 *   unknown, retired or deleted → 550 5.1.1 at RCPT, never accept-then-bounce (SMTP-17a);
 * - a suspended mailbox still receives (Điều 8: its mail waits for the restore);
 * - a mailbox at or over its quota (or that the declared SIZE would push over) → 452 4.2.2, a
 *   temporary refusal: the sender retries and the owner may free space meanwhile;
 * - postmaster (RFC 5321 §4.5.1) and abuse (RFC 2142) of a local domain reach every operator.
 * Several addresses of one account in one transaction deliver one copy.
 */
import type { DataStore } from '../../store/index.ts';
import {
  effectiveQuota,
  resolveAccount,
  type AccountRow,
  type DirectorySettings,
} from '../../directory/index.ts';
import { routeRecipient } from '../../filter/index.ts';
import { SmtpReply } from './errors.ts';
import { REPLIES } from './replies.ts';

export interface LocalRecipient {
  accountId: string;
  address: string;
}

export type RecipientDecision =
  { kind: 'local'; recipients: LocalRecipient[] } | { kind: 'remote'; address: string };

function fits(row: AccountRow, settings: DirectorySettings, sizeHint: number): boolean {
  return Number(row.used_bytes) + sizeHint < effectiveQuota(row, settings);
}

export async function decideRecipient(opts: {
  store: DataStore;
  settings: DirectorySettings;
  address: string;
  sizeHint: number;
  allowRemote: boolean;
}): Promise<RecipientDecision> {
  const { store, settings, sizeHint } = opts;
  const route = routeRecipient(opts.address, settings.localDomains);
  switch (route.kind) {
    case 'invalid':
      throw new SmtpReply(REPLIES.badRecipient);
    case 'remote':
      if (!opts.allowRemote) throw new SmtpReply(REPLIES.relayDenied);
      if (route.domain.startsWith('[')) throw new SmtpReply(REPLIES.relayDenied);
      return { kind: 'remote', address: route.address };
    case 'postmaster': {
      const operators = await store.db
        .selectFrom('accounts')
        .selectAll()
        .where('role', '=', 'operator')
        .where('state', '!=', 'deleted')
        .orderBy('created_at')
        .execute();
      if (operators.length === 0) throw new SmtpReply(REPLIES.noSuchMailbox);
      return {
        kind: 'local',
        recipients: operators.map((o) => ({ accountId: o.id, address: `${o.local_part}@${o.domain}` })),
      };
    }
    case 'local': {
      const row = await resolveAccount(store.db, settings, route.address);
      if (!row || row.state === 'deleted') throw new SmtpReply(REPLIES.noSuchMailbox);
      if (!fits(row, settings, sizeHint)) throw new SmtpReply(REPLIES.mailboxFull);
      return {
        kind: 'local',
        recipients: [{ accountId: row.id, address: `${row.local_part}@${row.domain}` }],
      };
    }
  }
}
