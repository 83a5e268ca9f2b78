/**
 * The one ingest path (DESIGN.md rule 8): SMTP delivery, IMAP APPEND, JMAP, import and restore all
 * store a message here.
 *
 * 1. The message is indexed once (MIME structure, envelope, text for the preview) and written as
 *    one content-addressed blob, fsynced (a circular to 500 agencies is stored once).
 * 2. The delivery joins a batch. One write transaction per batch (group commit) takes the blob
 *    references, allocates each folder's next UID and MODSEQ, inserts the rows and adds to the
 *    accounts' used bytes. With SQLite synchronous=FULL the commit is durable when it returns.
 * 3. Only then does `ingest` resolve, which is when SMTP may answer 250 and APPEND may answer OK
 *    (catalogue G1), and only then are the changes published to sessions (rule 9).
 * A batch whose transaction fails is retried job by job, so one bad delivery fails alone.
 */
import type { Clock } from '../util/clock.ts';
import { CongthuError } from '../util/errors.ts';
import {
  extractText,
  getField,
  indexMessage,
  normalizeCrlf,
  parseHeaderBlock,
  type MessageIndex,
} from '../mail/index.ts';
import { acquireBlob, BlobGoneError, type BlobStore, type DataStore, type Tx } from '../store/index.ts';
import { effectiveQuota, type DirectorySettings } from '../directory/index.ts';
import type { ChangeFeed, MailboxEvent } from './events.ts';
import { flagString, hasFlag } from './flags.ts';
import { ensureDefaultFolders, findFolder } from './folders.ts';
import { buildSearchDoc, writeSearchDoc, type SearchDoc } from './search-index.ts';

export type IngestSource = 'smtp' | 'append' | 'import' | 'restore' | 'system';

export interface Delivery {
  accountId: string;
  /** Folder name; default INBOX. */
  folder?: string;
  flags?: string[];
  internalDate?: Date;
}

export interface IngestInput {
  /** The whole message, with CRLF line ends. */
  content: Buffer;
  deliveries: Delivery[];
  source: IngestSource;
  /**
   * 'enforce': refuse a delivery that would exceed the quota (APPEND: NO [OVERQUOTA]).
   * 'checked-before': the caller checked at RCPT time (SMTP 452); this message may go over.
   */
  quota: 'enforce' | 'checked-before';
  /**
   * The MIME index of exactly `content`, when the caller already made it (the SMTP server needs it
   * for the attachment rule): saves indexing the message a second time on the hot path.
   */
  index?: MessageIndex;
}

export interface Delivered {
  accountId: string;
  folderId: string;
  uidValidity: number;
  uid: number;
  modseq: number;
}

export interface IngestResult {
  blobId: string;
  size: number;
  delivered: Delivered[];
}

interface Job {
  input: IngestInput;
  blob: { id: string; size: number };
  index: MessageIndex;
  meta: {
    subject: string | null;
    from: string | null;
    messageId: string | null;
    sentAt: number | null;
    preview: string | null;
    /** The References field as stored, '' when there is none (THREAD, RFC 5256 §2.2). */
    refs: string;
  };
  /** The full-text document, written in the same transaction as the rows (search-index.ts). */
  search: SearchDoc;
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

export interface IngestDeps {
  store: DataStore;
  blobs: BlobStore;
  clock: Clock;
  feed: ChangeFeed;
  settings: DirectorySettings;
}

const MAX_BATCH = 128;
/** Longer References fields are cut (thread-references.ts keeps only the last ids anyway). */
const MAX_REFS_CHARS = 8000;

function references(content: Buffer, index: MessageIndex): string {
  const head = parseHeaderBlock(content, 0, index.root.bodyStart);
  const field = getField(head.fields, 'references');
  if (!field) return '';
  const value = field.value.toString('latin1');
  return value.length > MAX_REFS_CHARS ? value.slice(value.length - MAX_REFS_CHARS) : value;
}

function overQuota(address: string): CongthuError {
  return new CongthuError('limit', 'mailbox.over-quota', {
    vi: `Hộp thư ${address} đã đầy (vượt dung lượng được cấp, Điều 9.1).`,
    en: `The mailbox ${address} is full (over its quota).`,
  });
}

export class IngestService {
  private queue: Job[] = [];
  private flushing = false;
  /** Batches committed and deliveries per batch, for the benchmark and the metrics. */
  readonly stats = { batches: 0, jobs: 0 };

  constructor(private readonly deps: IngestDeps) {}

  async ingest(input: IngestInput): Promise<IngestResult> {
    const prepared = this.prepare(input);
    for (;;) {
      const blob = await this.deps.blobs.put(prepared.input.content);
      try {
        return await new Promise<IngestResult>((resolve, reject) => {
          this.queue.push({ ...prepared, blob, resolve, reject });
          void this.flush();
        });
      } catch (e) {
        if (e instanceof BlobGoneError) continue; // collected in between: store it again
        throw e;
      }
    }
  }

  /**
   * Several messages as one unit (IMAP MULTIAPPEND, RFC 3502 §6.3.11: all or none): the blobs are
   * written and fsynced concurrently, then every delivery is committed in one transaction. If any
   * of them fails (quota, folder gone) nothing is stored and no session ever saw a part of it.
   */
  async ingestAll(inputs: readonly IngestInput[]): Promise<IngestResult[]> {
    if (inputs.length === 1) return [await this.ingest(inputs[0]!)];
    const prepared = inputs.map((i) => this.prepare(i));
    for (;;) {
      const blobs = await Promise.all(prepared.map((p) => this.deps.blobs.put(p.input.content)));
      const events: MailboxEvent[] = [];
      try {
        const results = await this.deps.store.write(async (tx) => {
          const out: IngestResult[] = [];
          for (let i = 0; i < prepared.length; i++) {
            const job = { ...prepared[i]!, blob: blobs[i]!, resolve: () => {}, reject: () => {} };
            out.push(await this.apply(tx, job, events));
          }
          return out;
        });
        this.stats.batches++;
        this.stats.jobs += prepared.length;
        for (const e of events) this.deps.feed.publish(e);
        return results;
      } catch (e) {
        if (e instanceof BlobGoneError) continue;
        throw e;
      }
    }
  }

  /** Index once, normalise bare LF, extract what the rows and the search index need. */
  private prepare(input: IngestInput): Omit<Job, 'blob' | 'resolve' | 'reject'> {
    if (input.deliveries.length === 0) throw new Error('ingest needs at least one delivery');
    let index = input.index ?? indexMessage(input.content);
    if (index.bareLf) {
      // IMAP serves CRLF and announces sizes of what it serves: store the normalised form.
      input = { ...input, content: normalizeCrlf(input.content) };
      index = indexMessage(input.content);
    }
    const text = extractText(input.content, index, { maxTextChars: 4096 });
    const env = index.root.envelope;
    const dateMs = env?.date ? Date.parse(env.date) : NaN;
    const meta = {
      subject: text.subject || null,
      from: text.from || null,
      messageId: env?.messageId ?? null,
      sentAt: Number.isFinite(dateMs) ? dateMs : null,
      preview: text.preview || null,
      refs: references(input.content, index),
    };
    return { input, index, meta, search: buildSearchDoc(input.content, index) };
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        const events: MailboxEvent[] = [];
        try {
          const results = await this.deps.store.write(async (tx) => {
            const out: IngestResult[] = [];
            for (const job of batch) out.push(await this.apply(tx, job, events));
            return out;
          });
          this.stats.batches++;
          this.stats.jobs += batch.length;
          for (const e of events) this.deps.feed.publish(e);
          batch.forEach((job, i) => job.resolve(results[i]!));
        } catch {
          // Something in the batch failed: give each job its own transaction and its own answer.
          for (const job of batch) {
            const own: MailboxEvent[] = [];
            try {
              const r = await this.deps.store.write((tx) => this.apply(tx, job, own));
              this.stats.batches++;
              this.stats.jobs++;
              for (const e of own) this.deps.feed.publish(e);
              job.resolve(r);
            } catch (e) {
              job.reject(e);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async apply(tx: Tx, job: Job, events: MailboxEvent[]): Promise<IngestResult> {
    const { input, blob, index, meta } = job;
    const now = this.deps.clock.now();
    await acquireBlob(tx, this.deps.blobs, blob.id, blob.size, now, input.deliveries.length);
    await tx.db
      .insertInto('message_meta')
      .values({
        blob_id: blob.id,
        index_json: JSON.stringify(index),
        envelope_json: JSON.stringify(index.root.envelope ?? null),
        refs: meta.refs,
        subject: meta.subject?.slice(0, 1000) ?? null,
        from_addr: meta.from?.slice(0, 1000) ?? null,
        message_id: meta.messageId?.slice(0, 1000) ?? null,
        sent_at: meta.sentAt,
        preview: meta.preview,
        attachments_bytes: index.attachmentsDecodedBytes,
      })
      .onConflict((oc) => oc.column('blob_id').doNothing())
      .execute();
    await writeSearchDoc(tx, blob.id, job.search);
    const delivered: Delivered[] = [];
    for (const d of input.deliveries) {
      const account = await tx.db
        .selectFrom('accounts')
        .select(['id', 'kind', 'quota_bytes', 'used_bytes', 'local_part', 'domain', 'state'])
        .where('id', '=', d.accountId)
        .executeTakeFirstOrThrow();
      if (account.state === 'deleted') throw new Error(`account ${d.accountId} is deleted`);
      if (
        input.quota === 'enforce' &&
        Number(account.used_bytes) + blob.size > effectiveQuota(account, this.deps.settings)
      )
        throw overQuota(`${account.local_part}@${account.domain}`);
      const name = d.folder ?? 'INBOX';
      let folder = await findFolder(tx.db, d.accountId, name);
      if (!folder && name === 'INBOX') {
        await ensureDefaultFolders(tx, d.accountId, now);
        folder = await findFolder(tx.db, d.accountId, name);
      }
      if (!folder)
        throw new CongthuError('not-found', 'folder.not-found', {
          vi: `Không có thư mục "${name}".`,
          en: `No folder "${name}".`,
        });
      // RFC 9051 §2.3.1.1: UIDs strictly ascend; RFC 7162 §3.1: every change gets a higher MODSEQ.
      const bumped = await tx.db
        .updateTable('folders')
        .set((eb) => ({ uid_next: eb('uid_next', '+', 1), highest_modseq: eb('highest_modseq', '+', 1) }))
        .where('id', '=', folder.id)
        .returning(['uid_next', 'highest_modseq', 'uid_validity'])
        .executeTakeFirstOrThrow();
      const uid = Number(bumped.uid_next) - 1;
      const modseq = Number(bumped.highest_modseq);
      const flags = flagString(d.flags ?? []);
      await tx.db
        .insertInto('messages')
        .values({
          folder_id: folder.id,
          uid,
          blob_id: blob.id,
          size: blob.size,
          internal_date: (d.internalDate ?? now).getTime(),
          saved_at: now.getTime(),
          modseq,
          flags,
          seen: hasFlag(flags, '\\Seen') ? 1 : 0,
          deleted: hasFlag(flags, '\\Deleted') ? 1 : 0,
          source: input.source,
        })
        .execute();
      await tx.db
        .updateTable('accounts')
        .set((eb) => ({ used_bytes: eb('used_bytes', '+', blob.size) }))
        .where('id', '=', d.accountId)
        .execute();
      delivered.push({
        accountId: d.accountId,
        folderId: folder.id,
        uidValidity: Number(bumped.uid_validity),
        uid,
        modseq,
      });
      events.push({ kind: 'exists', accountId: d.accountId, folderId: folder.id, uids: [uid], modseq });
    }
    return { blobId: blob.id, size: blob.size, delivered };
  }
}
