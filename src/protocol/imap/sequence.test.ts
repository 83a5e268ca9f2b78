import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compressNumbers,
  formatIntervals,
  formatSequenceSet,
  intervalsContain,
  intervalsSize,
  iterateIntervals,
  MAX_SEQ_NUMBER,
  parseSequenceSet,
  resolveSequenceSet,
  sequenceSetContains,
  sequenceSetFromNumbers,
  sequenceSetUsesStar,
  type SequenceSet,
} from './sequence.ts';

function parsed(text: string): SequenceSet & { kind: 'set' } {
  const r = parseSequenceSet(text);
  if (!r.ok) throw new Error(r.error);
  if (r.value.kind !== 'set') throw new Error('not a set');
  return r.value;
}

describe('parseSequenceSet (RFC 9051 §9 sequence-set)', () => {
  it('reads numbers, ranges, "*" and lists', () => {
    expect(parsed('1').ranges).toEqual([{ start: 1, end: 1 }]);
    expect(parsed('2:4,7,9:*').ranges).toEqual([
      { start: 2, end: 4 },
      { start: 7, end: 7 },
      { start: 9, end: '*' },
    ]);
    expect(parsed('*:5').ranges).toEqual([{ start: '*', end: 5 }]);
    expect(parsed('*').ranges).toEqual([{ start: '*', end: '*' }]);
  });

  it('accepts 4294967295 and refuses 0, 4294967296 and leading zeros (IMAP-04)', () => {
    expect(parsed('4294967295').ranges).toEqual([{ start: MAX_SEQ_NUMBER, end: MAX_SEQ_NUMBER }]);
    expect(parsed('1:4294967295').ranges).toEqual([{ start: 1, end: 4294967295 }]);
    for (const bad of ['0', '4294967296', '1:4294967296', '0:5', '01', '99999999999999999999', '1:0']) {
      expect(parseSequenceSet(bad).ok, bad).toBe(false);
    }
  });

  it('refuses malformed sets', () => {
    for (const bad of [
      '',
      ',',
      '1,',
      ',1',
      '1::2',
      '1:2:3',
      ':',
      '1:',
      'a',
      '1 2',
      '-1',
      '+1',
      '1.5',
      '$,1',
      '1,$',
    ]) {
      expect(parseSequenceSet(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('knows "$" (RFC 5182) and honours allowStar/allowSaved/maxRanges', () => {
    expect(parseSequenceSet('$')).toEqual({ ok: true, value: { kind: 'saved' } });
    expect(parseSequenceSet('$', { allowSaved: false }).ok).toBe(false);
    expect(parseSequenceSet('1:*', { allowStar: false }).ok).toBe(false);
    expect(parseSequenceSet('1:5', { allowStar: false }).ok).toBe(true);
    expect(parseSequenceSet('1,2,3', { maxRanges: 2 }).ok).toBe(false);
  });

  it('round-trips through formatSequenceSet', () => {
    for (const s of ['1', '1:3,5,7:*', '*:5', '$', '4294967295']) {
      const r = parseSequenceSet(s);
      expect(r.ok && formatSequenceSet(r.value)).toBe(s);
    }
  });
});

describe('resolveSequenceSet', () => {
  it('puts reversed ranges right and merges (RFC 9051 §9: 4:2 is 2:4)', () => {
    expect(resolveSequenceSet(parsed('4:2'), { star: 10 })).toEqual([[2, 4]]);
    expect(resolveSequenceSet(parsed('5,1:3,4,9:7'), { star: 10 })).toEqual([
      [1, 5],
      [7, 9],
    ]);
  });

  it('replaces "*" and clamps to max (SEARCH 6:* on 5 messages is 5, IMAP-04)', () => {
    expect(resolveSequenceSet(parsed('6:*'), { star: 5, max: 5 })).toEqual([[5, 5]]);
    expect(resolveSequenceSet(parsed('*:5'), { star: 3 })).toEqual([[3, 5]]);
    expect(resolveSequenceSet(parsed('1:*'), { star: 0, max: 0 })).toEqual([]);
    // UID 4294967295:* is the highest UID in use (RFC 9051 §6.4.8 "559:*").
    expect(resolveSequenceSet(parsed('4294967295:*'), { star: 1234 })).toEqual([[1234, 4294967295]]);
  });

  it('keeps 1:4294967295 as one interval: no expansion, lazy iteration', () => {
    const ivs = resolveSequenceSet(parsed('1:4294967295'), { star: 7 });
    expect(ivs).toEqual([[1, 4294967295]]);
    expect(intervalsSize(ivs)).toBe(4294967295);
    const it = iterateIntervals(ivs);
    expect([it.next().value, it.next().value, it.next().value]).toEqual([1, 2, 3]);
    expect(intervalsContain(ivs, 4294967295)).toBe(true);
    expect(intervalsContain(ivs, 0)).toBe(false);
  });

  it('handles 100,000 comma ranges (a million numbers) without expanding them', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `${i * 20 + 1}:${i * 20 + 10}`).join(',');
    const ivs = resolveSequenceSet(parsed(text), { star: 1 });
    expect(ivs.length).toBe(100_000);
    expect(intervalsSize(ivs)).toBe(1_000_000);
    expect(intervalsContain(ivs, 1_999_990)).toBe(true);
    expect(intervalsContain(ivs, 1_999_991)).toBe(false);
  });

  it('agrees with a naive expansion (property)', () => {
    const range = fc.record({
      start: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constant('*' as const)),
      end: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constant('*' as const)),
    });
    fc.assert(
      fc.property(
        fc.array(range, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 70 }),
        (ranges, star) => {
          const set = { kind: 'set' as const, ranges };
          const naive = new Set<number>();
          for (const r of ranges) {
            const a = r.start === '*' ? star : r.start;
            const b = r.end === '*' ? star : r.end;
            for (let n = Math.min(a, b); n <= Math.max(a, b); n++) if (n >= 1) naive.add(n);
          }
          const ivs = resolveSequenceSet(set, { star });
          expect([...iterateIntervals(ivs)]).toEqual([...naive].sort((x, y) => x - y));
          const wanted = Array.from({ length: 71 }, (_, n) => naive.has(n));
          expect(wanted.map((_, n) => intervalsContain(ivs, n))).toEqual(wanted);
          expect(wanted.map((_, n) => sequenceSetContains(set, n, star))).toEqual(wanted);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('compressNumbers (UIDPLUS COPYUID, ESEARCH ALL)', () => {
  it('compresses runs and keeps order', () => {
    expect(compressNumbers([1, 2, 3, 5, 7, 8, 9])).toBe('1:3,5,7:9');
    expect(compressNumbers([])).toBe('');
    expect(compressNumbers([4294967294, 4294967295])).toBe('4294967294:4294967295');
    expect(compressNumbers([5, 3, 4])).toBe('5,3:4');
    expect(formatSequenceSet(sequenceSetFromNumbers([3, 4, 5, 9]))).toBe('3:5,9');
    expect(
      formatIntervals([
        [1, 1],
        [3, 9],
      ]),
    ).toBe('1,3:9');
  });

  it('refuses numbers outside 1..4294967295', () => {
    expect(() => compressNumbers([0])).toThrow(RangeError);
    expect(() => compressNumbers([4294967296])).toThrow(RangeError);
    expect(() => sequenceSetFromNumbers([1.5])).toThrow(RangeError);
  });

  it('round-trips sorted sets (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: MAX_SEQ_NUMBER }), { maxLength: 50 }), (nums) => {
        const sorted = [...nums].sort((a, b) => a - b);
        const text = compressNumbers(sorted);
        if (sorted.length === 0) {
          expect(text).toBe('');
          return;
        }
        const ivs = resolveSequenceSet(parsed(text), { star: 1 });
        expect(intervalsSize(ivs)).toBe(sorted.length);
        for (const n of sorted) expect(intervalsContain(ivs, n)).toBe(true);
        // no two adjacent ranges could be merged: it is the shortest form
        expect(text.split(',').length).toBe(ivs.length);
      }),
    );
  });

  it('sequenceSetUsesStar', () => {
    expect(sequenceSetUsesStar(parsed('1:*'))).toBe(true);
    expect(sequenceSetUsesStar(parsed('1:5'))).toBe(false);
    expect(sequenceSetUsesStar({ kind: 'saved' })).toBe(false);
  });
});
