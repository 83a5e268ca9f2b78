/**
 * The threading algorithms of RFC 5256 §3, pure (no I/O): REFERENCES (after Jamie Zawinski's
 * algorithm) and ORDEREDSUBJECT, rendered as the `thread-list`s of a `* THREAD` response.
 *
 * IMAP-16: circular or self-referencing References never create a loop — a link whose parent is
 * the child or one of its descendants is not made (§3 step 1A/1B) — duplicate Message-IDs get
 * unique ones, a References field is cut to its last MAX_REFS ids, and every traversal is
 * iterative so that a chain of 100,000 messages cannot overflow the stack. Containers are kept in
 * a Map keyed by the Message-ID string (V8 seeds its string hashes per process, no bucket flooding).
 * `check()` is called now and then so the caller can enforce its time budget.
 */
import { baseSubject, asciiCasemap } from './base-subject.ts';

export const MAX_REFS = 1000;

export interface ThreadInput {
  /** What is printed: the sequence number or the UID. */
  id: number;
  /** Mailbox order, for ties. */
  seq: number;
  /** Sent date (Date:, else INTERNALDATE), ms. */
  date: number;
  /** Decoded Subject. */
  subject: string;
  messageId: string | null;
  /** References (oldest first), or In-Reply-To when there are no References. */
  references: readonly string[];
}

interface Node {
  msg: ThreadInput | null;
  parent: Node | null;
  children: Node[];
}

/** Message-IDs of a References / In-Reply-To value, in order. */
export function parseMsgIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const m of value.matchAll(/<([^<>]*)>/g)) {
    const id = m[1]!.replace(/\s+/g, '');
    if (id !== '') out.push(id);
  }
  return out;
}

export const normaliseMsgId = (id: string | null | undefined): string | null => {
  const ids = parseMsgIds(id);
  return ids[0] ?? (id && id.trim() !== '' ? id.trim() : null);
};

/** Would making `parent` the parent of `child` close a loop? */
function wouldLoop(parent: Node, child: Node): boolean {
  for (let p: Node | null = parent; p; p = p.parent) if (p === child) return true;
  return false;
}

function unlink(n: Node): void {
  const p = n.parent;
  if (!p) return;
  const i = p.children.indexOf(n);
  if (i >= 0) p.children.splice(i, 1);
  n.parent = null;
}

function link(parent: Node, child: Node): void {
  child.parent = parent;
  parent.children.push(child);
}

const dateOf = (n: Node): number => (n.msg ? n.msg.date : n.children[0] ? dateOf(n.children[0]) : 0);
const seqOf = (n: Node): number => (n.msg ? n.msg.seq : n.children[0] ? seqOf(n.children[0]) : 0);
const byDate = (a: Node, b: Node): number => dateOf(a) - dateOf(b) || seqOf(a) - seqOf(b);

/** Every node under `roots`, parents before children. */
function preorder(roots: readonly Node[]): Node[] {
  const out: Node[] = [];
  const stack = [...roots].reverse();
  for (let n = stack.pop(); n; n = stack.pop()) {
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

/** Sort siblings by date, deepest sets first, so a dummy can take its first child's date (§3 step 5). */
function sortTree(roots: Node[]): void {
  const order = preorder(roots);
  for (let i = order.length - 1; i >= 0; i--) order[i]!.children.sort(byDate);
  roots.sort(byDate);
}

/** RFC 5256 §3 REFERENCES. */
export function threadReferences(messages: readonly ThreadInput[], check: () => void = () => {}): Node[] {
  const table = new Map<string, Node>();
  const node = (id: string): Node => {
    let n = table.get(id);
    if (!n) {
      n = { msg: null, parent: null, children: [] };
      table.set(id, n);
    }
    return n;
  };
  let unique = 0;
  messages.forEach((m, i) => {
    if ((i & 255) === 0) check();
    // Step 1: a container for the message, a unique id for duplicates and for none at all.
    let id = m.messageId;
    if (id === null || table.get(id)?.msg) id = `\u0000dup-${unique++}`;
    const me = node(id);
    me.msg = m;
    // 1A: link the references in order, never over an existing parent, never into a loop.
    const refs = m.references.slice(-MAX_REFS);
    let prev: Node | null = null;
    for (const r of refs) {
      const c = node(r);
      if (prev && prev !== c && !c.parent && !wouldLoop(prev, c)) link(prev, c);
      prev = c;
    }
    // 1B: the last reference is the parent, replacing any parent guessed before.
    if (prev && prev !== me && !wouldLoop(prev, me)) {
      if (me.parent !== prev) {
        unlink(me);
        link(prev, me);
      }
    } else if (!prev) unlink(me);
  });
  // Step 2: the root set.
  let roots = [...table.values()].filter((n) => !n.parent);
  check();
  // Step 3: prune dummies, bottom up.
  const order = preorder(roots);
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    if (n.msg) continue;
    const p = n.parent;
    if (n.children.length === 0) {
      if (p) unlink(n);
      continue;
    }
    if (!p) continue; // root-level dummies are handled below
    const at = p.children.indexOf(n);
    for (const c of n.children) c.parent = p;
    p.children.splice(at, 1, ...n.children);
    n.children = [];
    n.parent = null;
  }
  roots = roots.flatMap((n) => {
    if (n.msg) return [n];
    if (n.children.length === 0) return [];
    if (n.children.length === 1) {
      const only = n.children[0]!;
      only.parent = null;
      return [only];
    }
    return [n];
  });
  check();
  // Step 4: gather roots with the same base subject.
  sortTree(roots);
  const subjectOf = (n: Node): { key: string; reply: boolean } | null => {
    const m = n.msg ?? n.children[0]?.msg ?? null;
    if (!m) return null;
    const b = baseSubject(m.subject.normalize('NFC'));
    return b.base === '' ? null : { key: asciiCasemap(b.base), reply: b.replyOrForward };
  };
  const bySubject = new Map<string, Node>();
  for (const r of roots) {
    const s = subjectOf(r);
    if (!s) continue;
    const old = bySubject.get(s.key);
    if (!old || (!r.msg && old.msg) || (old.msg && r.msg && subjectOf(old)!.reply && !s.reply))
      bySubject.set(s.key, r);
  }
  const result = new Set(roots);
  for (const r of roots) {
    if (!result.has(r)) continue; // merged already
    const s = subjectOf(r);
    const t = s ? bySubject.get(s.key) : undefined;
    if (!s || !t || t === r) continue;
    const tReply = subjectOf(t)?.reply ?? false;
    if (!t.msg && !r.msg) {
      for (const c of r.children) link(t, c);
      r.children = [];
      result.delete(r);
    } else if (!t.msg) {
      link(t, r);
      result.delete(r);
    } else if (!r.msg) {
      result.delete(t);
      link(r, t);
      bySubject.set(s.key, r);
    } else if (!tReply && s.reply) {
      link(t, r);
      result.delete(r);
    } else {
      const d: Node = { msg: null, parent: null, children: [] };
      result.delete(t);
      result.delete(r);
      link(d, t);
      link(d, r);
      result.add(d);
      bySubject.set(s.key, d);
    }
  }
  const out = [...result];
  check();
  // Step 5: sort every set of siblings and the threads by date.
  sortTree(out);
  return out;
}

/** RFC 5256 §3 ORDEREDSUBJECT: one thread per base subject, the rest as children of the first. */
export function threadOrderedSubject(messages: readonly ThreadInput[]): Node[] {
  const groups = new Map<string, ThreadInput[]>();
  for (const m of messages) {
    const key = asciiCasemap(baseSubject(m.subject.normalize('NFC')).base);
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  const roots: Node[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => a.date - b.date || a.seq - b.seq);
    const root: Node = { msg: g[0]!, parent: null, children: [] };
    for (const m of g.slice(1)) link(root, { msg: m, parent: null, children: [] });
    roots.push(root);
  }
  roots.sort(byDate);
  return roots;
}

/**
 * The `thread-list`s: a message, then its only child in the same list or each of several children
 * as a nested list (RFC 5256 §4). Iterative.
 */
export function renderThreads(roots: readonly Node[]): string {
  let out = '';
  type Step = { node: Node; open: boolean } | { close: true };
  const stack: Step[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i]!, open: true });
  for (let s = stack.pop(); s; s = stack.pop()) {
    if ('close' in s) {
      out += ')';
      continue;
    }
    let n = s.node;
    if (s.open) out += '(';
    let first = true;
    // A message and its single-child chain stay in one list.
    for (;;) {
      if (n.msg) {
        out += `${first || out.endsWith('(') ? '' : ' '}${n.msg.id}`;
        first = false;
      }
      if (n.children.length === 1 && n.msg) {
        n = n.children[0]!;
        continue;
      }
      break;
    }
    if (s.open) stack.push({ close: true });
    if (n.children.length === 1 && !n.msg) {
      stack.push({ node: n.children[0]!, open: false });
    } else {
      if (n.children.length > 0 && !out.endsWith('(')) out += ' ';
      for (let i = n.children.length - 1; i >= 0; i--) stack.push({ node: n.children[i]!, open: true });
    }
  }
  return out;
}
