/**
 * The states of a classified-document incident (Điều 10.4, 11.3) and the only transitions between
 * them, as a pure function with bilingual refusals:
 *
 *   reported ──contain──▶ contained ──assess──▶ assessed ──close──▶ closed (final)
 *                            │  ▲                  │  ▲
 *                            └──┘ contain          └──┘ contain
 *
 * `contain` again in contained or assessed is a new sweep: it quarantines copies delivered since
 * (and changes nothing when there are none); the state stays. An incident is assessed only after it
 * is contained (the document is removed "kịp thời" first), and closed only after the assessment.
 */
import { conflict } from '../../util/errors.ts';
import type { IncidentState } from '../../store/index.ts';

export type { IncidentState };
export type IncidentEvent = 'contain' | 'assess' | 'close';

export const INCIDENT_STATES: readonly IncidentState[] = ['reported', 'contained', 'assessed', 'closed'];
export const INCIDENT_EVENTS: readonly IncidentEvent[] = ['contain', 'assess', 'close'];

const TRANSITIONS: Record<IncidentState, Partial<Record<IncidentEvent, IncidentState>>> = {
  reported: { contain: 'contained' },
  contained: { contain: 'contained', assess: 'assessed' },
  assessed: { contain: 'assessed', close: 'closed' },
  closed: {},
};

export const INCIDENT_STATE_VI: Record<IncidentState, string> = {
  reported: 'đã báo cáo',
  contained: 'đã cách ly',
  assessed: 'đã đánh giá',
  closed: 'đã đóng',
};

const EVENT_VI: Record<IncidentEvent, string> = {
  contain: 'cách ly',
  assess: 'ghi đánh giá cho',
  close: 'đóng',
};

const NEEDS: Partial<Record<IncidentEvent, { vi: string; en: string }>> = {
  assess: { vi: 'hãy cách ly (contain) trước', en: 'contain it first' },
  close: { vi: 'hãy ghi đánh giá (assess) trước', en: 'assess it first' },
};

/** Open incidents: the document may still be somewhere it should not be. */
export function isOpenIncident(state: IncidentState): boolean {
  return state !== 'closed';
}

/** The state after `event`, or a conflict error naming both. */
export function nextIncidentState(from: IncidentState, event: IncidentEvent): IncidentState {
  const to = TRANSITIONS[from][event];
  if (to) return to;
  const needs = from !== 'closed' ? NEEDS[event] : undefined;
  throw conflict(
    'incident.bad-transition',
    `Không thể ${EVENT_VI[event]} sự cố ${INCIDENT_STATE_VI[from]}${needs ? `; ${needs.vi}` : ''}.`,
    `Cannot ${event} an incident that is ${from}${needs ? `; ${needs.en}` : ''}.`,
    { from, event },
  );
}
