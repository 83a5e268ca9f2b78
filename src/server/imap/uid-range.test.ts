import { describe, expect, it } from 'vitest';
import { denseUidRange } from './uid-range.ts';

describe('denseUidRange', () => {
  it('scans a range when the batch is dense, in any order', () => {
    expect(denseUidRange([1, 2, 3, 5, 8])).toEqual([1, 8]);
    expect(denseUidRange([9, 7, 8])).toEqual([7, 9]);
    expect(denseUidRange([4294967295])).toEqual([4294967295, 4294967295]);
  });
  it('looks sparse batches up by value', () => {
    expect(denseUidRange([1, 500, 100000])).toBeNull();
    expect(denseUidRange([])).toBeNull();
  });
});
