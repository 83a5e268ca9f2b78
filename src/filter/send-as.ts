/**
 * Who may send as whom on submission (catalogue SMTP-15; RFC 6409 §6.1): the envelope sender and
 * the single From address of a submitted message must be an address the authenticated account may
 * use. The server asks a `SendAsPolicy`; it never decides this itself.
 *
 * `OwnAddressesPolicy` allows the account's own addresses: its primary address and its active
 * aliases (e.g. the former @quangbinh.gov.vn address), in any letter case, with or without a
 * trailing root dot. `DelegatedSendAsPolicy` (the one the submission server uses) also allows the
 * addresses of an agency or sub-unit mailbox that the agency head delegated to the account with
 * the send-as right (Điều 10.1), read from the directory's delegation table on every check, so a
 * revocation holds for the next MAIL FROM. `onBehalfOf` names that mailbox, for the audit log.
 */
import type { Db } from '../store/index.ts';
import { delegationFor, resolveAccount, type DirectorySettings } from '../directory/index.ts';

export interface SendAsPolicy {
  /** Whether `accountId` may use `address` as envelope sender and as its From address. */
  maySendAs(accountId: string, address: string): Promise<boolean>;
  /**
   * When `address` belongs to a mailbox delegated to `accountId` with send-as (not its own), that
   * mailbox; otherwise null.
   */
  onBehalfOf?(accountId: string, address: string): Promise<{ accountId: string; address: string } | null>;
}

export class OwnAddressesPolicy implements SendAsPolicy {
  constructor(
    private readonly db: Db,
    private readonly settings: DirectorySettings,
  ) {}

  async maySendAs(accountId: string, address: string): Promise<boolean> {
    // A bare local part would be read as one on the primary domain: a sender must name its domain.
    if (!address.includes('@')) return false;
    const row = await resolveAccount(this.db, this.settings, address);
    return row !== null && row.id === accountId && row.state !== 'deleted';
  }
}

/** Own addresses, or those of a mailbox delegated to the account with the send-as right (Điều 10.1). */
export class DelegatedSendAsPolicy implements SendAsPolicy {
  private readonly own: OwnAddressesPolicy;

  constructor(
    private readonly db: Db,
    private readonly settings: DirectorySettings,
  ) {
    this.own = new OwnAddressesPolicy(db, settings);
  }

  async maySendAs(accountId: string, address: string): Promise<boolean> {
    if (await this.own.maySendAs(accountId, address)) return true;
    return (await this.onBehalfOf(accountId, address)) !== null;
  }

  async onBehalfOf(
    accountId: string,
    address: string,
  ): Promise<{ accountId: string; address: string } | null> {
    if (!address.includes('@')) return null;
    const row = await resolveAccount(this.db, this.settings, address);
    if (row === null || row.id === accountId || row.kind === 'personal') return null;
    const grant = await delegationFor(this.db, accountId, row.id);
    return grant !== null && grant.sendAs ? { accountId: row.id, address: grant.address } : null;
  }
}
