/**
 * The change feed: what sessions (IMAP IDLE, POP3, webmail push) hear about after a change has
 * been committed (DESIGN.md rule 9: commit first, then broadcast; sessions never see uncommitted
 * state). In-process for the embedded deployment; a PostgreSQL LISTEN/NOTIFY adapter carries the
 * same events between processes in the scale-out shape.
 */
import { EventEmitter } from 'node:events';

export type MailboxEvent =
  | { kind: 'exists'; accountId: string; folderId: string; uids: number[]; modseq: number }
  | { kind: 'flags'; accountId: string; folderId: string; uids: number[]; modseq: number }
  | { kind: 'expunge'; accountId: string; folderId: string; uids: number[]; modseq: number }
  | { kind: 'folders'; accountId: string };

export class ChangeFeed {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open session; tens of thousands are expected.
    this.emitter.setMaxListeners(0);
  }

  publish(event: MailboxEvent): void {
    this.emitter.emit(event.accountId, event);
  }

  /** Listen to one account's changes; returns the function that stops listening. */
  subscribe(accountId: string, listener: (event: MailboxEvent) => void): () => void {
    this.emitter.on(accountId, listener);
    return () => this.emitter.off(accountId, listener);
  }
}
