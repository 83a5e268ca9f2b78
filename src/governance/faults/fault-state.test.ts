// The fault state machine, exhaustively: every state × action × standing, written out.
import { describe, expect, it } from 'vitest';
import { FAULT_ACTIONS, FAULT_STANDINGS, FAULT_STATES, faultTransition, isFaultOpen } from './fault-state.ts';

// state → action → [reporter, it-contact, operator]: the next state, '.' (not for this person),
// or 'x' (the action does not apply to the state).
const EXPECTED = {
  reported: {
    acknowledge: ['.', 'acknowledged', 'acknowledged'],
    escalate: ['.', 'escalated', '.'],
    resolve: ['.', 'resolved', 'resolved'],
    close: ['x', 'x', 'x'],
  },
  acknowledged: {
    acknowledge: ['x', 'x', 'x'],
    escalate: ['.', 'escalated', '.'],
    resolve: ['.', 'resolved', 'resolved'],
    close: ['x', 'x', 'x'],
  },
  escalated: {
    acknowledge: ['x', 'x', 'x'],
    escalate: ['x', 'x', 'x'],
    resolve: ['.', '.', 'resolved'],
    close: ['x', 'x', 'x'],
  },
  resolved: {
    acknowledge: ['x', 'x', 'x'],
    escalate: ['x', 'x', 'x'],
    resolve: ['x', 'x', 'x'],
    close: ['closed', 'closed', 'closed'],
  },
  closed: {
    acknowledge: ['x', 'x', 'x'],
    escalate: ['x', 'x', 'x'],
    resolve: ['x', 'x', 'x'],
    close: ['x', 'x', 'x'],
  },
} as const;

describe('fault state machine (Điều 10.5, 11.4)', () => {
  for (const state of FAULT_STATES)
    for (const action of FAULT_ACTIONS)
      it(`${state} ${action}`, () => {
        const got = FAULT_STANDINGS.map((by) => {
          const t = faultTransition(state, action, by);
          return t.ok ? t.to : t.reason === 'state' ? 'x' : '.';
        });
        expect(got).toEqual(EXPECTED[state][action]);
      });

  it('open states are those still to be fixed', () => {
    expect(FAULT_STATES.filter(isFaultOpen)).toEqual(['reported', 'acknowledged', 'escalated']);
  });
});
