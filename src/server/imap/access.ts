/**
 * Which folder a mailbox name in a command means, and what the session may do there: the one
 * resolver every folder-touching command goes through (RFC 4314 §4, Điều 10.1).
 *
 * Namespaces (RFC 2342): the personal one, "" with "/", holds the account's own folders, where it
 * has every right ("lrswipkxtea"). The shared one, "Shared/", shows each agency or sub-unit
 * mailbox delegated to the account as `Shared/<mailbox address>/<folder>`, e.g.
 * `Shared/sokhcn@quangtri.gov.vn/INBOX`, with the rights of the grant (`read` "lrs", `manage`
 * "lrswikxte"; src/directory/delegation.ts).
 *
 * Invariants:
 * - The grant is read from the database on every call: a revocation holds for the next command.
 * - A shared name without a grant that gives "l" resolves exactly like a personal name that does
 *   not exist (`shared: null`, the typed name): every answer about it is byte for byte the answer
 *   about a folder that is not there (RFC 4314 §4: no right "l" → as if it did not exist).
 * - A name that resolves to a delegated mailbox but needs a right the grant lacks is
 *   `NO [NOPERM]` (RFC 4314 §4); the folder exists for that session, so saying so reveals nothing.
 * - Personal folders can never be created under "Shared" (src/mailbox/folder-ops.ts), so the two
 *   namespaces never overlap for new names; an old personal folder of that name stays reachable
 *   when no grant claims the name.
 */
import {
  delegatedMailboxes,
  delegationFor,
  OWNER_RIGHTS,
  resolveAccount,
  type DelegatedMailbox,
} from '../../directory/index.ts';
import { findFolder, normaliseFolderName, SHARED_NAMESPACE, type FolderRow } from '../../mailbox/index.ts';
import { isCongthuError, notFound } from '../../util/errors.ts';
import type { SessionContext } from './context.ts';
import { errors } from './errors.ts';
import { accountOf } from './state.ts';

export const SHARED_PREFIX = `${SHARED_NAMESPACE}/`;

/** RFC 4314 §2.1 rights letters, and the ones this server gives out. */
export type Right = 'l' | 'r' | 's' | 'w' | 'i' | 'p' | 'k' | 'x' | 't' | 'e' | 'a';

/** What a mailbox name in a command stands for. */
export interface FolderTarget {
  /** The account whose folder tree holds it. */
  ownerId: string;
  /** Its name in the owner's tree ('' for the `Shared/<address>` node itself); raw when personal. */
  ownerName: string;
  /** The name as this session sees it. */
  displayName: string;
  /** RFC 4314 rights of this session there. */
  rights: string;
  /** The delegation when the name is in the shared namespace. */
  shared: DelegatedMailbox | null;
}

/** `Shared/<address>` and what follows, or null for a name outside the shared namespace. */
export function splitShared(name: string): { address: string; rest: string } | null {
  if (!name.startsWith(SHARED_PREFIX)) return null;
  const tail = name.slice(SHARED_PREFIX.length);
  const slash = tail.indexOf('/');
  const address = (slash === -1 ? tail : tail.slice(0, slash)).toLowerCase();
  if (!address.includes('@')) return null;
  return { address, rest: slash === -1 ? '' : tail.slice(slash + 1) };
}

export function sharedName(address: string, ownerName: string): string {
  return ownerName === '' ? `${SHARED_PREFIX}${address}` : `${SHARED_PREFIX}${address}/${ownerName}`;
}

/** Resolve a typed mailbox name for the signed-in account (reads the grant now). */
export async function resolveTarget(ctx: SessionContext, typed: string): Promise<FolderTarget> {
  const account = accountOf(ctx.state)!;
  const personal: FolderTarget = {
    ownerId: account.id,
    ownerName: typed,
    displayName: typed,
    rights: OWNER_RIGHTS,
    shared: null,
  };
  const split = splitShared(typed.normalize('NFC'));
  if (!split) return personal;
  const owner = await resolveAccount(ctx.deps.store.db, ctx.deps.directorySettings, split.address);
  if (!owner || owner.id === account.id) return personal;
  const grant = await delegationFor(ctx.deps.store.db, account.id, owner.id);
  if (!grant || !grant.rights.includes('l')) return personal;
  let ownerName = split.rest;
  if (ownerName !== '') {
    try {
      ownerName = normaliseFolderName(ownerName);
    } catch {
      /* left as typed: the mailbox layer refuses it with its own words */
    }
  }
  return {
    ownerId: owner.id,
    ownerName,
    displayName: sharedName(grant.address, ownerName),
    rights: grant.rights,
    shared: grant,
  };
}

/** The stored folder a target names, or undefined (a bad name is a missing folder). */
export async function folderOf(ctx: SessionContext, t: FolderTarget): Promise<FolderRow | undefined> {
  if (t.shared && t.ownerName === '') return undefined;
  return findFolder(ctx.deps.store.db, t.ownerId, t.ownerName).catch(() => undefined);
}

/** NO [NOPERM] unless every right is held (RFC 4314 §4). */
export function requireRights(t: Pick<FolderTarget, 'rights' | 'shared'>, ...needed: Right[]): void {
  const missing = needed.filter((r) => !t.rights.includes(r));
  if (missing.length > 0) throw errors.noRight(missing.join(''));
}

/**
 * Run a mailbox-layer operation on a shared target, telling missing folders by the name the
 * client used (the owner-side name would be confusing, and the text is the same shape).
 */
export async function inTarget<T>(t: FolderTarget, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (t.shared && isCongthuError(e) && e.code === 'folder.not-found')
      throw notFound(
        'folder.not-found',
        `Không có thư mục "${t.displayName}".`,
        `No folder "${t.displayName}".`,
      );
    throw e;
  }
}

/** Every delegated mailbox this account can see now (right "l"), for LIST. */
export async function visibleDelegations(ctx: SessionContext): Promise<DelegatedMailbox[]> {
  const account = accountOf(ctx.state)!;
  const all = await delegatedMailboxes(ctx.deps.store.db, account.id);
  return all.filter((d) => d.rights.includes('l'));
}

/** PERMANENTFLAGS a session may change with these rights (RFC 4314 §4 SELECT). */
export function permanentFlags(rights: string, systemFlags: readonly string[]): string[] {
  return systemFlags
    .filter((f) =>
      f === '\\Seen' ? rights.includes('s') : f === '\\Deleted' ? rights.includes('t') : rights.includes('w'),
    )
    .concat(rights.includes('w') ? ['\\*'] : []);
}

/** RFC 4314 §4: with none of s, w, i, t, e the mailbox is opened READ-ONLY. */
export function canChangeAnything(rights: string): boolean {
  return /[swite]/.test(rights);
}
