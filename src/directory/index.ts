export * from './address.ts';
export * from './password-policy.ts';
export * from './roles.ts';
export * from './settings.ts';
export * from './account-state.ts';
export { RESERVED_LOCAL_PARTS } from './address-registry.ts';
export { PasswordHasher, MAX_PASSWORD_BYTES, type HashParams } from './password-hash.ts';
export {
  cliCaller,
  authorise,
  systemCaller,
  resolveAccount,
  effectiveQuota,
  type Caller,
  type AccountView,
  type AccountRow,
  type OrgRow,
  type DirectoryContext,
} from './context.ts';
export { AGENCY_CATEGORIES, PROVINCE_CODE, type OrgView } from './org-service.ts';
export type { ReorgOperation, ReorgResult, ReorgStep, PlannedStep } from './reorganisation.ts';
export type { CreatePersonalInput, CreatePersonalResult } from './account-service.ts';
export type { SetPasswordResult } from './credentials.ts';
export {
  authMessage,
  type AuthStatus,
  type AuthResult,
  type AuthRequest,
  type AuthSettings,
} from './auth-service.ts';
export { networkOf } from './auth-throttle.ts';
export { recordAccess, listAccess, type AccessEvent, type AccessProtocol } from './access.ts';
export { Directory, type DirectoryOptions } from './directory.ts';
export { SessionService, sessionCaller, type SessionInfo, type SessionSettings } from './sessions.ts';
export type { AuthenticatedAccount } from './auth-service.ts';
export {
  DelegationService,
  delegatedMailboxes,
  delegationFor,
  delegatesOf,
  auditDelegationUse,
  parsePreset,
  presetOf,
  OWNER_RIGHTS,
  RIGHTS_PRESETS,
  type DelegatedMailbox,
  type DelegationView,
  type DelegationHistoryEntry,
  type RightsPreset,
} from './delegation.ts';
export {
  PublicDirectoryService,
  defaultPublicDirectorySettings,
  directoryWords,
  type PublicDirectorySettings,
  type PublicEntry,
  type PublicSearchResult,
  type HiddenEntry,
} from './public-directory.ts';
