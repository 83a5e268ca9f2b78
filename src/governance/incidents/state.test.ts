// The incident state machine, exhaustively: every state × every event, allowed or refused with a
// bilingual conflict.
import { describe, expect, it } from 'vitest';
import { isCongthuError } from '../../util/errors.ts';
import {
  INCIDENT_EVENTS,
  INCIDENT_STATES,
  isOpenIncident,
  nextIncidentState,
  type IncidentEvent,
  type IncidentState,
} from './state.ts';

const EXPECTED: Record<IncidentState, Partial<Record<IncidentEvent, IncidentState>>> = {
  reported: { contain: 'contained' },
  contained: { contain: 'contained', assess: 'assessed' },
  assessed: { contain: 'assessed', close: 'closed' },
  closed: {},
};

describe('incident state machine', () => {
  for (const from of INCIDENT_STATES)
    for (const event of INCIDENT_EVENTS) {
      const to = EXPECTED[from][event];
      it(`${from} --${event}--> ${to ?? 'refused'}`, () => {
        if (to) return expect(nextIncidentState(from, event)).toBe(to);
        let err: unknown;
        try {
          nextIncidentState(from, event);
        } catch (e) {
          err = e;
        }
        expect(isCongthuError(err)).toBe(true);
        if (!isCongthuError(err)) return;
        expect(err.kind).toBe('conflict');
        expect(err.code).toBe('incident.bad-transition');
        expect(err.details).toEqual({ from, event });
        expect(err.text.vi).toMatch(/^Không thể /);
        expect(err.text.en).toMatch(new RegExp(`^Cannot ${event} an incident that is ${from}`));
      });
    }

  it('says what comes first, in both languages', () => {
    expect(() => nextIncidentState('reported', 'assess')).toThrow(
      /cách ly \(contain\) trước.*contain it first/,
    );
    expect(() => nextIncidentState('contained', 'close')).toThrow(
      /đánh giá \(assess\) trước.*assess it first/,
    );
  });

  it('only closed is final', () => {
    expect(INCIDENT_STATES.filter((s) => !isOpenIncident(s))).toEqual(['closed']);
  });

  it('every state is reachable from reported', () => {
    const seen = new Set<IncidentState>(['reported']);
    const queue: IncidentState[] = ['reported'];
    while (queue.length) {
      const s = queue.shift()!;
      for (const e of INCIDENT_EVENTS) {
        let t: IncidentState;
        try {
          t = nextIncidentState(s, e);
        } catch {
          continue;
        }
        if (!seen.has(t)) {
          seen.add(t);
          queue.push(t);
        }
      }
    }
    expect([...seen].sort()).toEqual([...INCIDENT_STATES].sort());
  });
});
