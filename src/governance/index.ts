export * from './calendar/index.ts';
export { CalendarService, type YearView } from './calendar-service.ts';
export * from './lifecycle-dates.ts';
export { LEGAL_BASIS, type LifecycleKind } from './lifecycle-texts.ts';
export { NoticeService, placeAndDate, type NoticeSettings, type IssuedNotice } from './notices.ts';
export {
  LifecycleService,
  type LifecycleAction,
  type LifecycleDeps,
  type LifecycleReport,
} from './lifecycle-service.ts';
export { ExemptionService, MAX_EXEMPTION_DAYS, type Exemption, type ExemptionInput } from './exemptions.ts';
export { CompromiseService, type CompromiseReport } from './compromise.ts';
export { Governance, governanceFor, publicWebUrl, type GovernanceSystem } from './governance.ts';
export * from './requests/index.ts';
export * from './checking/index.ts';
export * from './reports/index.ts';
export * from './faults/index.ts';
export * from './incidents/index.ts';
