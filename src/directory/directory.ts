/**
 * The directory, assembled: one object that the app builds once and hands to every protocol
 * server, the HTTP API and the CLI.
 */
import type { Clock } from '../util/clock.ts';
import type { DataStore } from '../store/index.ts';
import { AccountAdminService } from './account-admin.ts';
import { AccountService } from './account-service.ts';
import { AuthService, type AuthSettings } from './auth-service.ts';
import { CredentialService } from './credentials.ts';
import { DelegationService } from './delegation.ts';
import type { DirectoryContext } from './context.ts';
import { OrgService } from './org-service.ts';
import { PasswordHasher, type HashParams } from './password-hash.ts';
import { PublicDirectoryService, type PublicDirectorySettings } from './public-directory.ts';
import { ReorganisationService } from './reorganisation.ts';
import type { DirectorySettings } from './settings.ts';

export interface DirectoryOptions {
  store: DataStore;
  clock: Clock;
  settings: DirectorySettings;
  hash: HashParams & { maxConcurrent: number };
  auth: AuthSettings;
  /** Where users change their password (shown in sign-in refusals). */
  webUrl: string;
  /** The public directory's anti-harvesting limits (Điều 11.1); defaults when left out. */
  publicDirectory?: PublicDirectorySettings;
}

export class Directory {
  readonly ctx: DirectoryContext;
  readonly orgs: OrgService;
  readonly accounts: AccountService;
  readonly admin: AccountAdminService;
  readonly credentials: CredentialService;
  readonly auth: AuthService;
  readonly delegations: DelegationService;
  readonly publicDirectory: PublicDirectoryService;
  readonly reorganisations: ReorganisationService;

  constructor(o: DirectoryOptions) {
    this.ctx = {
      store: o.store,
      clock: o.clock,
      settings: o.settings,
      hasher: new PasswordHasher(o.hash, o.hash.maxConcurrent),
    };
    this.orgs = new OrgService(this.ctx);
    this.accounts = new AccountService(this.ctx);
    this.admin = new AccountAdminService(this.ctx);
    this.credentials = new CredentialService(this.ctx);
    this.auth = new AuthService(this.ctx, o.auth, o.webUrl);
    this.delegations = new DelegationService(this.ctx);
    this.publicDirectory = new PublicDirectoryService(this.ctx, o.publicDirectory);
    this.reorganisations = new ReorganisationService(this.ctx);
  }
}
