export {
  FAULT_ACTIONS,
  FAULT_STANDINGS,
  FAULT_STATES,
  FAULT_STATE_TEXT,
  faultTransition,
  isFaultOpen,
  type FaultAction,
  type FaultStanding,
  type FaultState,
  type FaultTransition,
} from './fault-state.ts';
export {
  FaultService,
  MAX_DESCRIPTION,
  MAX_NOTE,
  MAX_SUBJECT,
  type FaultEventView,
  type FaultListQuery,
  type FaultSettings,
  type FaultView,
} from './fault-service.ts';
