/**
 * Test support for the outbound queue: a real SMTP server (smtp-server) on 127.0.0.1 playing the
 * remote MX, which can accept, defer (4xx), refuse (5xx) or disappear; and a whole system with a
 * queue on a manual clock whose DNS is a table pointing the remote domains at that server.
 */
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/util/clock.ts';
import { createOutboundQueue } from '../../src/app/services/queue.ts';
import {
  tableResolver,
  type DnsEntry,
  type OutboundQueueService,
  type QueueSettings,
} from '../../src/queue/index.ts';
import { decodeBody, indexMessage, listParts } from '../../src/mail/index.ts';
import { systemFixture, type SystemFixture } from '../support/system.ts';
import type { BackendName } from '../support/backends.ts';

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  secure: boolean;
  helo: string;
}

export type Reply = { code: number; message: string } | null;

export class FakeMx {
  received: Received[] = [];
  connections = 0;
  rcptReply: (address: string) => Reply = () => null;
  dataReply: () => Reply = () => null;
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(tls?: { keyFile: string; certFile: string }): Promise<FakeMx> {
    const ref: { mx?: FakeMx } = {};
    const mxOf = (): FakeMx => ref.mx!;
    const fail = (r: Reply, cb: (err?: Error | null) => void): void => {
      if (!r) return cb();
      const err = Object.assign(new Error(r.message), { responseCode: r.code });
      cb(err);
    };
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['AUTH'],
      closeTimeout: 500,
      ...(tls
        ? { key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) }
        : { hideSTARTTLS: true }),
      onConnect(_session, cb) {
        mxOf().connections++;
        cb();
      },
      onRcptTo(address, _session, cb) {
        fail(mxOf().rcptReply(address.address), cb);
      },
      onData(stream, session: SMTPServerSession, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const r = mxOf().dataReply();
          if (r) return fail(r, cb);
          mxOf().received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((a) => a.address),
            raw: Buffer.concat(chunks),
            secure: session.secure,
            helo: session.hostNameAppearsAs,
          });
          cb();
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ref.mx = new FakeMx(server, (server.server.address() as AddressInfo).port);
    return ref.mx;
  }

  /** The remote disappears: nothing listens on its port any more. */
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface QueueFixture {
  f: SystemFixture;
  mx: FakeMx;
  clock: ManualClock;
  queue: OutboundQueueService;
  sender: { address: string; id: string };
  dns: Record<string, DnsEntry>;
  /** Messages in the sender's mailbox (DSNs arrive there). */
  inbox(accountId?: string): Promise<Buffer[]>;
  newQueue(settings?: Partial<QueueSettings>): Promise<OutboundQueueService>;
  close(): Promise<void>;
}

export async function queueFixture(
  backend: BackendName,
  options: { settings?: Partial<QueueSettings>; dns?: Record<string, DnsEntry> } = {},
): Promise<QueueFixture> {
  const f = await systemFixture(backend);
  const mx = await FakeMx.start(f.tls);
  const clock = new ManualClock(Date.now());
  const sender = await f.user('Nguyễn Văn An');
  const dns: Record<string, DnsEntry> = {
    'remote.example': { mx: [{ exchange: 'mx.remote.example', priority: 10 }] },
    'mx.remote.example': { a: ['127.0.0.1'] },
    'nullmx.example': { mx: [{ exchange: '', priority: 0 }] },
    ...options.dns,
  };
  const settings: Partial<QueueSettings> = {
    mxPort: mx.port,
    connectTimeoutMs: 3000,
    greetingTimeoutMs: 3000,
    socketTimeoutMs: 10_000,
    ...options.settings,
  };
  const newQueue = (more: Partial<QueueSettings> = {}): Promise<OutboundQueueService> =>
    createOutboundQueue(f.system, {
      clock,
      resolver: tableResolver(dns),
      settings: { ...settings, ...more },
    });
  const queue = await newQueue();
  return {
    f,
    mx,
    clock,
    queue,
    sender,
    dns,
    newQueue,
    async inbox(accountId = sender.id) {
      const rows = await f.system.store.db
        .selectFrom('messages')
        .innerJoin('folders', 'folders.id', 'messages.folder_id')
        .select(['messages.blob_id'])
        .where('folders.account_id', '=', accountId)
        .orderBy('messages.id')
        .execute();
      return Promise.all(rows.map((r) => f.system.blobs.read(r.blob_id)));
    },
    async close() {
      await queue.stop();
      await mx.close();
      await f.close();
    },
  };
}

export function outgoing(
  from: string,
  to: string,
  body = 'Kính gửi quý cơ quan, xin gửi công văn số 12.',
  extra = '',
): Buffer {
  return Buffer.from(
    [
      `From: =?UTF-8?B?${Buffer.from('Nguyễn Văn An').toString('base64')}?= <${from}>`,
      `To: <${to}>`,
      `Subject: =?UTF-8?Q?C=C3=B4ng_v=C4=83n_s=E1=BB=91_12?=`,
      'Date: Mon, 02 Nov 2026 09:00:00 +0700',
      `Message-ID: <cv12.${Math.random().toString(36).slice(2)}@quangtri.gov.vn>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      body + extra,
      '',
    ].join('\r\n'),
  );
}

/** The decoded parts of a DSN: its header text, the human text, the delivery-status and the attached header. */
export function dsnParts(raw: Buffer): {
  header: string;
  text: string;
  status: string;
  original: string;
  contentType: string;
} {
  const index = indexMessage(raw);
  const parts = listParts(index);
  const body = (type: string): string => {
    const p = parts.find((x) => `${x.type}/${x.subtype}` === type);
    if (!p) return '';
    return (decodeBody(raw.subarray(p.bodyStart, p.end), p.encoding) ?? Buffer.alloc(0)).toString('utf8');
  };
  const header = raw.subarray(0, index.root.bodyStart).toString('utf8');
  const ct = /^content-type:\s*((?:.|\r\n[ \t])*)/im.exec(header)?.[1]?.replace(/\r\n[ \t]/g, ' ') ?? '';
  return {
    header,
    text: body('text/plain'),
    status: body('message/delivery-status'),
    original: body('text/rfc822-headers'),
    contentType: ct,
  };
}

/** Runs passes, moving the manual clock to each next due time, until the queue is empty or `maxPasses`. */
export async function drain(
  fx: QueueFixture,
  options: { maxPasses?: number; onPass?: (pass: number) => Promise<void> | void } = {},
): Promise<number> {
  const max = options.maxPasses ?? 1000;
  for (let pass = 0; pass < max; pass++) {
    await fx.queue.runOnce();
    await options.onPass?.(pass);
    const next = await fx.f.system.store.db
      .selectFrom('queue_recipients')
      .select((eb) => eb.fn.min<number>('next_attempt_at').as('t'))
      .where('state', 'in', ['queued', 'deferred'])
      .executeTakeFirst();
    const pendingDsn = await fx.f.system.store.db
      .selectFrom('queue_recipients')
      .select('id')
      .where('dsn_pending', 'is not', null)
      .executeTakeFirst();
    if ((next?.t === null || next?.t === undefined) && !pendingDsn) return pass + 1;
    if (next?.t !== null && next?.t !== undefined && Number(next.t) > fx.clock.now().getTime())
      fx.clock.set(Number(next.t));
  }
  return max;
}
