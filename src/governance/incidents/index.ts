/** Classified-document incidents (Điều 10.4, 11.3): report, containment, assessment, evidence. */
export {
  IncidentService,
  type IncidentDeps,
  type IncidentFilter,
  type IncidentOutbound,
  type ReportInput,
} from './incident-service.ts';
export {
  INCIDENT_EVENTS,
  INCIDENT_STATES,
  isOpenIncident,
  nextIncidentState,
  type IncidentEvent,
  type IncidentState,
} from './state.ts';
export { chainIntact } from './custody.ts';
export type { IncidentDetail, IncidentView, EvidenceItem } from './views.ts';
