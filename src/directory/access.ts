/**
 * Access events: every successful sign-in and every look at an inbox, by the owner or a delegate.
 * They feed the governance rules (inactivity, Điều 7.3 and 8.2.a; twice-daily checks, Điều 12) and
 * the sign-in history a user and the operator can read (Điều 5.5). Append-only.
 */
import type { Db, Tx } from '../store/index.ts';

export type AccessProtocol = 'imap' | 'pop3' | 'smtp' | 'http' | 'jmap';
export type AccessKind = 'login' | 'inbox';

export interface AccessEvent {
  accountId: string;
  /** Whose mailbox was used; the account itself unless a delegate acts on an agency mailbox. */
  mailboxId?: string;
  protocol: AccessProtocol;
  kind: AccessKind;
  clientIp: string | null;
  at: Date;
}

export async function recordAccess(tx: Pick<Tx, 'db'>, ev: AccessEvent): Promise<void> {
  const mailboxId = ev.mailboxId ?? ev.accountId;
  await tx.db
    .insertInto('access_events')
    .values({
      at: ev.at.getTime(),
      account_id: ev.accountId,
      mailbox_id: mailboxId,
      protocol: ev.protocol,
      kind: ev.kind,
      client_ip: ev.clientIp,
    })
    .execute();
  await tx.db
    .updateTable('accounts')
    .set({ last_access_at: ev.at.getTime() })
    .where('id', '=', mailboxId)
    .execute();
}

export interface AccessRecord {
  at: Date;
  accountId: string;
  mailboxId: string;
  protocol: string;
  kind: string;
  clientIp: string | null;
}

export async function listAccess(db: Db, mailboxId: string, limit = 100): Promise<AccessRecord[]> {
  const rows = await db
    .selectFrom('access_events')
    .selectAll()
    .where('mailbox_id', '=', mailboxId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    at: new Date(Number(r.at)),
    accountId: r.account_id,
    mailboxId: r.mailbox_id,
    protocol: r.protocol,
    kind: r.kind,
    clientIp: r.client_ip,
  }));
}
