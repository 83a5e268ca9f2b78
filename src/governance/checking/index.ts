export {
  complianceCsv,
  computeCompliance,
  localMinutes,
  missedText,
  personalChecks,
  type CheckAccess,
  type CheckedMailbox,
  type CheckingRule,
  type CheckingSettings,
  type CheckName,
  type CheckWindow,
  type MailboxCompliance,
  type MissedDay,
} from './compute.ts';
export {
  CheckingService,
  MAX_REPORT_DAYS,
  type CheckingQuery,
  type CheckingReport,
} from './checking-service.ts';
