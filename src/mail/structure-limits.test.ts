import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPart, indexMessage, listParts } from './structure.ts';
import type { MessageIndex, MimePart } from './structure.ts';

const crlf = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');
const slice = (raw: Buffer, a: number, b: number): string => raw.subarray(a, b).toString('utf8');
const bodyOf = (raw: Buffer, p: MimePart | undefined): string =>
  p ? slice(raw, p.bodyStart, p.end) : '<none>';
const numbers = (idx: MessageIndex): string[] =>
  listParts(idx).map((p) => `${p.partNumber}:${p.type}/${p.subtype}`);

/** Every offset inside the buffer and ordered, children inside their parent. */
function checkOffsets(idx: MessageIndex, size: number): void {
  const stack: Array<[MimePart, number, number]> = [[idx.root, 0, size]];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    const [p, lo, hi] = e;
    expect(p.headerStart).toBeGreaterThanOrEqual(lo);
    expect(p.headerStart).toBeLessThanOrEqual(p.bodyStart);
    expect(p.bodyStart).toBeLessThanOrEqual(p.end);
    expect(p.end).toBeLessThanOrEqual(hi);
    expect(p.size).toBe(p.end - p.bodyStart);
    for (const c of p.children) stack.push([c, p.bodyStart, p.end]);
  }
}

describe('indexMessage: limits (MIME-01, MIME-02)', () => {
  function nestedMultipart(depth: number): Buffer {
    let s = 'leaf';
    for (let i = depth - 1; i >= 0; i--) {
      s = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${i === depth - 1 ? '\r\n' : ''}${s}\r\n--b${i}--`;
    }
    return Buffer.from(s);
  }

  it('survives 1000-deep multipart nesting, expanding 100 levels', () => {
    const raw = nestedMultipart(1000);
    const idx = indexMessage(raw);
    expect(idx.limited).toBe(true);
    const parts = listParts(idx);
    expect(parts.length).toBe(101);
    const deepest = parts[parts.length - 1];
    expect([deepest?.type, deepest?.declaredType]).toEqual(['text', 'multipart/mixed']);
    expect(deepest?.partNumber).toBe(Array.from({ length: 100 }, () => '1').join('.'));
    checkOffsets(idx, raw.length);
  });

  it('honours a smaller maxDepth exactly', () => {
    const idx = indexMessage(nestedMultipart(5), { maxDepth: 2 });
    expect(numbers(idx)).toEqual([':multipart/mixed', '1:multipart/mixed', '1.1:text/plain']);
    expect(findPart(idx, '1.1')?.declaredType).toBe('multipart/mixed');
    const full = indexMessage(nestedMultipart(5));
    expect(numbers(full).at(-1)).toBe('1.1.1.1.1:text/plain');
    expect(full.limited).toBe(false);
  });

  it('survives message/rfc822 nested 1000 deep', () => {
    let s = 'Subject: bottom\r\n\r\nleaf';
    for (let i = 0; i < 1000; i++) s = `Subject: ${i}\r\nContent-Type: message/rfc822\r\n\r\n${s}`;
    const raw = Buffer.from(s);
    const idx = indexMessage(raw);
    expect(idx.limited).toBe(true);
    expect(listParts(idx).length).toBe(101);
    expect(listParts(idx).at(-1)?.type).toBe('application');
    checkOffsets(idx, raw.length);
  });

  it('caps 20,000 sibling parts at 10,000 and puts the rest into the last part', () => {
    const parts = Array.from({ length: 20_000 }, (_, i) => `--s\r\n\r\np${i}`).join('\r\n');
    const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=s\r\n\r\n${parts}\r\n--s--\r\n`);
    const idx = indexMessage(raw);
    expect(idx.partCount).toBe(10_000);
    expect(idx.root.children.length).toBe(9_999);
    expect(idx.limited).toBe(true);
    const last = idx.root.children.at(-1);
    expect(bodyOf(raw, last)).toMatch(/^p9998\r\n--s\r\n\r\np9999\r\n[\s\S]*p19999\r\n--s--\r\n$/);
    expect(bodyOf(raw, idx.root.children[0])).toBe('p0');
  });

  it('caps exactly at maxParts without losing a close delimiter', () => {
    const raw = crlf(
      'Content-Type: multipart/mixed; boundary=s',
      '',
      '--s',
      '',
      'a',
      '--s',
      '',
      'b',
      '--s--',
      'epi',
    );
    const idx = indexMessage(raw, { maxParts: 3 });
    expect(numbers(idx)).toEqual([':multipart/mixed', '1:text/plain', '2:text/plain']);
    expect(bodyOf(raw, findPart(idx, '2'))).toBe('b');
    expect(idx.limited).toBe(false);
    const capped = indexMessage(raw, { maxParts: 2 });
    expect(bodyOf(raw, findPart(capped, '1'))).toBe('a\r\n--s\r\n\r\nb\r\n--s--\r\nepi');
    expect(capped.limited).toBe(true);
  });

  it('parses a header of 80,000 To lines and a 2 MB folded field linearly', () => {
    const many = Buffer.from(`${'To: a@b.vn\r\n'.repeat(80_000)}Subject: after\r\n\r\nbody`);
    const idx = indexMessage(many);
    expect(idx.root.envelope?.subject).toBe('after');
    expect(bodyOf(many, idx.root)).toBe('body');
    const folded = Buffer.from(`Subject: start${'\r\n x'.repeat(700_000)}\r\nFrom: a@b\r\n\r\nbody`);
    const big = indexMessage(folded);
    expect(big.limited).toBe(true);
    expect(big.root.envelope?.subject).toBeNull(); // cut by the 1 MiB limit: dropped whole
    expect(bodyOf(folded, big.root)).toBe('body');
  });
});

describe('indexMessage: properties', () => {
  it('never throws on random bytes; offsets stay inside the buffer and ordered', () => {
    const alphabet = [
      '\r\n',
      '\n',
      '--b',
      '--b--',
      'Content-Type: multipart/mixed; boundary=b',
      ': ',
      ' ',
      'x',
      '\u00e9',
    ];
    const noise = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
      fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }).map((a) => Buffer.from(a.join(''))),
    );
    fc.assert(
      fc.property(noise, (raw) => {
        const idx = indexMessage(raw);
        checkOffsets(idx, raw.length);
      }),
      { numRuns: 300 },
    );
  });

  interface Tree {
    readonly leaf?: string;
    readonly kids?: readonly Tree[];
  }
  const tree = fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.stringMatching(/^[a-z .\r\n]{0,30}$/).map((leaf) => ({ leaf })),
      fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((kids) => ({ kids })),
    ),
  })).node;

  function render(t: Tree, id: { n: number }, eol: string): string {
    if (t.leaf !== undefined) return `Content-Type: text/plain${eol}${eol}${t.leaf}`;
    const b = `=_b${id.n++}`;
    const kids = (t.kids ?? []).map((k) => `--${b}${eol}${render(k, id, eol)}`).join(eol);
    return `Content-Type: multipart/mixed; boundary="${b}"${eol}${eol}preamble${eol}${kids}${eol}--${b}--${eol}epilogue`;
  }

  function expected(t: Tree, number: string, out: Array<[string, string]>): void {
    if (t.leaf !== undefined) out.push([number === '' ? '1' : number, t.leaf]);
    else
      (t.kids ?? []).forEach((k, i) => expected(k, number === '' ? `${i + 1}` : `${number}.${i + 1}`, out));
  }

  const checkTree = (t: Tree, eol: string): void => {
    const raw = Buffer.from(render(t, { n: 0 }, eol));
    const idx = indexMessage(raw);
    const want: Array<[string, string]> = [];
    expected(t, '', want);
    const got = listParts(idx)
      .filter((p) => p.type === 'text')
      .map((p): [string, string] => [p.partNumber, bodyOf(raw, p)]);
    expect(got).toEqual(want);
    for (const [num, body] of want) expect(bodyOf(raw, findPart(idx, num))).toBe(body);
  };

  it('finds every leaf of a generated MIME tree at its part number with its exact body', () => {
    fc.assert(
      fc.property(tree, (t) => checkTree(t, '\r\n')),
      { numRuns: 200 },
    );
  });

  it('does the same with bare LF line endings', () => {
    const noCr = (t: Tree): Tree =>
      t.leaf !== undefined ? { leaf: t.leaf.replace(/\r/g, '') } : { kids: (t.kids ?? []).map(noCr) };
    fc.assert(
      fc.property(tree, (t) => checkTree(noCr(t), '\n')),
      { numRuns: 200 },
    );
  });

  it('is plain JSON data: a stored and reloaded index equals the original', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const raw = Buffer.from(render(t, { n: 0 }, '\r\n'));
        const idx = indexMessage(raw);
        const stored = JSON.parse(JSON.stringify(idx)) as typeof idx;
        expect(stored).toEqual(idx);
      }),
      { numRuns: 50 },
    );
  });
});
