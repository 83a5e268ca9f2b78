/**
 * Starting and stopping the SMTP listeners: MX (`ports.smtp`), submission with STARTTLS
 * (`ports.submission`, RFC 6409) and submission over implicit TLS (`ports.submissions`, RFC 8314),
 * one smtp-server instance per listener and listen address. Port 0 lets the kernel choose (tests);
 * the bound ports are returned.
 *
 * smtp-server options that carry policy:
 * - `size` = smtp.maxMessageBytes: SIZE advertised (RFC 1870), MAIL … SIZE= over it → 552 5.3.4,
 *   and data-reader.ts enforces it while streaming;
 * - `maxRecipients` → 452 4.5.3 past the limit (RFC 5321 §4.5.3.1.8); `maxClients`, `socketTimeout`
 *   (idle, RFC 5321 §4.5.3.2.7), `maxCommandLength` (longer lines close the connection, SMTP-11);
 * - ENHANCEDSTATUSCODES on (RFC 2034); PIPELINING on; DSN, REQUIRETLS off; no reverse DNS
 *   (Received shows the address literal; cheaper and never a DNS-controlled string in a header).
 *
 * `CongthuSmtpServer` adapts smtp-server in three small ways, on each new connection:
 * - a reply whose text already starts with an enhanced status code (ours, replies.ts) is sent
 *   without smtp-server's own generic code in front;
 * - AUTH on the MX gets 503 5.5.1, and AUTH before TLS on submission 538 5.7.11 (AUTH-05, AUTH-08)
 *   instead of smtp-server's "command not recognized";
 * - the policy can close a session (pipelining abuse, bare CR/LF, session time limit).
 */
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type net from 'node:net';
import type tls from 'node:tls';
import { makeHooks, type CloseSession, type ListenerKind, type SmtpPolicyDeps } from './hooks.ts';
import { isLoopback } from './limits.ts';
import { REPLIES, replyText, type Reply } from './replies.ts';

type Connection = SMTPServer['connections'] extends Set<infer C> ? C : never;

const TRANSACTION = new Set(['MAIL', 'RCPT', 'DATA', 'BDAT']);
const ENHANCED_PREFIX = /^[245]\.\d{1,3}\.\d{1,3} /;

class CongthuSmtpServer extends SMTPServer {
  readonly bySession = new WeakMap<SMTPServerSession, Connection>();

  constructor(
    options: SMTPServerOptions,
    private readonly kind: ListenerKind,
    private readonly authOnPlain: (session: SMTPServerSession) => boolean,
  ) {
    super(options);
  }

  override connect(
    socket: net.Socket | tls.TLSSocket,
    socketOptions?: Parameters<SMTPServer['connect']>[1],
  ): void {
    super.connect(socket, socketOptions);
    let conn: Connection | undefined;
    for (const c of this.connections) conn = c; // the newest: connect() just added it
    if (!conn) return;
    const c = conn;
    this.bySession.set(c.session, c);
    const send = c.send.bind(c);
    c.send = (code, data, context) =>
      send(code, data, typeof data === 'string' && ENHANCED_PREFIX.test(data) ? false : context);
    const onCommand = c._onCommand.bind(c);
    c._onCommand = (command, callback) => {
      const name = /^\s*(\S*)/.exec(command.toString('latin1', 0, 32))?.[1]?.toUpperCase() ?? '';
      if (!c._nextHandler && !c._upgrading && c._ready && c.hostNameAppearsAs) {
        let refuse: Reply | null = null;
        if (name === 'AUTH')
          refuse =
            this.kind === 'mx'
              ? REPLIES.authNotOnMx
              : !c.secure && !this.authOnPlain(c.session)
                ? REPLIES.authNeedsTls
                : null;
        // RFC 4954 §6 / SMTP-05: no transaction on submission before AUTH, TLS or not.
        else if (this.kind !== 'mx' && !c.session.user && TRANSACTION.has(name))
          refuse = REPLIES.authRequired;
        if (refuse) {
          c.send(refuse.code, replyText(refuse), false);
          if (++c._unrecognizedCommands >= 10) c.send(421, replyText(REPLIES.closing), false);
          setImmediate(() => c._whenWritable(callback ?? (() => undefined)));
          return;
        }
      }
      onCommand(command, callback);
    };
  }

  closeSession(session: SMTPServerSession, line?: string): void {
    const c = this.bySession.get(session);
    if (!c) return;
    if (line) {
      const code = Number(line.slice(0, 3));
      c.send(code, line.slice(4), false); // 421 closes
    }
    c.close();
  }
}

export interface SmtpListener {
  kind: ListenerKind;
  host: string;
  port: number;
}

export interface RunningSmtp {
  listeners: SmtpListener[];
  stop(): Promise<void>;
}

export interface StartListenersOptions {
  deps: SmtpPolicyDeps;
  tls: { cert: string; key: string };
  /** How long stop() lets open sessions finish before closing them with 421 (default 10 s). */
  closeTimeoutMs?: number;
}

function listen(server: SMTPServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.server.once('error', onError);
    server.listen(port, host, () => {
      server.server.off('error', onError);
      const addr = server.server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

export async function startListeners(o: StartListenersOptions): Promise<RunningSmtp> {
  const { deps } = o;
  const { config } = deps;
  const s = config.smtp;
  const servers: SMTPServer[] = [];
  const listeners: SmtpListener[] = [];
  const plainAllowed = (session: SMTPServerSession): boolean =>
    config.env === 'development' && isLoopback(session.remoteAddress);
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
  };
  const kinds: Array<{ kind: ListenerKind; port: number }> = [
    { kind: 'mx', port: config.ports.smtp },
    { kind: 'submission', port: config.ports.submission },
    { kind: 'submissions', port: config.ports.submissions },
  ];
  try {
    for (const { kind, port } of kinds) {
      for (const host of config.listen) {
        let server: CongthuSmtpServer | null = null;
        const closeSession: CloseSession = (session, line) => server?.closeSession(session, line);
        const hooks = makeHooks(kind, deps, closeSession);
        server = new CongthuSmtpServer(
          {
            name: config.hostname,
            banner: 'Congthu — Hệ thống thư điện tử công vụ / official-duty mail',
            secure: kind === 'submissions',
            key: o.tls.key,
            cert: o.tls.cert,
            logger: false,
            size: s.maxMessageBytes,
            maxRecipients: s.maxRecipients,
            maxClients: s.maxConnections,
            socketTimeout: s.idleTimeoutSeconds * 1000,
            closeTimeout: o.closeTimeoutMs ?? 10_000,
            maxCommandLength: s.maxCommandLineBytes,
            hideENHANCEDSTATUSCODES: false,
            hideDSN: true,
            hideREQUIRETLS: true,
            disableReverseLookup: true,
            authMethods: ['PLAIN', 'LOGIN'],
            authOptional: kind === 'mx',
            allowInsecureAuth: true, // enforced by our hooks: TLS, or loopback in development
            disabledCommands: kind === 'mx' ? ['AUTH'] : [],
            authRequiredMessage: `${REPLIES.authRequired.text.vi} / ${REPLIES.authRequired.text.en}`,
            ...hooks,
          },
          kind,
          plainAllowed,
        );
        server.on('error', (err) => deps.log.debug({ err, listener: kind }, 'smtp: connection error'));
        servers.push(server);
        const bound = await listen(server, port, host);
        listeners.push({ kind, host, port: bound });
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  deps.log.info({ smtp: listeners.map((l) => `${l.kind} ${l.host}:${l.port}`) }, 'smtp listening');
  return { listeners, stop };
}
