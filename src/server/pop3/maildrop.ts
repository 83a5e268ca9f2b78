/**
 * The maildrop of a POP3 session: a snapshot of the account's INBOX taken at sign-in (RFC 1939 §5).
 *
 * - Message numbers are 1..n in UID order and stay fixed for the session; mail that arrives later
 *   is seen in the next session; a message removed meanwhile by IMAP stays listed and its RETR
 *   answers -ERR once its bytes are gone (POP-03).
 * - UIDL is "<uidvalidity>.<uid>": unique, stable across sessions, 0x21..0x7E and at most 70
 *   characters (RFC 1939 §7). UIDVALIDITY comes from a system-wide counter, so an id is never
 *   reused even if INBOX were re-created.
 * - DELE only marks; `commitDeletions` (UPDATE state, RFC 1939 §6) sets \Deleted on exactly the
 *   marked UIDs and expunges exactly those, in batches, each a committed transaction; it resolves
 *   only once all are durable (G1). A message flagged \Deleted by IMAP but not marked here is
 *   never touched.
 * - An account that never received mail has no folders yet: its maildrop is empty.
 */
import { expunge, findFolder, listMessages, storeFlags } from '../../mailbox/index.ts';
import type { FolderRow, MessageDeps } from '../../mailbox/index.ts';

export interface MaildropMessage {
  readonly uid: number;
  readonly blobId: string;
  readonly size: number;
  deleted: boolean;
}

const BATCH = 500;

export class Maildrop {
  private liveCount: number;
  private liveOctets: number;

  constructor(
    readonly folder: FolderRow | null,
    readonly messages: readonly MaildropMessage[],
  ) {
    this.liveCount = messages.length;
    this.liveOctets = messages.reduce((a, m) => a + m.size, 0);
  }

  /** Messages not marked deleted, and their total size (STAT). */
  stat(): { count: number; octets: number } {
    return { count: this.liveCount, octets: this.liveOctets };
  }

  /** Message `n` (1-based) unless it does not exist or is marked deleted. */
  get(n: number): MaildropMessage | null {
    const m = this.messages[n - 1];
    return m && !m.deleted ? m : null;
  }

  uidl(m: MaildropMessage): string {
    return `${this.folder?.uid_validity ?? 0}.${m.uid}`;
  }

  /** Every live message with its number, in order. */
  *live(): Generator<[number, MaildropMessage]> {
    for (let i = 0; i < this.messages.length; i++) {
      const m = this.messages[i]!;
      if (!m.deleted) yield [i + 1, m];
    }
  }

  markDeleted(m: MaildropMessage): void {
    if (m.deleted) return;
    m.deleted = true;
    this.liveCount--;
    this.liveOctets -= m.size;
  }

  /** RSET (RFC 1939 §5): unmark every message. */
  reset(): void {
    for (const m of this.messages) m.deleted = false;
    this.liveCount = this.messages.length;
    this.liveOctets = this.messages.reduce((a, m) => a + m.size, 0);
  }

  markedUids(): number[] {
    return this.messages.filter((m) => m.deleted).map((m) => m.uid);
  }
}

export async function openMaildrop(deps: MessageDeps, accountId: string): Promise<Maildrop> {
  const folder = await findFolder(deps.store.db, accountId, 'INBOX');
  if (!folder) return new Maildrop(null, []);
  const rows = await listMessages(deps.store, folder.id);
  return new Maildrop(
    folder,
    rows.map((r) => ({ uid: r.uid, blobId: r.blobId, size: r.size, deleted: false })),
  );
}

/** UPDATE state: remove exactly the marked messages; resolves when that is durable. */
export async function commitDeletions(deps: MessageDeps, maildrop: Maildrop): Promise<number> {
  const uids = maildrop.markedUids();
  if (uids.length === 0 || maildrop.folder === null) return 0;
  let removed = 0;
  for (let i = 0; i < uids.length; i += BATCH) {
    const batch = uids.slice(i, i + BATCH);
    await storeFlags(deps, maildrop.folder, batch, 'add', ['\\Deleted']);
    removed += (await expunge(deps, maildrop.folder, batch)).length;
  }
  return removed;
}
