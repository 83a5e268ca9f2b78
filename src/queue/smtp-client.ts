/**
 * One SMTP client session towards a remote MX or the smarthost, as promises over nodemailer's
 * SMTPConnection, and the classification of what went wrong.
 *
 * TLS (RFC 3207 STARTTLS, opportunistic as in RFC 7435): towards MX hosts the session upgrades
 * whenever STARTTLS is offered and does NOT verify the certificate (`rejectUnauthorized: false`).
 * That is what MTAs do (Postfix `smtp_tls_security_level = may`): MX certificates are often
 * self-signed or name the wrong host, and refusing them would fall back to plain text anyway, which
 * is worse. Encryption against passive eavesdropping is the gain; authenticated transport needs
 * MTA-STS or DANE (not implemented). If the TLS handshake itself fails, the session is retried
 * once in plain text, as Postfix does for `may`. A configured smarthost with tls `required` or
 * `implicit` is verified against the system CAs, since the operator named it.
 *
 * Errors: an SMTP reply 4yz is temporary and 5yz permanent (RFC 5321 §4.2.1); a lost connection,
 * a timeout or a protocol error is temporary (a drop before the final "250" after DATA included:
 * catalogue FLT-10). The enhanced status code (RFC 3463) comes from the reply when it has one.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Target } from './route.ts';

export interface SessionOptions {
  target: Target;
  /** EHLO name (our host name). */
  name: string;
  tls: 'opportunistic' | 'required' | 'implicit' | 'none';
  auth?: { user: string; pass: string } | undefined;
  connectTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
}

export interface SmtpFailure {
  temporary: boolean;
  /** RFC 3463 enhanced status, e.g. 5.1.1. */
  status: string;
  /** The remote reply, or a description of the local error. */
  reply: string;
  /** The session can no longer be used. */
  connectionLost: boolean;
}

export interface RecipientReject {
  recipient: string;
  failure: SmtpFailure;
}

export interface SendResult {
  accepted: string[];
  rejected: RecipientReject[];
  response: string;
}

interface ErrorShape {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
  recipient?: string;
  rejectedErrors?: ErrorShape[];
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EPROTOCOL', 'ETLS', 'EDNS']);

function enhancedStatus(reply: string, fallbackClass: 4 | 5, fallbackDetail = '0.0'): string {
  const m = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply.trim());
  if (m?.[1] && Number(m[1][0]) === fallbackClass) return m[1];
  return `${fallbackClass}.${fallbackDetail}`;
}

/** Keeps only printable ASCII on one line, at most 500 characters (it goes into DSNs and the DB). */
export function cleanReply(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim()
    .slice(0, 500);
}

export function classifyError(err: unknown): SmtpFailure {
  const e = (err ?? {}) as ErrorShape;
  if (typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 600) {
    const reply = cleanReply(e.response ?? `${e.responseCode} ${e.message ?? ''}`);
    const temporary = e.responseCode < 500;
    return {
      temporary,
      status: enhancedStatus(reply, temporary ? 4 : 5),
      reply,
      // 421 closes the session (RFC 5321 §3.8); so does any error nodemailer raised on the socket.
      connectionLost: e.responseCode === 421 || CONNECTION_CODES.has(e.code ?? ''),
    };
  }
  const message = cleanReply(e.message ?? String(err));
  if (e.code === 'EMESSAGE' && /larger than allowed/i.test(message))
    return { temporary: false, status: '5.3.4', reply: message, connectionLost: false };
  if (e.code === 'EENVELOPE' && !e.responseCode)
    return { temporary: false, status: '5.1.3', reply: message, connectionLost: false };
  const timeout = e.code === 'ETIMEDOUT' || /timeout/i.test(message);
  return { temporary: true, status: timeout ? '4.4.1' : '4.4.2', reply: message, connectionLost: true };
}

export class SmtpSession {
  private lost = false;
  private constructor(
    private readonly conn: SMTPConnection,
    readonly target: Target,
  ) {
    // An 'error' event without a listener would crash the process (catalogue G2).
    conn.on('error', () => {
      this.lost = true;
    });
    conn.on('end', () => {
      this.lost = true;
    });
  }

  get usable(): boolean {
    return !this.lost;
  }

  get secure(): boolean {
    return this.conn.secure;
  }

  static async open(opts: SessionOptions): Promise<SmtpSession> {
    try {
      return await SmtpSession.connect(opts, opts.tls === 'none');
    } catch (e) {
      // A failed TLS handshake under opportunistic TLS: try once more without STARTTLS.
      if (opts.tls === 'opportunistic' && (e as ErrorShape).code === 'ETLS')
        return SmtpSession.connect(opts, true);
      throw e;
    }
  }

  private static connect(opts: SessionOptions, ignoreTLS: boolean): Promise<SmtpSession> {
    const verify = opts.tls === 'required' || opts.tls === 'implicit';
    const conn = new SMTPConnection({
      host: opts.target.address,
      port: opts.target.port,
      name: opts.name,
      secure: opts.tls === 'implicit',
      requireTLS: opts.tls === 'required',
      opportunisticTLS: opts.tls === 'opportunistic',
      ignoreTLS,
      servername: opts.target.host,
      tls: { rejectUnauthorized: verify, servername: opts.target.host },
      connectionTimeout: opts.connectTimeoutMs,
      greetingTimeout: opts.greetingTimeoutMs,
      socketTimeout: opts.socketTimeoutMs,
      logger: false,
    });
    const session = new SmtpSession(conn, opts.target);
    return new Promise<SmtpSession>((resolve, reject) => {
      const onError = (e: unknown): void => {
        conn.close();
        reject(e instanceof Error ? e : new Error(String(e)));
      };
      conn.once('error', onError);
      conn.connect((err) => {
        if (err) return onError(err);
        if (!opts.auth) {
          conn.removeListener('error', onError);
          return resolve(session);
        }
        conn.login({ user: opts.auth.user, pass: opts.auth.pass }, (loginErr) => {
          if (loginErr) return onError(loginErr);
          conn.removeListener('error', onError);
          resolve(session);
        });
      });
    });
  }

  send(envelope: { from: string; to: string[] }, content: Buffer): Promise<SendResult> {
    const eightBit = content.some((b) => b >= 0x80);
    return new Promise<SendResult>((resolve, reject) => {
      this.conn.send(
        {
          from: envelope.from === '' ? false : envelope.from,
          to: envelope.to,
          size: content.length,
          use8BitMime: eightBit,
        },
        content,
        (err, info) => {
          const rejects = (list: unknown[] | undefined): RecipientReject[] =>
            (list ?? []).map((re) => ({
              recipient: (re as ErrorShape).recipient ?? '',
              failure: classifyError(re),
            }));
          if (err) {
            const e = err as ErrorShape & { command?: string };
            // Every RCPT refused: a per-recipient answer, not a failure of the session.
            if (e.command === 'RCPT TO' && (e.rejectedErrors?.length ?? 0) > 0)
              return resolve({
                accepted: [],
                rejected: rejects(e.rejectedErrors),
                response: cleanReply(e.response ?? ''),
              });
            return reject(err);
          }
          if (!info) return reject(new Error('no result from the SMTP client'));
          resolve({
            accepted: info.accepted,
            rejected: rejects(info.rejectedErrors),
            response: cleanReply(info.response),
          });
        },
      );
    });
  }

  /** RSET after a failed transaction; false when the session is gone. */
  reset(): Promise<boolean> {
    if (this.lost) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.conn.reset((err) => resolve(!err));
    });
  }

  close(): void {
    try {
      if (this.lost) this.conn.close();
      else this.conn.quit();
    } catch {
      /* already closed */
    }
  }
}
