/**
 * STATUS data of a folder (RFC 9051 §6.3.11, RFC 8438 SIZE, RFC 7162 HIGHESTMODSEQ, RFC 8474
 * MAILBOXID), shared by
 * STATUS and LIST … RETURN (STATUS …) (RFC 5819). One aggregate query per folder.
 */
import { sql } from 'kysely';
import type { FolderRow } from '../../mailbox/index.ts';
import type { DataStore } from '../../store/index.ts';
import { atom, list, mailboxValue, num, type ImapValue, type StatusItem } from '../../protocol/imap/index.ts';
import { mailboxId } from './object-id.ts';

export async function statusResponse(
  store: DataStore,
  folder: FolderRow,
  items: readonly StatusItem[],
  options: { utf8: boolean },
  /** The name the client knows it by (`Shared/<address>/…` for a delegated mailbox). */
  displayName: string = folder.name,
): Promise<ImapValue[]> {
  const agg = await store.db
    .selectFrom('messages')
    .select([
      sql<number>`count(*)`.as('messages'),
      sql<number>`coalesce(sum(case when seen = 0 then 1 else 0 end), 0)`.as('unseen'),
      sql<number>`coalesce(sum(deleted), 0)`.as('deleted'),
      sql<number>`coalesce(sum(size), 0)`.as('size'),
    ])
    .where('folder_id', '=', folder.id)
    .executeTakeFirstOrThrow();
  const values: ImapValue[] = [];
  for (const item of items) {
    if (item === 'MAILBOXID') {
      values.push(atom(item), list([atom(mailboxId(folder.id))]));
      continue;
    }
    let v: number;
    switch (item) {
      case 'MESSAGES':
        v = Number(agg.messages);
        break;
      case 'UNSEEN':
        v = Number(agg.unseen);
        break;
      case 'DELETED':
        v = Number(agg.deleted);
        break;
      case 'SIZE':
        v = Number(agg.size);
        break;
      case 'UIDNEXT':
        v = Number(folder.uid_next);
        break;
      case 'UIDVALIDITY':
        v = Number(folder.uid_validity);
        break;
      case 'HIGHESTMODSEQ':
        v = Number(folder.highest_modseq);
        break;
      case 'RECENT':
        v = 0; // \Recent is not kept (RFC 9051 dropped it)
        break;
    }
    values.push(atom(item), num(v));
  }
  return [atom('STATUS'), mailboxValue(displayName, options), list(values)];
}
