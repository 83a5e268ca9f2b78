/**
 * The life of a fault report (Điều 10.5, 11.4: a user "thông báo với cán bộ đầu mối phụ trách
 * công nghệ thông tin của đơn vị mình để liên hệ, đề nghị Sở Khoa học và Công nghệ khắc phục"),
 * as one pure transition function.
 *
 *   reported ──acknowledge──▶ acknowledged ──escalate──▶ escalated
 *      │  └──────────────escalate──────────────────────────▲  │
 *      └─resolve─▶ resolved ◀──resolve── acknowledged        └─resolve (operator)─▶ resolved
 *                  resolved ──close──▶ closed
 *
 * Who (`by`, the caller's standing towards the fault):
 * - the agency's IT contact (role agency-admin of the fault's agency) acknowledges, escalates to
 *   the operator, and resolves what it has not escalated;
 * - the operator (Sở KH&CN) may do everything except escalate (it is the last level): it handles
 *   escalated faults and may take any open fault directly (an agency without an IT contact);
 * - the reporter closes a resolved fault (confirming the fix), as may its IT contact or the operator.
 * Closed is final; a fault that comes back is reported again.
 */
export const FAULT_STATES = ['reported', 'acknowledged', 'escalated', 'resolved', 'closed'] as const;
export type FaultState = (typeof FAULT_STATES)[number];

export const FAULT_ACTIONS = ['acknowledge', 'escalate', 'resolve', 'close'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

export type FaultStanding = 'reporter' | 'it-contact' | 'operator';
export const FAULT_STANDINGS: readonly FaultStanding[] = ['reporter', 'it-contact', 'operator'];

interface Rule {
  from: readonly FaultState[];
  to: FaultState;
  by: readonly FaultStanding[];
}

const RULES: Record<FaultAction, readonly Rule[]> = {
  acknowledge: [{ from: ['reported'], to: 'acknowledged', by: ['it-contact', 'operator'] }],
  escalate: [{ from: ['reported', 'acknowledged'], to: 'escalated', by: ['it-contact'] }],
  resolve: [
    { from: ['reported', 'acknowledged'], to: 'resolved', by: ['it-contact', 'operator'] },
    { from: ['escalated'], to: 'resolved', by: ['operator'] },
  ],
  close: [{ from: ['resolved'], to: 'closed', by: ['reporter', 'it-contact', 'operator'] }],
};

export type FaultTransition = { ok: true; to: FaultState } | { ok: false; reason: 'state' | 'standing' };

/**
 * The state after `action` by someone of `standing`, or why not: 'state' when the action does not
 * apply to the current state at all, 'standing' when it does but not for this person.
 */
export function faultTransition(
  state: FaultState,
  action: FaultAction,
  standing: FaultStanding,
): FaultTransition {
  const applicable = RULES[action].filter((r) => r.from.includes(state));
  if (applicable.length === 0) return { ok: false, reason: 'state' };
  const rule = applicable.find((r) => r.by.includes(standing));
  return rule ? { ok: true, to: rule.to } : { ok: false, reason: 'standing' };
}

export function isFaultOpen(state: FaultState): boolean {
  return state !== 'resolved' && state !== 'closed';
}

export const FAULT_STATE_TEXT: Record<FaultState, { vi: string; en: string }> = {
  reported: { vi: 'đã báo', en: 'reported' },
  acknowledged: { vi: 'đã tiếp nhận', en: 'acknowledged' },
  escalated: { vi: 'đã chuyển Sở Khoa học và Công nghệ', en: 'escalated to the operator' },
  resolved: { vi: 'đã khắc phục', en: 'resolved' },
  closed: { vi: 'đã đóng', en: 'closed' },
};
