/**
 * What the directory needs to know of the configuration, decoupled from the config loader so
 * that tests can state it directly.
 */
export interface DirectorySettings {
  /** Primary domain: every issued address ends in it (Điều 6). */
  domain: string;
  /** Every local domain, primary first (others carry aliases, e.g. quangbinh.gov.vn). */
  localDomains: string[];
  quota: { personalBytes: number; agencyBytes: number };
  password: { maxAgeDays: number; warnDays: number; historySize: number };
  /** Days a deleted mailbox's data is kept before it may be purged. */
  deletedRetentionDays: number;
}

export const GiB = 1024 ** 3;

export function defaultDirectorySettings(domain = 'quangtri.gov.vn'): DirectorySettings {
  return {
    domain,
    localDomains: [domain],
    quota: { personalBytes: 2 * GiB, agencyBytes: 5 * GiB },
    password: { maxAgeDays: 90, warnDays: 14, historySize: 5 },
    deletedRetentionDays: 30,
  };
}
