/**
 * The selected mailbox as one session sees it (RFC 9051 §2.3.1.2, §7.5.1): the map of message
 * sequence numbers to UIDs, and the changes other sessions made that this one has not been told.
 *
 * Invariants:
 * - `uids` ascend; sequence number n is `uids[n-1]`. It changes only when this session tells its
 *   client: new messages with `* n EXISTS`, removals with `* n EXPUNGE`. Stored as a Uint32Array
 *   (4 octets per message); an authenticated but unselected session holds nothing per message.
 * - Changes heard from the ChangeFeed (published after commit) only raise three flags (`pending`):
 *   memory per session stays constant whatever happens to the folder. `collect()` then reads the
 *   folder once and works out what to say.
 * - EXPUNGE is announced only when the caller says it may be: never while answering FETCH, STORE
 *   or SEARCH (RFC 9051 §7.5.1; IMAP-10); until then the gone message keeps its number, and a
 *   FETCH of it answers NO [EXPUNGEISSUED] rather than another message's data.
 * - Flag changes this session made itself (STORE, implicit \Seen) are not echoed a second time.
 */
import type { FolderRow } from '../../mailbox/index.ts';
import type { DataStore } from '../../store/index.ts';
import {
  atom,
  list,
  num,
  resolveSequenceSet,
  sequenceSetUsesStar,
  type ImapValue,
  type SequenceSet,
} from '../../protocol/imap/index.ts';
import type { MailboxEvent } from '../../mailbox/index.ts';
import { errors } from './errors.ts';

export class SelectedMailbox {
  readonly folder: FolderRow;
  readonly readOnly: boolean;
  private uids: Uint32Array;
  private length: number;
  private knownModseq: number;
  private pending = { exists: false, expunge: false, flags: false };
  private readonly ownModseqs = new Set<number>();

  private constructor(folder: FolderRow, readOnly: boolean, uids: number[], modseq: number) {
    this.folder = folder;
    this.readOnly = readOnly;
    this.uids = Uint32Array.from(uids);
    this.length = uids.length;
    this.knownModseq = modseq;
  }

  static async open(store: DataStore, folder: FolderRow, readOnly: boolean): Promise<SelectedMailbox> {
    const rows = await store.db
      .selectFrom('messages')
      .select('uid')
      .where('folder_id', '=', folder.id)
      .orderBy('uid')
      .execute();
    return new SelectedMailbox(
      folder,
      readOnly,
      rows.map((r) => Number(r.uid)),
      Number(folder.highest_modseq),
    );
  }

  get count(): number {
    return this.length;
  }

  get lastUid(): number {
    return this.length > 0 ? this.uids[this.length - 1]! : 0;
  }

  uidAt(seq: number): number | undefined {
    return seq >= 1 && seq <= this.length ? this.uids[seq - 1] : undefined;
  }

  /** Sequence number of a UID in this view, or 0. */
  seqOf(uid: number): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.uids[mid]!;
      if (v === uid) return mid + 1;
      if (v < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** First index with uids[i] >= uid. */
  private lowerBound(uid: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.uids[mid]! < uid) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The messages a set names, as [seq, uid] pairs in ascending order. Sequence numbers: a number
   * beyond the last message is BAD (`*` in an empty mailbox too, RFC 9051 §6.4.5). UIDs: only the
   * UIDs in use; `*` is the largest one (IMAP-04). Never expands a range into numbers it does not hold.
   */
  resolve(set: SequenceSet, byUid: boolean): Array<[number, number]> {
    if (set.kind === 'saved') throw errors.savedResult();
    const out: Array<[number, number]> = [];
    if (byUid) {
      for (const [a, b] of resolveSequenceSet(set, { star: this.lastUid })) {
        for (let i = this.lowerBound(a); i < this.length && this.uids[i]! <= b; i++)
          out.push([i + 1, this.uids[i]!]);
      }
      return out;
    }
    if (this.length === 0 && sequenceSetUsesStar(set)) throw errors.badSequence();
    for (const r of set.ranges) {
      for (const n of [r.start, r.end]) if (n !== '*' && n > this.length) throw errors.badSequence();
    }
    for (const [a, b] of resolveSequenceSet(set, { star: this.length, max: this.length })) {
      for (let s = a; s <= b; s++) out.push([s, this.uids[s - 1]!]);
    }
    return out;
  }

  /** For SEARCH: every [seq, uid] of the view. */
  *all(): Generator<[number, number]> {
    for (let i = 0; i < this.length; i++) yield [i + 1, this.uids[i]!];
  }

  /** A change heard from the feed (after commit). */
  onEvent(e: MailboxEvent): boolean {
    if (e.kind === 'folders' || e.folderId !== this.folder.id) return false;
    if (e.kind === 'exists') this.pending.exists = true;
    else if (e.kind === 'expunge') this.pending.expunge = true;
    else this.pending.flags = true;
    return true;
  }

  hasPending(): boolean {
    return this.pending.exists || this.pending.expunge || this.pending.flags;
  }

  /** Flags this session changed itself: not to be echoed by `collect`. */
  noteOwnModseqs(modseqs: Iterable<number>): void {
    for (const m of modseqs) if (this.ownModseqs.size < 100_000) this.ownModseqs.add(m);
  }

  /** Remove UIDs this session expunged itself (EXPUNGE, MOVE); returns their sequence numbers, descending. */
  private removeUids(gone: ReadonlySet<number>): number[] {
    const seqs: number[] = [];
    let w = 0;
    for (let i = 0; i < this.length; i++) {
      const u = this.uids[i]!;
      if (gone.has(u)) seqs.push(i + 1);
      else this.uids[w++] = u;
    }
    this.length = w;
    return seqs.reverse();
  }

  private append(newUids: number[]): void {
    if (newUids.length === 0) return;
    if (this.length + newUids.length > this.uids.length) {
      const grown = new Uint32Array(Math.max(16, (this.length + newUids.length) * 2));
      grown.set(this.uids.subarray(0, this.length));
      this.uids = grown;
    }
    for (const u of newUids) this.uids[this.length++] = u;
  }

  /**
   * The untagged responses that bring the client up to date, applying them to the view.
   * EXPUNGE responses (descending, so each number is right when sent) only with `expunge`.
   */
  async collect(store: DataStore, options: { expunge: boolean; rev2: boolean }): Promise<ImapValue[][]> {
    const out: ImapValue[][] = [];
    const p = this.pending;
    if (p.expunge && options.expunge) {
      p.expunge = false;
      const rows = await store.db
        .selectFrom('messages')
        .select('uid')
        .where('folder_id', '=', this.folder.id)
        .execute();
      const present = new Set(rows.map((r) => Number(r.uid)));
      const gone = new Set<number>();
      for (let i = 0; i < this.length; i++) if (!present.has(this.uids[i]!)) gone.add(this.uids[i]!);
      for (const seq of this.removeUids(gone)) out.push([num(seq), atom('EXPUNGE')]);
    }
    if (p.exists) {
      p.exists = false;
      const rows = await store.db
        .selectFrom('messages')
        .select('uid')
        .where('folder_id', '=', this.folder.id)
        .where('uid', '>', this.lastUid)
        .orderBy('uid')
        .execute();
      if (rows.length > 0) {
        this.append(rows.map((r) => Number(r.uid)));
        out.push([num(this.length), atom('EXISTS')]);
        if (!options.rev2) out.push([num(0), atom('RECENT')]);
      }
    }
    if (p.flags) {
      p.flags = false;
      const rows = await store.db
        .selectFrom('messages')
        .select(['uid', 'flags', 'modseq'])
        .where('folder_id', '=', this.folder.id)
        .where('modseq', '>', this.knownModseq)
        .orderBy('uid')
        .limit(50_000)
        .execute();
      for (const r of rows) {
        const modseq = Number(r.modseq);
        if (modseq > this.knownModseq) this.knownModseq = modseq;
        if (this.ownModseqs.has(modseq)) continue;
        const seq = this.seqOf(Number(r.uid));
        if (seq === 0) continue;
        const flags = r.flags === '' ? [] : r.flags.split(' ');
        out.push([
          num(seq),
          atom('FETCH'),
          list([atom('UID'), num(Number(r.uid)), atom('FLAGS'), list(flags.map(atom))]),
        ]);
      }
      this.ownModseqs.clear();
    }
    return out;
  }

  /** After EXPUNGE or MOVE in this session: the EXPUNGE responses for what it removed itself. */
  expungeOwn(uids: readonly number[]): ImapValue[][] {
    return this.removeUids(new Set(uids)).map((seq) => [num(seq), atom('EXPUNGE')]);
  }
}
