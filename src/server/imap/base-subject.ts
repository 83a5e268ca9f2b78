/**
 * Base subject extraction (RFC 5256 §2.1), used by SORT SUBJECT and both THREAD algorithms.
 *
 *   subj-trailer = "(fwd)" / WSP
 *   subj-fwd-hdr = "[fwd:";  subj-fwd-trl = "]"
 *   subj-blob    = "[" *BLOBCHAR "]" *WSP
 *   subj-refwd   = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
 *   subj-leader  = (*subj-blob subj-refwd) / WSP
 *
 * The input is the decoded subject. It is cut to MAX_SUBJECT characters first: a 1 MB subject of
 * "Re: Re: …" would otherwise cost quadratic time (IMAP-16). The result is compared with the
 * i;ascii-casemap collation (RFC 4790): `sortKey` upper-cases ASCII letters only.
 */
export const MAX_SUBJECT = 4096;

const TRAILER = /(?:\(fwd\)|[ \t])$/i;
const LEADER = /^(?:(?:\[[^[\]]*\][ \t]*)*(?:re|fwd?)[ \t]*(?:\[[^[\]]*\][ \t]*)?:|[ \t])/i;
const BLOB = /^\[[^[\]]*\][ \t]*/;
const FWD = /^\[fwd:(.*)\]$/is;

export interface BaseSubject {
  base: string;
  /** Extraction removed a "Re:"/"Fwd:" leader, a "(fwd)" trailer or a "[fwd: …]" wrapper. */
  replyOrForward: boolean;
}

export function baseSubject(subject: string): BaseSubject {
  // (1) Tabs and continuations as single spaces.
  let s = subject.slice(0, MAX_SUBJECT).replace(/[\t\r\n ]+/g, ' ');
  let replyOrForward = false;
  for (;;) {
    // (2) Trailers.
    for (let m = TRAILER.exec(s); m; m = TRAILER.exec(s)) {
      if (m[0] !== ' ' && m[0] !== '\t') replyOrForward = true;
      s = s.slice(0, s.length - m[0].length);
    }
    // (3)–(5) Leaders and blobs until nothing changes.
    for (let changed = true; changed;) {
      changed = false;
      for (let m = LEADER.exec(s); m; m = LEADER.exec(s)) {
        if (m[0] !== ' ' && m[0] !== '\t') replyOrForward = true;
        s = s.slice(m[0].length);
        changed = true;
      }
      const b = BLOB.exec(s);
      if (b && b[0].length < s.length) {
        s = s.slice(b[0].length);
        changed = true;
      }
    }
    // (6) "[fwd: …]": unwrap and start again at (2).
    const f = FWD.exec(s);
    if (!f) break;
    s = f[1]!;
    replyOrForward = true;
  }
  return { base: s, replyOrForward };
}

/** i;ascii-casemap: ASCII letters upper-cased, everything else as it is. */
export function asciiCasemap(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** The comparison key of a decoded subject. */
export function subjectKey(subject: string): string {
  return asciiCasemap(baseSubject(subject.normalize('NFC')).base);
}
