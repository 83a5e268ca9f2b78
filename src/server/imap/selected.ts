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
 * - With CONDSTORE on, FETCH responses carry UID and MODSEQ (RFC 7162 §3.1); with QRESYNC on,
 *   removals are told as `* VANISHED uids` instead of `* n EXPUNGE` (RFC 7162 §3.2.10). While an
 *   expunge waits (after FETCH, STORE, SEARCH), `* OK [HIGHESTMODSEQ m-1]` tells the client not
 *   to trust modseqs at or above the waiting expunge's m (RFC 7162 §3.2).
 * - The saved search result (SEARCHRES, RFC 5182) is kept as UIDs; `$` means those of them still
 *   in the view, so expunged messages drop out of it by themselves.
 */
import type { FolderRow } from '../../mailbox/index.ts';
import type { DataStore } from '../../store/index.ts';
import {
  atom,
  compressNumbers,
  list,
  num,
  raw,
  resolveSequenceSet,
  sequenceSetUsesStar,
  type ImapValue,
  type SequenceSet,
} from '../../protocol/imap/index.ts';
import type { MailboxEvent } from '../../mailbox/index.ts';
import { OWNER_RIGHTS, type DelegatedMailbox } from '../../directory/index.ts';
import { errors } from './errors.ts';

/** Whose folder this is to the session (RFC 4314): its name there, rights, the delegation if shared. */
export interface SelectedAccess {
  displayName: string;
  rights: string;
  shared: DelegatedMailbox | null;
}

export class SelectedMailbox {
  readonly folder: FolderRow;
  readonly readOnly: boolean;
  /** The name the client selected (`Shared/<address>/…` for a delegated mailbox). */
  readonly displayName: string;
  /** The delegation when the folder is another account's (Điều 10.1); null for the own mailbox. */
  readonly shared: DelegatedMailbox | null;
  /** RFC 4314 rights, refreshed from the database before every command when shared. */
  rights: string;
  private uids: Uint32Array;
  private length: number;
  private knownModseq: number;
  /** Tombstones (`expunged`) up to this modseq are reflected in `uids`. */
  private expungeModseq: number;
  private pending = { exists: false, expunge: false, flags: false };
  /** Lowest modseq of an expunge heard but not yet told (0: none). */
  private pendingExpungeModseq = 0;
  private readonly ownModseqs = new Set<number>();
  /** SEARCHRES `$` (RFC 5182 §2.1): empty until a SEARCH … RETURN (SAVE). */
  private saved: readonly number[] = [];

  private constructor(
    folder: FolderRow,
    readOnly: boolean,
    uids: number[],
    modseq: number,
    access: SelectedAccess,
  ) {
    this.folder = folder;
    this.readOnly = readOnly;
    this.displayName = access.displayName;
    this.shared = access.shared;
    this.rights = access.rights;
    this.uids = Uint32Array.from(uids);
    this.length = uids.length;
    this.knownModseq = modseq;
    this.expungeModseq = modseq;
    // Changes committed while the view was being read are looked for once, at the first flush.
    this.pending = { exists: true, expunge: true, flags: true };
  }

  static async open(
    store: DataStore,
    folder: FolderRow,
    readOnly: boolean,
    access: SelectedAccess = { displayName: folder.name, rights: OWNER_RIGHTS, shared: null },
  ): Promise<SelectedMailbox> {
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
      access,
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
    if (set.kind === 'saved') return this.savedTargets();
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

  /** RFC 5182 §2.1: `$` is the saved UIDs still in the view (for sequence and UID commands alike). */
  private savedTargets(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const uid of this.saved) {
      const seq = this.seqOf(uid);
      if (seq > 0) out.push([seq, uid]);
    }
    return out;
  }

  /** The UIDs `$` stands for now. */
  savedUids(): ReadonlySet<number> {
    return new Set(this.savedTargets().map(([, u]) => u));
  }

  /** SEARCH … RETURN (SAVE): replace `$` (ascending UIDs). */
  saveResult(uids: readonly number[]): void {
    this.saved = [...uids].sort((a, b) => a - b);
  }

  /** For SEARCH: every [seq, uid] of the view. */
  *all(): Generator<[number, number]> {
    for (let i = 0; i < this.length; i++) yield [i + 1, this.uids[i]!];
  }

  /** A change heard from the feed (after commit). */
  onEvent(e: MailboxEvent): boolean {
    if (e.kind === 'folders' || e.folderId !== this.folder.id) return false;
    if (e.kind === 'exists') this.pending.exists = true;
    else if (e.kind === 'expunge') {
      this.pending.expunge = true;
      if (this.pendingExpungeModseq === 0 || e.modseq < this.pendingExpungeModseq)
        this.pendingExpungeModseq = e.modseq;
    } else this.pending.flags = true;
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
  async collect(
    store: DataStore,
    options: { expunge: boolean; rev2: boolean; condstore?: boolean; qresync?: boolean },
  ): Promise<ImapValue[][]> {
    const out: ImapValue[][] = [];
    const p = this.pending;
    if (p.expunge && options.expunge) {
      p.expunge = false;
      this.pendingExpungeModseq = 0;
      // The tombstones written with each expunge or move (same transaction), newer than the view.
      const rows = await store.db
        .selectFrom('expunged')
        .select(['uid', 'modseq'])
        .where('folder_id', '=', this.folder.id)
        .where('modseq', '>', this.expungeModseq)
        .execute();
      for (const r of rows) this.expungeModseq = Math.max(this.expungeModseq, Number(r.modseq));
      const gone = rows.map((r) => Number(r.uid));
      out.push(...this.expungeOwn(gone, { qresync: options.qresync ?? false }));
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
        const items = [atom('UID'), num(Number(r.uid)), atom('FLAGS'), list(flags.map(atom))];
        if (options.condstore) items.push(atom('MODSEQ'), list([num(modseq)]));
        out.push([num(seq), atom('FETCH'), list(items)]);
      }
      this.ownModseqs.clear();
    }
    // RFC 7162 §3.2: modseqs were (or may be) sent while an expunge with a lower one waits.
    if (options.condstore && p.expunge && this.pendingExpungeModseq > 1)
      out.push([
        atom('OK'),
        raw(`[HIGHESTMODSEQ ${this.pendingExpungeModseq - 1}]`),
        raw('Expunges pending'),
      ]);
    return out;
  }

  /**
   * After EXPUNGE or MOVE in this session (and in `collect`): the responses for the removed
   * UIDs: `* n EXPUNGE` each, descending; with QRESYNC one `* VANISHED uids` (RFC 7162 §3.2.10).
   */
  expungeOwn(uids: readonly number[], options: { qresync: boolean }): ImapValue[][] {
    const inView = uids.filter((u) => this.seqOf(u) > 0).sort((a, b) => a - b);
    const seqs = this.removeUids(new Set(inView));
    if (!options.qresync) return seqs.map((seq) => [num(seq), atom('EXPUNGE')]);
    return inView.length === 0 ? [] : [[atom('VANISHED'), atom(compressNumbers(inView))]];
  }
}
