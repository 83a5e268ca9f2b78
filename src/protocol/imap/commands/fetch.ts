/**
 * FETCH and UID FETCH (RFC 9051 §6.4.5) with BINARY (RFC 3516 §4.2), CONDSTORE/QRESYNC
 * modifiers (RFC 7162 §3.1.4, §3.2.6) and the IMAP4rev1 RFC822 items (RFC 3501 §6.4.5):
 *
 *   fetch           = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" /
 *                     fetch-att / "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]
 *   fetch-att       = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822.SIZE" /
 *                     "BODY" ["STRUCTURE"] / "UID" / "BODY" section [partial] /
 *                     "BODY.PEEK" section [partial] / "BINARY" [".PEEK"] section-binary [partial] /
 *                     "BINARY.SIZE" section-binary / "MODSEQ" / "RFC822" [".HEADER" / ".TEXT"]
 *   partial         = "<" number64 "." nz-number64 ">"
 *   section         = "[" [section-spec] "]"
 *   section-binary  = "[" [section-part] "]"
 *   section-spec    = section-msgtext / (section-part ["." section-text])
 *   section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
 *   section-part    = nz-number *("." nz-number)
 *   section-text    = section-msgtext / "MIME"
 *   fetch-modifier  = "CHANGEDSINCE" SP mod-sequence-value / "VANISHED"
 *   fetch-att       =/ "PREVIEW" [SP "(" preview-mod *(SP preview-mod) ")"]   ; RFC 8970 §6
 *   preview-mod     = "LAZY"
 *   fetch-att       =/ "SAVEDATE"                                             ; RFC 8514 §5
 *   fetch-att       =/ "EMAILID" / "THREADID"                                 ; RFC 8474 §7
 *
 * `PREVIEW (` is read as modifiers only when "LAZY" follows, so `FETCH 1 PREVIEW (CHANGEDSINCE 5)`
 * keeps its fetch modifiers.
 *
 * Section parts deeper than maxNesting are refused (`BODY[1.1.1…]`, IMAP-03).
 */
import { latin1 } from '../mutf7.ts';
import type { CommandReader } from '../reader.ts';
import type { SequenceSet } from '../sequence.ts';
import { SELECTED, type CommandSpec } from './spec.ts';

export type SectionText =
  | { readonly kind: 'HEADER' | 'TEXT' | 'MIME' }
  | { readonly kind: 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT'; readonly fields: readonly string[] };

export interface Section {
  /** Body part path, e.g. [1, 2] for "1.2"; empty for the whole message. */
  readonly part: readonly number[];
  readonly text?: SectionText;
}

/** `<offset.length>`: offset may lie past the end (then the data is empty, RFC 9051 §6.4.5). */
export interface FetchPartial {
  readonly offset: number;
  readonly length: number;
}

export type SimpleFetchItem =
  | 'ENVELOPE'
  | 'FLAGS'
  | 'INTERNALDATE'
  | 'RFC822.SIZE'
  | 'BODY'
  | 'BODYSTRUCTURE'
  | 'UID'
  | 'MODSEQ'
  | 'RFC822'
  | 'RFC822.HEADER'
  | 'RFC822.TEXT'
  | 'SAVEDATE'
  | 'EMAILID'
  | 'THREADID';

export type FetchAttribute =
  | { readonly type: SimpleFetchItem }
  /** RFC 8970: LAZY lets the server answer NIL rather than compute a preview now. */
  | { readonly type: 'PREVIEW'; readonly lazy: boolean }
  | {
      readonly type: 'BODY[]';
      readonly peek: boolean;
      readonly section: Section;
      readonly partial?: FetchPartial;
    }
  | {
      readonly type: 'BINARY[]';
      readonly peek: boolean;
      readonly part: readonly number[];
      readonly partial?: FetchPartial;
    }
  | { readonly type: 'BINARY.SIZE[]'; readonly part: readonly number[] };

export type FetchMacro = 'ALL' | 'FAST' | 'FULL';

export interface FetchCommand {
  readonly name: 'FETCH';
  readonly tag: string;
  readonly uid: boolean;
  readonly set: SequenceSet;
  /** The macro the client used, if any; `attributes` holds its expansion. */
  readonly macro?: FetchMacro;
  readonly attributes: readonly FetchAttribute[];
  /** CHANGEDSINCE (RFC 7162 §3.1.4.1). */
  readonly changedSince?: bigint;
  /** VANISHED (RFC 7162 §3.2.6): only with UID FETCH and CHANGEDSINCE. */
  readonly vanished: boolean;
}

const SIMPLE: ReadonlySet<string> = new Set<SimpleFetchItem>([
  'ENVELOPE',
  'FLAGS',
  'INTERNALDATE',
  'RFC822.SIZE',
  'BODY',
  'BODYSTRUCTURE',
  'UID',
  'MODSEQ',
  'RFC822',
  'RFC822.HEADER',
  'RFC822.TEXT',
  'SAVEDATE',
  'EMAILID',
  'THREADID',
]);

/** RFC 9051 §6.4.5 macros. */
export const FETCH_MACROS: Readonly<Record<FetchMacro, readonly SimpleFetchItem[]>> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

function sectionPart(r: CommandReader, parts: number[]): void {
  parts.push(r.nzNumber('section part'));
  if (parts.length > r.ctx.maxNesting) r.fail(`section nested deeper than ${r.ctx.maxNesting}`, 'nesting');
}

/** header-list = "(" header-fld-name *(SP header-fld-name) ")"; names are RFC 5322 ftext. */
function headerList(r: CommandReader): string[] {
  r.expect(0x28, '"(" of the header list');
  const fields: string[] = [];
  do {
    const bytes = r.astring('header field name');
    for (const b of bytes) if (b < 0x21 || b > 0x7e || b === 0x3a) r.fail('invalid header field name');
    fields.push(latin1(bytes));
  } while (r.trySp());
  r.expect(0x29, '")" closing the header list');
  return fields;
}

function section(r: CommandReader): Section {
  r.expect(0x5b, '"["');
  const part: number[] = [];
  let text: SectionText | undefined;
  if (r.peek() !== 0x5d) {
    for (;;) {
      if (isDigit(r.peek())) {
        sectionPart(r, part);
        if (r.peek() === 0x2e) {
          r.skip();
          continue;
        }
        break;
      }
      const w = r.word();
      if (w === 'HEADER' || w === 'TEXT') text = { kind: w };
      else if (w === 'MIME' && part.length > 0) text = { kind: 'MIME' };
      else if (w === 'HEADER.FIELDS' || w === 'HEADER.FIELDS.NOT') {
        r.sp();
        text = { kind: w, fields: headerList(r) };
      } else r.fail(w ? `unknown section ${w}` : 'expected a section');
      break;
    }
  }
  r.expect(0x5d, '"]" closing the section');
  return text ? { part, text } : { part };
}

function sectionBinary(r: CommandReader): number[] {
  r.expect(0x5b, '"["');
  const part: number[] = [];
  if (r.peek() !== 0x5d) {
    sectionPart(r, part);
    while (r.peek() === 0x2e) {
      r.skip();
      sectionPart(r, part);
    }
  }
  r.expect(0x5d, '"]" closing the section');
  return part;
}

function partial(r: CommandReader): FetchPartial | undefined {
  if (r.peek() !== 0x3c) return undefined;
  r.skip();
  const offset = r.number64('partial offset');
  r.expect(0x2e, '"." in partial');
  const length = r.nzNumber64('partial length');
  r.expect(0x3e, '">" closing partial');
  return { offset, length };
}

/** After PREVIEW: `SP "(" preview-mod *(SP preview-mod) ")"`, only when it starts with LAZY. */
function previewModifiers(r: CommandReader): boolean {
  if (r.peek() !== 0x20 || r.peek(1) !== 0x28) return false;
  const l = 'LAZY';
  for (let i = 0; i < l.length; i++) {
    const c = r.peek(2 + i);
    if (c < 0 || String.fromCharCode(c).toUpperCase() !== l[i]) return false;
  }
  const after = r.peek(2 + l.length);
  if (after !== 0x20 && after !== 0x29) return false;
  r.skip(2);
  let lazy = false;
  do {
    r.arg();
    const m = r.word();
    if (m !== 'LAZY' || lazy)
      r.fail(m ? `unknown or repeated preview modifier ${m}` : 'expected a preview modifier');
    lazy = true;
  } while (r.trySp());
  r.expect(0x29, '")" closing preview modifiers');
  return lazy;
}

function withPartial<T extends object>(
  value: T,
  p: FetchPartial | undefined,
): T & { partial?: FetchPartial } {
  return p ? { ...value, partial: p } : value;
}

export function parseFetchAttribute(r: CommandReader): FetchAttribute {
  r.arg();
  const w = r.word();
  const bracket = r.peek() === 0x5b;
  if (w === 'BODY' && bracket) {
    const s = section(r);
    return withPartial({ type: 'BODY[]', peek: false, section: s } as const, partial(r));
  }
  if (w === 'BODY.PEEK') {
    const s = section(r);
    return withPartial({ type: 'BODY[]', peek: true, section: s } as const, partial(r));
  }
  if (w === 'BINARY' || w === 'BINARY.PEEK') {
    const part = sectionBinary(r);
    return withPartial({ type: 'BINARY[]', peek: w === 'BINARY.PEEK', part } as const, partial(r));
  }
  if (w === 'PREVIEW' && !bracket) return { type: 'PREVIEW', lazy: previewModifiers(r) };
  if (w === 'BINARY.SIZE') return { type: 'BINARY.SIZE[]', part: sectionBinary(r) };
  if (SIMPLE.has(w) && !bracket) return { type: w as SimpleFetchItem };
  return r.fail(w ? `unknown fetch item ${w}` : 'expected a fetch item');
}

export const fetch: CommandSpec<FetchCommand> = {
  name: 'FETCH',
  states: SELECTED,
  uid: true,
  rfc: 'RFC 9051 §6.4.5, RFC 3516 §4.2, RFC 7162 §3.1.4',
  parse(r, head) {
    r.sp();
    const set = r.sequenceSet();
    r.sp();
    let macro: FetchMacro | undefined;
    const attributes: FetchAttribute[] = [];
    if (r.peek() === 0x28) {
      r.skip();
      do attributes.push(parseFetchAttribute(r));
      while (r.trySp());
      r.expect(0x29, '")" closing the fetch items');
    } else {
      for (const m of ['ALL', 'FAST', 'FULL'] as const) {
        if (r.tryWord(m)) macro = m;
      }
      if (macro) for (const type of FETCH_MACROS[macro]) attributes.push({ type });
      else attributes.push(parseFetchAttribute(r));
    }
    let changedSince: bigint | undefined;
    let vanished = false;
    if (r.trySp()) {
      r.expect(0x28, '"(" of fetch modifiers');
      do {
        r.arg();
        const mod = r.word();
        if (mod === 'CHANGEDSINCE' && changedSince === undefined) {
          r.sp();
          changedSince = r.modSeq(false);
        } else if (mod === 'VANISHED' && !vanished) {
          vanished = true;
        } else {
          r.fail(mod ? `unsupported or repeated fetch modifier ${mod}` : 'expected a fetch modifier');
        }
      } while (r.trySp());
      r.expect(0x29, '")" closing fetch modifiers');
    }
    r.end();
    // RFC 7162 §3.2.6: VANISHED only in UID FETCH, and only together with CHANGEDSINCE.
    if (vanished && (!head.uid || changedSince === undefined)) {
      r.fail('VANISHED needs UID FETCH and CHANGEDSINCE');
    }
    return {
      name: 'FETCH',
      tag: head.tag,
      uid: head.uid,
      set,
      ...(macro ? { macro } : {}),
      attributes,
      ...(changedSince !== undefined ? { changedSince } : {}),
      vanished,
    };
  },
};
