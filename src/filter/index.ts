/**
 * Public surface of src/filter: message checks (the plug-in point for rspamd and clamd), sender
 * authentication (SPF/DKIM/DMARC/ARC) and its policy, relay rules, send-as rules, and the
 * handling of Authentication-Results fields.
 */
export {
  runChecks,
  type MessageCheck,
  type CheckInput,
  type ChecksOutcome,
  type SenderAuthentication,
  type Verdict,
} from './message-check.ts';
export { DelegatedSendAsPolicy, OwnAddressesPolicy, type SendAsPolicy } from './send-as.ts';
export { routeRecipient, isLocalDomain, asciiDomain, type Route } from './relay.ts';
export { stripForgedAuthResults, authservId, countReceived } from './auth-results.ts';
export {
  SenderAuthenticator,
  DmarcPolicyCheck,
  type DnsResolver,
  type AuthenticateInput,
  type AuthenticateOutput,
} from './sender-auth.ts';
