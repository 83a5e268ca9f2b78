/**
 * The one configuration schema: every option, its type, default and meaning.
 *
 * Sources, later wins: defaults < JSON file (`CONGTHU_CONFIG`) < `CONGTHU_*` environment variables.
 * `congthu config describe` prints this schema; keep each `.describe()` a sentence an operator
 * understands. Sizes are bytes, durations are stated in the option's name.
 */
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const GiB = 1024 ** 3;
const MB = 1000 ** 2;

export const configSchema = z.strictObject({
  env: z
    .enum(['development', 'production'])
    .default('development')
    .describe(
      'Deployment mode. development allows plain-text sign-in on loopback connections; production requires TLS everywhere.',
    ),
  dataDir: z
    .string()
    .min(1)
    .default('./data')
    .describe('Folder for the SQLite database, message blobs, TLS certificate and DKIM keys.'),
  domain: z
    .string()
    .min(1)
    .default('quangtri.gov.vn')
    .describe('Primary mail domain: every issued address ends in @ this domain (Điều 6).'),
  extraDomains: z
    .array(z.string().min(1))
    .default([])
    .describe('Further local domains whose addresses are aliases (e.g. the former quangbinh.gov.vn).'),
  hostname: z
    .string()
    .min(1)
    .optional()
    .describe('Host name in SMTP banners and Received headers; default mail.<domain>.'),
  databaseUrl: z
    .string()
    .min(1)
    .optional()
    .describe('postgres://… for PostgreSQL; sqlite:PATH or empty for SQLite at <dataDir>/congthu.db.'),
  listen: z
    .array(z.string().min(1))
    .min(1)
    .default(['127.0.0.1'])
    .describe(
      'Addresses to listen on (comma-separated in the environment), e.g. 0.0.0.0,:: for IPv4 and IPv6.',
    ),
  ports: z
    .strictObject({
      smtp: port.default(2525).describe('SMTP for incoming mail from the internet (MX); 25 in production.'),
      submission: port.default(2587).describe('SMTP submission with STARTTLS (RFC 6409); 587 in production.'),
      submissions: port
        .default(2465)
        .describe('SMTP submission over implicit TLS (RFC 8314); 465 in production.'),
      imap: port.default(2143).describe('IMAP with STARTTLS; 143 in production.'),
      imaps: port.default(2993).describe('IMAP over implicit TLS; 993 in production.'),
      pop3: port.default(2110).describe('POP3 with STLS; 110 in production.'),
      pop3s: port.default(2995).describe('POP3 over implicit TLS; 995 in production.'),
      http: port.default(8080).describe('HTTP: web app, REST API, autoconfiguration, /healthz, /metrics.'),
    })
    .prefault({}),
  tls: z
    .strictObject({
      certFile: z
        .string()
        .optional()
        .describe('PEM certificate chain; default a self-signed certificate made at init in <dataDir>/tls.'),
      keyFile: z.string().optional().describe('PEM private key matching tls.certFile.'),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info')
        .describe('Log level of the structured (JSON) log.'),
    })
    .prefault({}),
  quota: z
    .strictObject({
      personalBytes: z
        .number()
        .int()
        .min(2 * GiB)
        .default(2 * GiB)
        .describe(
          'Default storage quota of a personal mailbox; the regulation requires at least 2 GB (Điều 9.1.b).',
        ),
      agencyBytes: z
        .number()
        .int()
        .min(5 * GiB)
        .default(5 * GiB)
        .describe('Default storage quota of an agency or sub-unit mailbox; at least 5 GB (Điều 9.1.b).'),
      maxAttachmentBytes: z
        .number()
        .int()
        .positive()
        .default(50 * MB)
        .describe('Largest total of decoded attachments in one message (Điều 9.1.b: 50 MB).'),
    })
    .prefault({}),
  password: z
    .strictObject({
      maxAgeDays: z
        .number()
        .int()
        .min(1)
        .max(90)
        .default(90)
        .describe(
          'Days after which a password expires; the regulation requires a change at least every 3 months (Điều 5.1).',
        ),
      warnDays: z
        .number()
        .int()
        .min(0)
        .default(14)
        .describe('Days before expiry when users start being reminded.'),
      historySize: z
        .number()
        .int()
        .min(0)
        .max(24)
        .default(5)
        .describe('How many previous passwords may not be reused.'),
      argon2MemoryKiB: z
        .number()
        .int()
        .min(19456)
        .default(19456)
        .describe('Argon2id memory cost in KiB (OWASP minimum 19456 with t=2, p=1).'),
      argon2Iterations: z.number().int().min(2).default(2).describe('Argon2id time cost (iterations).'),
      argon2Parallelism: z.number().int().min(1).default(1).describe('Argon2id parallelism (lanes).'),
      maxConcurrentHashes: z
        .number()
        .int()
        .min(1)
        .default(4)
        .describe(
          'Password hashes computed at once; further sign-ins wait (bounds memory: each takes argon2MemoryKiB).',
        ),
    })
    .prefault({}),
  accounts: z
    .strictObject({
      deletedRetentionDays: z
        .number()
        .int()
        .min(0)
        .default(30)
        .describe(
          'Days the data of a deleted mailbox is kept before it may be purged; its addresses are retired for ever.',
        ),
    })
    .prefault({}),
  auth: z
    .strictObject({
      ipFailuresBeforeDelay: z
        .number()
        .int()
        .min(1)
        .default(3)
        .describe(
          'Failed sign-ins from one client address (or /24, /48 network) before replies are delayed.',
        ),
      ipFailuresBeforeBlock: z
        .number()
        .int()
        .min(2)
        .default(30)
        .describe(
          'Failed sign-ins from one client address within authWindowMinutes before it is refused outright.',
        ),
      accountFailuresBeforeDelay: z
        .number()
        .int()
        .min(1)
        .default(5)
        .describe(
          'Failed sign-ins on one account (from any address) before each attempt on it is slowed down.',
        ),
      accountLockFailures: z
        .number()
        .int()
        .min(10)
        .max(100)
        .default(100)
        .describe(
          'Consecutive failures that lock an account for lockMinutes (NIST SP 800-63B: at most 100).',
        ),
      windowMinutes: z.number().int().min(1).default(60).describe('How long failures are remembered.'),
      lockMinutes: z
        .number()
        .int()
        .min(1)
        .default(15)
        .describe('How long an account lock lasts before it lifts by itself.'),
      maxDelayMs: z
        .number()
        .int()
        .min(0)
        .default(15000)
        .describe('Longest delay added to a failed sign-in reply.'),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

/**
 * Environment variables and the option each one sets. DESIGN.md "Public interface" lists the
 * names that operators and tests rely on; keep them stable.
 */
export const envBindings: ReadonlyArray<{ env: string; path: string; kind: 'string' | 'int' | 'list' }> = [
  { env: 'CONGTHU_ENV', path: 'env', kind: 'string' },
  { env: 'CONGTHU_DATA_DIR', path: 'dataDir', kind: 'string' },
  { env: 'CONGTHU_DOMAIN', path: 'domain', kind: 'string' },
  { env: 'CONGTHU_EXTRA_DOMAINS', path: 'extraDomains', kind: 'list' },
  { env: 'CONGTHU_HOSTNAME', path: 'hostname', kind: 'string' },
  { env: 'CONGTHU_DATABASE_URL', path: 'databaseUrl', kind: 'string' },
  { env: 'CONGTHU_LISTEN', path: 'listen', kind: 'list' },
  { env: 'CONGTHU_SMTP_PORT', path: 'ports.smtp', kind: 'int' },
  { env: 'CONGTHU_SUBMISSION_PORT', path: 'ports.submission', kind: 'int' },
  { env: 'CONGTHU_SUBMISSIONS_PORT', path: 'ports.submissions', kind: 'int' },
  { env: 'CONGTHU_IMAP_PORT', path: 'ports.imap', kind: 'int' },
  { env: 'CONGTHU_IMAPS_PORT', path: 'ports.imaps', kind: 'int' },
  { env: 'CONGTHU_POP3_PORT', path: 'ports.pop3', kind: 'int' },
  { env: 'CONGTHU_POP3S_PORT', path: 'ports.pop3s', kind: 'int' },
  { env: 'CONGTHU_HTTP_PORT', path: 'ports.http', kind: 'int' },
  { env: 'CONGTHU_TLS_CERT', path: 'tls.certFile', kind: 'string' },
  { env: 'CONGTHU_TLS_KEY', path: 'tls.keyFile', kind: 'string' },
  { env: 'CONGTHU_LOG_LEVEL', path: 'log.level', kind: 'string' },
];
