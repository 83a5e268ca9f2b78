/**
 * The one configuration schema: every option, its type, default and meaning.
 *
 * Sources, later wins: defaults < JSON file (`CONGTHU_CONFIG`) < `CONGTHU_*` environment variables.
 * `congthu config describe` prints this schema; keep each `.describe()` a sentence an operator
 * understands. Sizes are bytes, durations are stated in the option's name.
 */
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

/** A local time of day "HH:MM" (00:00–24:00). */
const timeOfDay = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'phải có dạng HH:MM / must be HH:MM (00:00–24:00)');

/** A check window [from, to) of the day; `from` before `to`, the error naming the option. */
function checkWindow(from: string, to: string) {
  return z
    .strictObject({
      from: timeOfDay.default(from).describe('Start of the window, HH:MM local time (inclusive).'),
      to: timeOfDay.default(to).describe('End of the window, HH:MM local time (exclusive).'),
    })
    .superRefine((w, ctx) => {
      if (w.from >= w.to)
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `"from" (${w.from}) phải trước "to" (${w.to}) / "from" must be before "to"`,
        });
    })
    .prefault({});
}
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
  web: z
    .strictObject({
      publicUrl: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe(
          'Public address of the web app, used in links sent by mail (activation links); default https://<hostname> in production, http://127.0.0.1:<http port> otherwise.',
        ),
      sessionIdleMinutes: z
        .number()
        .int()
        .min(1)
        .max(120)
        .default(30)
        .describe(
          'Minutes without activity after which a web or API session ends (security level 3: idle timeout).',
        ),
      sessionMaxHours: z
        .number()
        .int()
        .min(1)
        .max(24)
        .default(12)
        .describe('Longest life of a web or API session, in hours.'),
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
  notices: z
    .strictObject({
      from: z
        .string()
        .regex(/^[^\s@<>]+@[^\s@<>]+$/)
        .optional()
        .describe(
          'Sender address of the system notices (inactivity, deletion, password expiry, compromise); default quantri@<domain>.',
        ),
      fromName: z
        .string()
        .min(1)
        .max(200)
        .default('Sở Khoa học và Công nghệ - Quản trị hệ thống thư điện tử công vụ')
        .describe('Display name of the notices sender.'),
      numberPrefix: z
        .string()
        .regex(/^[A-Za-z0-9Đđ-]{1,40}$/)
        .default('TB-SKHCN')
        .describe('Suffix of the notice numbers: notice 12 of a year is numbered "12/<numberPrefix>".'),
      lifecycleHour: z
        .number()
        .int()
        .min(0)
        .max(23)
        .default(2)
        .describe(
          'Hour of the day (Asia/Ho_Chi_Minh) when the daily lifecycle job runs (inactivity, password reminders).',
        ),
    })
    .prefault({}),
  requests: z
    .strictObject({
      letterNumberSuffix: z
        .string()
        .regex(/^[A-Za-z0-9Đđ-]{1,40}$/)
        .default('SKHCN-TTCNTT')
        .describe(
          'Suffix of the reply letter numbers (Điều 7.2.b): letter 15 of a year is numbered "15/<letterNumberSuffix>".',
        ),
      issuerParent: z
        .string()
        .min(1)
        .max(200)
        .default('UBND TỈNH QUẢNG TRỊ')
        .describe('The body above the issuer, first line of the letter heading.'),
      issuerName: z
        .string()
        .min(1)
        .max(200)
        .default('SỞ KHOA HỌC VÀ CÔNG NGHỆ')
        .describe('The issuer of the reply letters (the operator, Điều 7.1).'),
      signerTitle: z
        .string()
        .min(1)
        .max(200)
        .default('KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC')
        .describe('Title block above the signature of the reply letters (lines separated by \\n).'),
      signerName: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe('Name under the signature; default the name of the operator who decided.'),
      maxBasisBytes: z
        .number()
        .int()
        .min(1024)
        .max(100 * 1024 * 1024)
        .default(20 * 1024 * 1024)
        .describe('Largest scanned legal-basis document accepted with a request (PDF, JPEG or PNG).'),
    })
    .prefault({}),
  checking: z
    .strictObject({
      morning: checkWindow('07:00', '11:30').describe(
        'Morning check window (Điều 12: "đầu buổi sáng"), local time Asia/Ho_Chi_Minh, from inclusive, to exclusive.',
      ),
      afternoon: checkWindow('13:30', '17:00').describe(
        'Afternoon check window (Điều 12: "đầu buổi chiều"), local time Asia/Ho_Chi_Minh, from inclusive, to exclusive.',
      ),
      requiredRate: z
        .number()
        .min(0)
        .max(1)
        .default(1)
        .describe(
          'Compliance rate (checks met / checks required, 0–1) below which an agency mailbox is listed as below the requirement.',
        ),
      personalMinGapMinutes: z
        .number()
        .int()
        .min(0)
        .max(720)
        .default(60)
        .describe(
          'Personal mailboxes (Điều 12.2, twice per working day at any time): minutes between two accesses for them to count as two checks.',
        ),
    })
    .superRefine((c, ctx) => {
      if (c.morning.to > c.afternoon.from)
        ctx.addIssue({
          code: 'custom',
          path: ['afternoon', 'from'],
          message: `checking.afternoon.from (${c.afternoon.from}) phải không sớm hơn checking.morning.to (${c.morning.to}) / must not be before checking.morning.to`,
        });
    })
    .prefault({}),
  queue: z
    .strictObject({
      smarthost: z
        .strictObject({
          host: z.string().min(1).describe('Host name or address of the relay that takes all outgoing mail.'),
          port: port
            .default(25)
            .describe('Port of the relay (25, or 587 with STARTTLS, or 465 with tls implicit).'),
          tls: z
            .enum(['opportunistic', 'required', 'implicit'])
            .default('opportunistic')
            .describe(
              'opportunistic: STARTTLS when offered; required: refuse to send without STARTTLS; implicit: TLS from the start (465).',
            ),
          username: z
            .string()
            .min(1)
            .optional()
            .describe('User name for SMTP AUTH at the relay (only over TLS).'),
          password: z.string().min(1).optional().describe('Password for SMTP AUTH at the relay.'),
        })
        .optional()
        .describe('Send all mail for other domains through this relay instead of looking up MX records.'),
      maxLifetimeHours: z
        .number()
        .positive()
        .default(120)
        .describe(
          'How long a message for another domain is retried before it fails and the sender is told (RFC 5321 §4.5.4.1: at least 4-5 days).',
        ),
      delayWarningHours: z
        .number()
        .min(0)
        .default(4)
        .describe(
          'After how many hours of failed attempts the sender gets one "delayed" notice; 0 turns the notice off.',
        ),
      minBackoffMinutes: z
        .number()
        .positive()
        .default(5)
        .describe('Wait before the first retry after a temporary failure; doubles after each failure.'),
      maxBackoffMinutes: z
        .number()
        .positive()
        .default(70)
        .describe('Longest wait between two attempts for one recipient.'),
      concurrency: z
        .number()
        .int()
        .min(1)
        .default(10)
        .describe('Destination domains served at once by one process (one connection per domain).'),
      dkimSelector: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
        .default('congthu')
        .describe(
          'DKIM selector: keys live in <dataDir>/dkim/<domain>.<selector>.key; the record goes at <selector>._domainkey.<domain>.',
        ),
    })
    .prefault({}),
  smtp: z
    .strictObject({
      maxMessageBytes: z
        .number()
        .int()
        .min(1 * MB)
        .default(75 * MB)
        .describe(
          'Largest message accepted over SMTP (advertised as SIZE, enforced while receiving). 75 MB lets a message carry the 50 MB of attachments of Điều 9.1.b in base64 (about 68.5 MB) plus its text.',
        ),
      maxRecipients: z
        .number()
        .int()
        .min(100)
        .default(1000)
        .describe(
          'Recipients accepted in one SMTP transaction; further RCPT get 452 4.5.3 (RFC 5321 §4.5.3.1.8).',
        ),
      maxConnections: z
        .number()
        .int()
        .min(1)
        .default(2000)
        .describe('SMTP connections open at once on each listener; beyond it clients get 421.'),
      maxConnectionsPerIp: z
        .number()
        .int()
        .min(1)
        .default(50)
        .describe('SMTP connections open at once from one client address; beyond it 421 4.7.0.'),
      maxCommandLineBytes: z
        .number()
        .int()
        .min(512)
        .default(4096)
        .describe(
          'Longest SMTP command line (RFC 5321 §4.5.3.1.4 requires 512); a longer one closes the connection.',
        ),
      idleTimeoutSeconds: z
        .number()
        .int()
        .min(1)
        .default(300)
        .describe(
          'Seconds a client may stay silent before 421 and disconnect (RFC 5321 §4.5.3.2.7: 5 minutes).',
        ),
      maxSessionSeconds: z
        .number()
        .int()
        .min(1)
        .default(1800)
        .describe('Longest SMTP session, whatever the client does (slow senders, SMTP-20); then 421 4.4.2.'),
      maxReceivedHeaders: z
        .number()
        .int()
        .min(10)
        .default(50)
        .describe('A message with more Received lines is a mail loop: 554 5.4.6 (RFC 5321 §6.3).'),
      maxRecipientErrors: z
        .number()
        .int()
        .min(1)
        .default(20)
        .describe(
          'Refused recipients (unknown, relay) in one session before it is closed with 421 (harvesting).',
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
      verifiedCacheSeconds: z
        .number()
        .int()
        .min(0)
        .max(3600)
        .default(600)
        .describe(
          'How long a successful password check is remembered (keyed by an HMAC, never the password) so that clients signing in again skip the Argon2id cost; 0 turns it off.',
        ),
    })
    .prefault({}),
  imap: z
    .strictObject({
      idleTimeoutSeconds: z
        .number()
        .int()
        .min(1800)
        .default(1800)
        .describe(
          'Seconds of silence (IDLE included) before an IMAP connection is closed with BYE (RFC 9051 §5.4: at least 30 minutes).',
        ),
      maxBadCommands: z
        .number()
        .int()
        .min(1)
        .default(20)
        .describe('Unknown, malformed or out-of-place IMAP commands on one connection before it is closed.'),
      maxAuthFailures: z
        .number()
        .int()
        .min(1)
        .default(3)
        .describe('Failed IMAP sign-ins on one connection before it is closed.'),
      searchTimeBudgetMs: z
        .number()
        .int()
        .min(100)
        .default(10000)
        .describe('Longest time one SEARCH may scan message text before it stops with NO [LIMIT].'),
    })
    .prefault({}),
  pop3: z
    .strictObject({
      idleTimeoutSeconds: z
        .number()
        .int()
        .min(600)
        .default(600)
        .describe(
          'Seconds of silence before a POP3 connection is closed without deleting anything (RFC 1939 §3: at least 10 minutes).',
        ),
      maxBadCommands: z
        .number()
        .int()
        .min(1)
        .default(20)
        .describe('Unknown, malformed or out-of-place POP3 commands on one connection before it is closed.'),
      maxAuthFailures: z
        .number()
        .int()
        .min(1)
        .default(3)
        .describe('Failed POP3 sign-ins on one connection before it is closed.'),
    })
    .prefault({}),
  directory: z
    .strictObject({
      minQueryChars: z
        .number()
        .int()
        .min(2)
        .max(20)
        .default(3)
        .describe(
          'Public directory (Điều 11.1): letters or digits a search needs after removing diacritics and punctuation.',
        ),
      maxResults: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(20)
        .describe(
          'Public directory: most entries one search returns (more matches are cut, "truncated": true; there is no paging).',
        ),
      perMinute: z
        .number()
        .int()
        .min(1)
        .max(10000)
        .default(30)
        .describe(
          'Public directory: searches per minute from one client address (four times that from its /24 or /48 network); more are answered 429.',
        ),
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
  { env: 'CONGTHU_PUBLIC_URL', path: 'web.publicUrl', kind: 'string' },
  { env: 'CONGTHU_TLS_CERT', path: 'tls.certFile', kind: 'string' },
  { env: 'CONGTHU_TLS_KEY', path: 'tls.keyFile', kind: 'string' },
  { env: 'CONGTHU_LOG_LEVEL', path: 'log.level', kind: 'string' },
];
