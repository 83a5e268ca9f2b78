/**
 * The policy of an SMTP listener, as smtp-server hooks. smtp-server does the framing (commands,
 * PIPELINING, STARTTLS, SASL PLAIN/LOGIN exchanges, dot-unstuffing, SIZE); every decision is here.
 *
 * Listener kinds:
 * - 'mx' (port 25): mail from the internet for local recipients only; no AUTH (503); SPF/DKIM/
 *   DMARC/ARC and the message checks at end of data; Received + Authentication-Results added.
 * - 'submission' (587, STARTTLS) and 'submissions' (465, implicit TLS, RFC 8314): AUTH PLAIN/LOGIN
 *   over TLS only (plain text only on loopback in development), then the send-as rules of
 *   SMTP-15; local recipients delivered, remote ones queued.
 *
 * Per connection state lives in a WeakMap keyed by smtp-server's session object (one per
 * connection, reused across transactions); the transaction part is reset at each MAIL.
 * Every hook answers through its callback exactly once, and any exception becomes a reply
 * (errors.ts): no input can crash the process (G2).
 */
import { randomBytes } from 'node:crypto';
import type {
  SMTPServerAddress,
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerDataStream,
  SMTPServerSession,
} from 'smtp-server';
import type { ResolvedConfig } from '../../config/index.ts';
import type { Logger } from '../../telemetry/index.ts';
import type { Clock } from '../../util/clock.ts';
import type { DataStore } from '../../store/index.ts';
import type { Directory } from '../../directory/index.ts';
import type { IngestService } from '../../mailbox/index.ts';
import type { OutboundQueue } from '../../queue/index.ts';
import {
  runChecks,
  stripForgedAuthResults,
  type MessageCheck,
  type SendAsPolicy,
  type SenderAuthenticator,
  type SenderAuthentication,
} from '../../filter/index.ts';
import { readMessage } from './data-reader.ts';
import { deliver } from './delivery.ts';
import { SmtpReply, toReply } from './errors.ts';
import { isLoopback, type ConnectionLimiter } from './limits.ts';
import {
  checkAttachments,
  checkLoop,
  receivedField,
  senderAddresses,
  singleFromAddress,
} from './message-policy.ts';
import { decideRecipient, type LocalRecipient } from './recipients.ts';
import { REPLIES, replyText, withText } from './replies.ts';

export type ListenerKind = 'mx' | 'submission' | 'submissions';

export interface SmtpPolicyDeps {
  config: ResolvedConfig;
  store: DataStore;
  directory: Directory;
  ingest: IngestService;
  clock: Clock;
  outbound: OutboundQueue | null;
  log: Logger;
  authenticator: SenderAuthenticator;
  checks: readonly MessageCheck[];
  sendAs: SendAsPolicy;
  limiter: ConnectionLimiter;
  /** Counters for the metrics (optional). */
  onAuth?: (status: string) => void;
  onMessage?: (kind: ListenerKind, outcome: string) => void;
}

/** The authenticated user kept in `session.user`. */
export interface SmtpUser {
  id: string;
  address: string;
}

interface ConnState {
  ipCounted: boolean;
  rcptErrors: number;
  mustClose: boolean;
  timer: NodeJS.Timeout | null;
  local: Map<string, LocalRecipient>;
  remote: Map<string, string>;
}

/** Closes a session's connection (after the reply just written has been flushed). */
export type CloseSession = (session: SMTPServerSession, reply?: string) => void;

type Callback = (err?: Error | null) => void;

export function makeHooks(kind: ListenerKind, deps: SmtpPolicyDeps, closeSession: CloseSession) {
  const { config, log } = deps;
  const states = new WeakMap<SMTPServerSession, ConnState>();
  const state = (s: SMTPServerSession): ConnState => {
    let st = states.get(s);
    if (!st) {
      st = {
        ipCounted: false,
        rcptErrors: 0,
        mustClose: false,
        timer: null,
        local: new Map(),
        remote: new Map(),
      };
      states.set(s, st);
    }
    return st;
  };
  const submission = kind !== 'mx';
  /** RFC 8314 §3: AUTH only under TLS; development allows plain text from loopback. */
  const plainAuthAllowed = (s: SMTPServerSession): boolean =>
    config.env === 'development' && isLoopback(s.remoteAddress);
  const user = (s: SMTPServerSession): SmtpUser | null => (s.user as SmtpUser | undefined) ?? null;
  const fail = (cb: Callback, err: unknown, ctx: Record<string, unknown>): void =>
    cb(toReply(err, log, { listener: kind, ...ctx }));

  function onConnect(session: SMTPServerSession, cb: Callback): void {
    const st = state(session);
    if (!deps.limiter.acquire(session.remoteAddress)) return cb(new SmtpReply(REPLIES.tooManyConnections));
    st.ipCounted = true;
    st.timer = setTimeout(
      () => closeSession(session, `421 ${replyText(REPLIES.sessionTooLong)}`),
      config.smtp.maxSessionSeconds * 1000,
    );
    st.timer.unref();
    // No AUTH offered before TLS (RFC 4954 §4, catalogue AUTH-08); onSecure lifts this.
    if (kind === 'submission' && !session.secure && !plainAuthAllowed(session))
      session.disabledCommands = ['AUTH'];
    cb();
  }

  function onSecure(_socket: unknown, session: SMTPServerSession, cb: Callback): void {
    if (kind === 'submission') session.disabledCommands = undefined;
    cb();
  }

  function onClose(session: SMTPServerSession): void {
    const st = states.get(session);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    if (st.ipCounted) deps.limiter.release(session.remoteAddress);
    st.ipCounted = false;
  }

  function onAuth(
    auth: SMTPServerAuthentication,
    session: SMTPServerSession,
    cb: (err: Error | null | undefined, res?: SMTPServerAuthenticationResponse) => void,
  ): void {
    if (!submission) return cb(new SmtpReply(REPLIES.authNotOnMx));
    if (!session.secure && !plainAuthAllowed(session)) return cb(new SmtpReply(REPLIES.authNeedsTls));
    // RFC 4616 §2: authzid names whom to act as; only oneself (no master users, AUTH-05).
    if (auth.authzid && auth.authcid && auth.authzid.toLowerCase() !== auth.authcid.toLowerCase()) {
      deps.onAuth?.('authzid');
      return cb(null, { message: replyText(REPLIES.authzidRefused), responseCode: 535 });
    }
    deps.directory.auth
      .authenticate({
        username: auth.username ?? '',
        password: auth.password ?? '',
        protocol: 'smtp',
        clientIp: session.remoteAddress,
      })
      .then((res) => {
        deps.onAuth?.(res.status);
        if (res.status === 'ok' && res.account) {
          const u: SmtpUser = { id: res.account.id, address: res.account.address };
          return cb(null, { user: u });
        }
        cb(null, { message: replyText(withText(REPLIES.authFailed, res.message)), responseCode: 535 });
      })
      .catch((err: unknown) => fail(cb, err, { phase: 'auth' }));
  }

  function onMailFrom(address: SMTPServerAddress, session: SMTPServerSession, cb: Callback): void {
    const st = state(session);
    if (st.mustClose) return cb(new SmtpReply(REPLIES.closing));
    st.local = new Map();
    st.remote = new Map();
    if (!submission) return cb();
    const u = user(session);
    if (!u) return cb(new SmtpReply(REPLIES.authRequired));
    // SMTP-15 (h): a user never sends with the null sender; (i) AUTH= is ignored.
    if (address.address === '') return cb(new SmtpReply(REPLIES.nullSenderRefused));
    deps.sendAs
      .maySendAs(u.id, address.address)
      .then((ok) => cb(ok ? null : new SmtpReply(REPLIES.senderNotOwned)))
      .catch((err: unknown) => fail(cb, err, { phase: 'mail' }));
  }

  function onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, cb: Callback): void {
    const st = state(session);
    if (st.mustClose) return cb(new SmtpReply(REPLIES.closing));
    if (submission && !user(session)) return cb(new SmtpReply(REPLIES.authRequired));
    const mailArgs = session.envelope.mailFrom ? session.envelope.mailFrom.args : false;
    const sizeHint = mailArgs && typeof mailArgs.SIZE === 'string' ? Number(mailArgs.SIZE) || 0 : 0;
    decideRecipient({
      store: deps.store,
      settings: deps.directory.ctx.settings,
      address: address.address,
      sizeHint,
      allowRemote: submission,
    })
      .then((d) => {
        // Without an outbound queue in this process, remote mail is refused for now (451), not lost.
        if (d.kind === 'remote' && !deps.outbound) return cb(new SmtpReply(REPLIES.localError));
        if (d.kind === 'remote') st.remote.set(d.address.toLowerCase(), d.address);
        else for (const r of d.recipients) st.local.set(r.accountId, r);
        cb();
      })
      .catch((err: unknown) => {
        const reply = toReply(err, log, { listener: kind, phase: 'rcpt' });
        if (reply.responseCode >= 500 && ++st.rcptErrors > config.smtp.maxRecipientErrors) {
          // RFC 5321 §4.5.3.1.10 / SMTP-18: harvesting gets no more answers.
          st.mustClose = true;
          return cb(new SmtpReply(REPLIES.tooManyRecipientErrors));
        }
        cb(reply);
      });
  }

  function onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    cb: (err?: Error | null, message?: string) => void,
  ): void {
    const reading = readMessage(stream, config.smtp.maxMessageBytes); // must start in this turn
    const st = state(session);
    const queueId = randomBytes(8).toString('hex').toUpperCase();
    const closeAfter = (): void => {
      st.mustClose = true;
      setImmediate(() => closeSession(session));
    };
    accept(reading, session, st, queueId, closeAfter)
      .then((text) => {
        deps.onMessage?.(kind, 'accepted');
        cb(null, text);
      })
      .catch((err: unknown) => {
        const reply = toReply(err, log, { listener: kind, phase: 'data', queueId });
        deps.onMessage?.(kind, String(reply.responseCode));
        cb(reply);
      });
  }

  async function accept(
    reading: ReturnType<typeof readMessage>,
    session: SMTPServerSession,
    st: ConnState,
    queueId: string,
    closeAfter: () => void,
  ): Promise<string> {
    const r = await reading;
    if (r.pipelined) {
      closeAfter();
      throw new SmtpReply(REPLIES.pipeliningAbuse);
    }
    if (r.oversize || r.content === null)
      throw new SmtpReply(
        withText(REPLIES.messageTooBig, {
          vi: `Thư vượt quá kích thước tối đa ${config.smtp.maxMessageBytes} byte (RFC 1870)`,
          en: `Message exceeds the maximum size of ${config.smtp.maxMessageBytes} octets (RFC 1870)`,
        }),
      );
    if (r.bareLineEnd) {
      log.warn({ listener: kind, ip: session.remoteAddress, queueId }, 'smtp: bare CR/LF in DATA refused');
      closeAfter();
      throw new SmtpReply(REPLIES.bareLineEnd);
    }
    if (r.nul) throw new SmtpReply(REPLIES.nulInMessage);
    const raw = r.content;
    checkLoop(raw, config.smtp.maxReceivedHeaders);
    const from = singleFromAddress(raw);
    if (from === null) throw new SmtpReply(submission ? REPLIES.fromCount : REPLIES.fromCountMx);
    const u = user(session);
    if (submission) {
      if (!u) throw new SmtpReply(REPLIES.authRequired);
      const senders = senderAddresses(raw);
      if (senders === null) throw new SmtpReply(REPLIES.fromNotOwned);
      for (const a of [from, ...senders])
        if (!(await deps.sendAs.maySendAs(u.id, a))) throw new SmtpReply(REPLIES.fromNotOwned);
    }
    // Điều 10.1: mail sent as a delegated agency mailbox is audited under that mailbox.
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const onBehalfOf =
      submission && u && deps.sendAs.onBehalfOf
        ? ((await deps.sendAs.onBehalfOf(u.id, from)) ??
          (envelopeFrom ? await deps.sendAs.onBehalfOf(u.id, envelopeFrom) : null))
        : null;
    const content = stripForgedAuthResults(raw, config.hostname).content;
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const helo = session.hostNameAppearsAs || '';
    let authHeaders: string;
    let auth: SenderAuthentication | undefined;
    if (!submission) {
      try {
        const out = await deps.authenticator.authenticate({
          content,
          ip: session.remoteAddress,
          helo,
          mailFrom,
        });
        authHeaders = out.headers;
        auth = out.auth;
      } catch (err) {
        log.warn({ err, queueId }, 'smtp: sender authentication failed');
        throw new SmtpReply(REPLIES.dnsTempfail);
      }
    } else {
      authHeaders = `Authentication-Results: ${config.hostname}; auth=pass smtp.auth=${u!.address}\r\n`;
    }
    const rcpts = session.envelope.rcptTo.map((a) => a.address);
    const outcome = await runChecks(
      deps.checks,
      {
        content,
        channel: submission ? 'submission' : 'mx',
        client: { ip: session.remoteAddress, helo },
        mailFrom,
        recipients: rcpts,
        ...(auth ? { auth } : {}),
        ...(u ? { submittedBy: u.address } : {}),
      },
      (check, err) => log.error({ err, check, queueId }, 'smtp: message check failed'),
    );
    const v = outcome.verdict;
    if (v.action === 'reject') {
      log.info(
        { queueId, check: outcome.decidedBy, reason: v.reason, ip: session.remoteAddress },
        'smtp: refused',
      );
      throw new SmtpReply(withText(REPLIES.rejectedByCheck, v.text));
    }
    if (v.action === 'tempfail') throw new SmtpReply(withText(REPLIES.tempfailByCheck, v.text));
    const tls = session.tlsOptions
      ? `using ${session.tlsOptions.version} with cipher ${session.tlsOptions.name}`
      : null;
    const received = receivedField({
      helo,
      ip: session.remoteAddress,
      hostname: config.hostname,
      protocol: session.transmissionType || 'ESMTP',
      id: queueId,
      recipients: rcpts,
      tls,
      authenticatedAs: u?.address ?? null,
      at: deps.clock.now(),
    });
    const final = Buffer.concat([Buffer.from(received + authHeaders, 'utf8'), content]);
    // Indexed once, on the bytes that are stored: the attachment rule (Điều 9.1.b) and ingest share it.
    const index = checkAttachments(final, config.quota.maxAttachmentBytes);
    await deliver(deps, {
      content: final,
      mailFrom,
      local: [...st.local.values()],
      remote: [...st.remote.values()],
      quarantine: v.action === 'quarantine',
      submitter: u
        ? { id: u.id, address: u.address, clientIp: session.remoteAddress, onBehalfOf, from }
        : null,
      queueId,
      messageId: index.root.envelope?.messageId ?? null,
      index,
    });
    return `${replyText(REPLIES.accepted)} (id ${queueId})`;
  }

  return { onConnect, onSecure, onClose, onAuth, onMailFrom, onRcptTo, onData };
}
