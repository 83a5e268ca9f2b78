/**
 * SETQUOTA (RFC 9208 §4.4):
 *   setquota          = "SETQUOTA" SP quota-root-name SP setquota-list
 *   setquota-list     = "(" [setquota-resource *(SP setquota-resource)] ")"
 *   setquota-resource = resource-name SP resource-limit         ; resource-limit = number64
 *   resource-name     = "STORAGE" / "MESSAGE" / "MAILBOX" / "ANNOTATION-STORAGE" / resource-name-ext
 */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface QuotaLimit {
  /** Upper case; STORAGE is in units of 1024 octets (RFC 9208 §5.1). */
  readonly resource: string;
  readonly limit: number;
}

export interface SetquotaCommand {
  readonly name: 'SETQUOTA';
  readonly tag: string;
  readonly root: string;
  /** Empty: remove every limit of the root. */
  readonly limits: readonly QuotaLimit[];
}

export const setquota: CommandSpec<SetquotaCommand> = {
  name: 'SETQUOTA',
  states: AUTHENTICATED,
  rfc: 'RFC 9208 §4.4',
  parse(r, head) {
    r.sp();
    const root = r.astringText('quota root');
    r.sp();
    r.expect(0x28, '"(" of the quota list');
    const limits: QuotaLimit[] = [];
    if (r.peek() !== 0x29) {
      do {
        r.arg();
        const resource = r.atom('resource name').toUpperCase();
        if (limits.some((l) => l.resource === resource)) r.fail(`resource ${resource} given twice`);
        r.sp();
        limits.push({ resource, limit: r.number64('resource limit') });
      } while (r.trySp());
    }
    r.expect(0x29, '")" closing the quota list');
    r.end();
    return { name: 'SETQUOTA', tag: head.tag, root, limits };
  },
};
