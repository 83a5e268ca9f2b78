/** Mailbox requests with legal deadlines and numbered reply letters (Điều 7.2, 8.3). */
export {
  RequestService,
  type FileRequestInput,
  type RequestDeps,
  type RequestFilter,
  type RequestSettings,
  type SweepReport,
} from './request-service.ts';
export {
  ActivationService,
  ACTIVATION_HOURS,
  type ActivationInfo,
  type ActivationSettings,
} from './activation.ts';
export { REQUEST_KINDS, DELETE_REASONS, type RequestKind, type DeleteReason } from './kinds.ts';
export { REQUEST_STATES, nextRequestState, isOpen, type RequestEvent, type RequestState } from './state.ts';
export { ANSWER_WORKING_DAYS, RESTORE_WORKING_DAYS, deadlineFor, progressOf } from './deadlines.ts';
export { BASIS_TYPES, sniffBasisType, checkBasisFile } from './basis-file.ts';
export { buildLetter, letterHtml, letterText, type LetterContent } from './letter.ts';
export { letterPdf } from './letter-pdf.ts';
export type { RequestView } from './views.ts';
