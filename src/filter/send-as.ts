/**
 * Who may send as whom on submission (catalogue SMTP-15; RFC 6409 §6.1): the envelope sender and
 * the single From address of a submitted message must be an address the authenticated account may
 * use. The server asks a `SendAsPolicy`; it never decides this itself.
 *
 * `OwnAddressesPolicy` allows the account's own addresses: its primary address and its active
 * aliases (e.g. the former @quangbinh.gov.vn address), in any letter case, with or without a
 * trailing root dot. Send-as rights on an agency mailbox delegated by the agency head (Điều 10.1)
 * belong here too, but the directory has no delegation table yet: when it does, a
 * `DelegatedSendAsPolicy` answers from that table and falls back to this one.
 */
import type { Db } from '../store/index.ts';
import { resolveAccount, type DirectorySettings } from '../directory/index.ts';

export interface SendAsPolicy {
  /** Whether `accountId` may use `address` as envelope sender and as its From address. */
  maySendAs(accountId: string, address: string): Promise<boolean>;
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
