/**
 * The states of a mailbox request and the only transitions between them (Điều 7.2, 8.3), as a
 * pure function with bilingual refusals:
 *
 *   filed ──review──▶ in-review ──approve──▶ approved   (final: the change is executed, a letter sent)
 *     │                  │       ──reject───▶ rejected   (final: a letter with the reason)
 *     └──withdraw──┬─────┘
 *                  ▼
 *              withdrawn (final: the agency took it back before the decision; no letter)
 *
 * Deciding needs the review step first: the operator "phân loại, xử lý" (classifies, handles)
 * before answering (Điều 7.2.b), and the review records who handles it.
 */
import { conflict } from '../../util/errors.ts';
import type { RequestState } from '../../store/index.ts';

export type { RequestState };
export type RequestEvent = 'review' | 'approve' | 'reject' | 'withdraw';

export const REQUEST_STATES: readonly RequestState[] = [
  'filed',
  'in-review',
  'approved',
  'rejected',
  'withdrawn',
];
export const REQUEST_EVENTS: readonly RequestEvent[] = ['review', 'approve', 'reject', 'withdraw'];

const TRANSITIONS: Record<RequestState, Partial<Record<RequestEvent, RequestState>>> = {
  filed: { review: 'in-review', withdraw: 'withdrawn' },
  'in-review': { approve: 'approved', reject: 'rejected', withdraw: 'withdrawn' },
  approved: {},
  rejected: {},
  withdrawn: {},
};

export const STATE_VI: Record<RequestState, string> = {
  filed: 'đã tiếp nhận',
  'in-review': 'đang xử lý',
  approved: 'đã chấp thuận',
  rejected: 'đã từ chối',
  withdrawn: 'đã rút',
};

const EVENT_VI: Record<RequestEvent, string> = {
  review: 'nhận xử lý',
  approve: 'chấp thuận',
  reject: 'từ chối',
  withdraw: 'rút',
};

/** Open states: the deadline runs. */
export function isOpen(state: RequestState): boolean {
  return state === 'filed' || state === 'in-review';
}

/** The state after `event`, or a conflict error naming both states. */
export function nextRequestState(from: RequestState, event: RequestEvent): RequestState {
  const to = TRANSITIONS[from][event];
  if (!to)
    throw conflict(
      'request.bad-transition',
      from === 'filed' && (event === 'approve' || event === 'reject')
        ? `Không thể ${EVENT_VI[event]} đề nghị chưa được nhận xử lý; hãy nhận xử lý (review) trước.`
        : `Không thể ${EVENT_VI[event]} đề nghị ${STATE_VI[from]}.`,
      from === 'filed' && (event === 'approve' || event === 'reject')
        ? `Cannot ${event} a request that is not in review; take it in review first.`
        : `Cannot ${event} a request that is ${from}.`,
      { from, event },
    );
  return to;
}
