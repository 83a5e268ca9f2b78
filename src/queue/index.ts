/**
 * Public surface of src/queue: the outbound queue for mail to other domains (issue 3 item 5).
 * Persisted in the store (migration 0003), MX routing (RFC 5321 §5.1, RFC 7505), opportunistic
 * STARTTLS, optional smarthost, retries with backoff, DSNs (RFC 3464), DKIM signing (RFC 6376).
 */
export type { OutboundMessage, OutboundQueue } from './types.ts';
export { OutboundQueueService, type OutboundQueueDeps } from './outbound-queue.ts';
export { QueueRunner, type LocalDelivery, type RunReport, type RunnerDeps } from './runner.ts';
export {
  defaultQueueSettings,
  queueSettingsFromConfig,
  backoffMs,
  type QueueSettings,
  type Smarthost,
} from './settings.ts';
export {
  systemResolver,
  tableResolver,
  dnsError,
  type DnsResolver,
  type DnsEntry,
  type MxRecord,
} from './resolver.ts';
export { resolveRoute, type Route, type Target } from './route.ts';
export {
  DkimSigner,
  ensureDkimKeys,
  loadDkimKey,
  dkimRecord,
  dkimKeyFile,
  type DkimKey,
  type DkimRecord,
} from './dkim.ts';
export { replaceStrayCrLf } from './normalise.ts';
export { composeDsn, type DsnInput, type DsnRecipientReport } from './dsn.ts';
export { routingDomain } from './enqueue.ts';
export {
  listQueue,
  retryQueued,
  dropQueued,
  type QueuedMessageView,
  type QueuedRecipientView,
} from './admin.ts';
