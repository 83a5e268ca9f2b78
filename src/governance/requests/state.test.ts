// The request state machine, exhaustively: every state × every event, allowed or refused with a
// bilingual conflict that changes nothing.
import { describe, expect, it } from 'vitest';
import { isCongthuError } from '../../util/errors.ts';
import {
  isOpen,
  nextRequestState,
  REQUEST_EVENTS,
  REQUEST_STATES,
  type RequestEvent,
  type RequestState,
} from './state.ts';

const EXPECTED: Record<RequestState, Partial<Record<RequestEvent, RequestState>>> = {
  filed: { review: 'in-review', withdraw: 'withdrawn' },
  'in-review': { approve: 'approved', reject: 'rejected', withdraw: 'withdrawn' },
  approved: {},
  rejected: {},
  withdrawn: {},
};

describe('request state machine', () => {
  for (const from of REQUEST_STATES)
    for (const event of REQUEST_EVENTS) {
      const to = EXPECTED[from][event];
      it(`${from} --${event}--> ${to ?? 'refused'}`, () => {
        if (to) return expect(nextRequestState(from, event)).toBe(to);
        let err: unknown;
        try {
          nextRequestState(from, event);
        } catch (e) {
          err = e;
        }
        expect(isCongthuError(err)).toBe(true);
        if (!isCongthuError(err)) return;
        expect(err.kind).toBe('conflict');
        expect(err.code).toBe('request.bad-transition');
        expect(err.details).toEqual({ from, event });
        expect(err.text.vi).toMatch(/^Không thể /);
        expect(err.text.en).toMatch(new RegExp(`^Cannot ${event} a request`));
      });
    }

  it('approving a filed request says to review it first, in both languages', () => {
    expect(() => nextRequestState('filed', 'approve')).toThrow(
      /nhận xử lý \(review\) trước.*take it in review/,
    );
  });

  it('only filed and in-review are open (the deadline runs)', () => {
    expect(REQUEST_STATES.filter(isOpen)).toEqual(['filed', 'in-review']);
  });

  it('every final state is reachable from filed', () => {
    const seen = new Set<RequestState>(['filed']);
    const queue: RequestState[] = ['filed'];
    while (queue.length) {
      const s = queue.shift()!;
      for (const e of REQUEST_EVENTS) {
        let t: RequestState;
        try {
          t = nextRequestState(s, e);
        } catch {
          continue;
        }
        if (seen.has(t)) continue;
        seen.add(t);
        queue.push(t);
      }
    }
    expect([...seen].sort()).toEqual([...REQUEST_STATES].sort());
  });
});
