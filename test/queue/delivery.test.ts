// The outbound queue on both backends, over real sockets: a real smtp-server on 127.0.0.1 plays the
// remote MX; only DNS is a table. Time moves on a manual clock. Covers FLT-10 (days of retries,
// one "delayed" then one "failed" DSN), FLT-03 (restart: delivered exactly once), G4 (blob
// references), RFC 5321 §5.1 (MX order, implicit MX), RFC 7505 (null MX), RFC 3464 (DSNs).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { operator } from '../support/system.ts';
import { openSystem } from '../../src/app/index.ts';
import { createOutboundQueue, outboundQueueFor, startQueueService } from '../../src/app/services/queue.ts';
import type { ServiceStarter } from '../../src/app/server.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';
import { tableResolver } from '../../src/queue/index.ts';
import { claimDue } from '../../src/queue/queue-store.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/util/clock.ts';
import { dsnParts, drain, outgoing, queueFixture, type QueueFixture } from './support.ts';

const backends = await availableBackends();

async function blobRefs(fx: QueueFixture, id: string): Promise<number> {
  const row = await fx.f.system.store.db
    .selectFrom('blobs')
    .select('refcount')
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(row?.refcount ?? 0);
}

async function queuedBlob(fx: QueueFixture, id: string): Promise<string> {
  const row = await fx.f.system.store.db
    .selectFrom('queue_messages')
    .select('blob_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.blob_id;
}

describe.each(backends)('outbound queue on %s', (backend) => {
  let fx: QueueFixture;
  beforeEach(async () => {
    fx = await queueFixture(backend);
  });
  afterEach(async () => fx.close());

  it('delivers to the remote MX over STARTTLS, holding a blob reference until done (G1, G4)', async () => {
    const content = outgoing(fx.sender.address, 'bob@remote.example');
    const { id } = await fx.queue.enqueue({
      content,
      mailFrom: fx.sender.address,
      recipients: ['bob@remote.example'],
      submittedBy: fx.sender.id,
    });
    // Durable when enqueue resolved: the rows are committed and the blob is referenced.
    const blob = await queuedBlob(fx, id);
    expect(await blobRefs(fx, blob)).toBe(1);
    expect((await fx.queue.list(operator))[0]!.recipients[0]!.state).toBe('queued');

    const report = await fx.queue.runOnce();
    expect(report).toMatchObject({ claimed: 1, delivered: 1, deferred: 0, failed: 0 });
    expect(fx.mx.received).toHaveLength(1);
    const got = fx.mx.received[0]!;
    expect(got.from).toBe(fx.sender.address);
    expect(got.to).toEqual(['bob@remote.example']);
    expect(got.secure).toBe(true); // opportunistic STARTTLS with a self-signed certificate
    expect(got.helo).toBe(fx.f.config.hostname);
    expect(got.raw.toString()).toMatch(/^DKIM-Signature: /);
    expect(got.raw.subarray(got.raw.indexOf('From:'))).toEqual(content);
    // Finished: removed from the queue, blob reference released (the GC may collect it).
    expect(await fx.queue.list(operator)).toEqual([]);
    expect(await blobRefs(fx, blob)).toBe(0);
    expect((await fx.queue.runOnce()).claimed).toBe(0);
    expect(fx.mx.received).toHaveLength(1);
  });

  it('defers on 451, backs off 5 minutes, then delivers on the retry (FLT-10)', async () => {
    let calls = 0;
    fx.mx.dataReply = () => (calls++ === 0 ? { code: 451, message: '4.3.0 Try again later' } : null);
    const { id } = await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'bob@remote.example'),
      mailFrom: fx.sender.address,
      recipients: ['bob@remote.example'],
      submittedBy: fx.sender.id,
    });
    const t0 = fx.clock.now().getTime();
    expect(await fx.queue.runOnce()).toMatchObject({ deferred: 1, delivered: 0 });
    const [m] = await fx.queue.list(operator);
    expect(m!.id).toBe(id);
    const r = m!.recipients[0]!;
    expect(r).toMatchObject({ state: 'deferred', attempts: 1, lastStatus: '4.3.0' });
    expect(r.lastReply).toContain('451');
    const wait = Date.parse(r.nextAttemptAt!) - t0;
    expect(wait).toBeGreaterThanOrEqual(5 * MINUTE_MS);
    expect(wait).toBeLessThanOrEqual(5.5 * MINUTE_MS);
    // Not due yet: nothing happens.
    expect((await fx.queue.runOnce()).claimed).toBe(0);
    fx.clock.advance(wait);
    expect(await fx.queue.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(fx.mx.received).toHaveLength(1);
    expect(await fx.queue.list(operator)).toEqual([]);
    expect(await fx.inbox()).toHaveLength(0); // no notice for a short delay
  });

  it('a 5xx refusal fails at once: one DSN in Vietnamese and English to the local sender, original header attached', async () => {
    fx.mx.rcptReply = (a) =>
      a === 'bob@remote.example' ? { code: 550, message: '5.1.1 <bob@remote.example>: no such user' } : null;
    const content = outgoing(fx.sender.address, 'bob@remote.example');
    await fx.queue.enqueue({
      content,
      mailFrom: fx.sender.address,
      recipients: ['bob@remote.example', 'carol@remote.example'],
      submittedBy: fx.sender.id,
    });
    expect(await fx.queue.runOnce()).toMatchObject({ delivered: 1, failed: 1, dsns: 1 });
    expect(fx.mx.received.map((m) => m.to)).toEqual([['carol@remote.example']]);
    const inbox = await fx.inbox();
    expect(inbox).toHaveLength(1);
    const dsn = dsnParts(inbox[0]!);
    expect(dsn.contentType).toMatch(/^multipart\/report;.*report-type=delivery-status/);
    expect(dsn.header.replace(/\r\n[ \t]+/g, ' ')).toMatch(/^From: .*<MAILER-DAEMON@quangtri\.gov\.vn>/m);
    expect(dsn.header).toMatch(/^Auto-Submitted: auto-replied/m);
    expect(dsn.text).toContain('không gửi được');
    expect(dsn.text).toContain('could not be delivered');
    expect(dsn.text.indexOf('không gửi được')).toBeLessThan(dsn.text.indexOf('could not be delivered'));
    expect(dsn.text).toContain('Công văn số 12'); // the original subject, decoded
    expect(dsn.status).toContain('Reporting-MTA: dns; mail.quangtri.gov.vn');
    expect(dsn.status).toContain('Final-Recipient: rfc822; bob@remote.example');
    expect(dsn.status).toContain('Action: failed');
    expect(dsn.status).toContain('Status: 5.1.1');
    expect(dsn.status).toContain('Diagnostic-Code: smtp; 550 5.1.1');
    expect(dsn.status).not.toContain('carol@remote.example');
    const messageId = /^Message-ID: (.*)$/m.exec(content.toString())![1]!;
    expect(dsn.original).toContain(`Message-ID: ${messageId}`);
    expect(dsn.original).not.toContain('Kính gửi'); // header only, not the body
    // Nothing left, and no second notice.
    await fx.queue.runOnce();
    expect(await fx.inbox()).toHaveLength(1);
    expect(await fx.queue.list(operator)).toEqual([]);
  });

  it('the remote MX is gone for 5 days: one "delayed" DSN after 4 h, then one "failed" DSN at expiry (FLT-10)', async () => {
    await fx.mx.close();
    const t0 = fx.clock.now().getTime();
    await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'bob@remote.example'),
      mailFrom: fx.sender.address,
      recipients: ['bob@remote.example'],
      submittedBy: fx.sender.id,
    });
    const waits: number[] = [];
    let delayedAt: number | null = null;
    let last = t0;
    const passes = await drain(fx, {
      onPass: async () => {
        const now = fx.clock.now().getTime();
        waits.push(now - last);
        last = now;
        if (delayedAt === null && (await fx.inbox()).length > 0) delayedAt = now;
      },
    });
    const failedAt = fx.clock.now().getTime();
    // Backoff: 5, 10, 20, 40 min, then capped near 70 min (each with up to 10 % jitter).
    const minutes = waits.slice(1, 7).map((w) => Math.round(w / MINUTE_MS));
    expect(minutes[0]).toBeGreaterThanOrEqual(5);
    expect(minutes[0]).toBeLessThanOrEqual(6);
    expect(minutes[1]).toBeGreaterThanOrEqual(10);
    expect(minutes[2]).toBeGreaterThanOrEqual(20);
    expect(minutes[3]).toBeGreaterThanOrEqual(40);
    expect(Math.max(...waits)).toBeLessThanOrEqual(77 * MINUTE_MS);
    expect(passes).toBeGreaterThan(90);
    expect(failedAt - t0).toBeGreaterThanOrEqual(5 * DAY_MS);
    expect(failedAt - t0).toBeLessThan(5 * DAY_MS + HOUR_MS);
    expect(delayedAt! - t0).toBeGreaterThanOrEqual(4 * HOUR_MS);
    expect(delayedAt! - t0).toBeLessThan(5.5 * HOUR_MS);

    const inbox = await fx.inbox();
    expect(inbox).toHaveLength(2);
    const [delayed, failed] = inbox.map(dsnParts);
    expect(delayed!.status).toContain('Action: delayed');
    expect(delayed!.status).toMatch(/^Will-Retry-Until: /m);
    expect(delayed!.text).toContain('chưa gửi được');
    expect(delayed!.text).toContain('not been delivered yet');
    expect(failed!.status).toContain('Action: failed');
    expect(failed!.status).toContain('Status: 4.4.7');
    expect(failed!.text).toContain('hết thời hạn');
    expect(await fx.queue.list(operator)).toEqual([]);
  });

  it('a null MX fails at once with 5.1.10 and no connection attempt (RFC 7505)', async () => {
    await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'x@nullmx.example'),
      mailFrom: fx.sender.address,
      recipients: ['x@nullmx.example'],
      submittedBy: fx.sender.id,
    });
    expect(await fx.queue.runOnce()).toMatchObject({ failed: 1, dsns: 1 });
    expect(fx.mx.connections).toBe(0);
    const dsn = dsnParts((await fx.inbox())[0]!);
    expect(dsn.status).toContain('Status: 5.1.10');
    expect(dsn.status).toContain('null MX');
  });

  it('follows MX preference, falls back to the next MX, uses the implicit MX, and tells NXDOMAIN from SERVFAIL (RFC 5321 §5.1)', async () => {
    Object.assign(fx.dns, {
      'pref.example': {
        mx: [
          { exchange: 'backup.pref.example', priority: 20 },
          { exchange: 'primary.pref.example', priority: 10 },
        ],
      },
      'primary.pref.example': { a: ['127.0.0.2'] }, // nothing listens there: refused
      'backup.pref.example': { a: ['127.0.0.1'] },
      'implicit.example': { a: ['127.0.0.1'] },
      'broken.example': { fail: 'ESERVFAIL' },
    });
    await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'a@pref.example'),
      mailFrom: fx.sender.address,
      recipients: ['a@pref.example', 'b@implicit.example', 'c@broken.example', 'd@nxdomain.example'],
      submittedBy: fx.sender.id,
    });
    const report = await fx.queue.runOnce();
    expect(report).toMatchObject({ delivered: 2, deferred: 1, failed: 1 });
    expect(fx.mx.received.flatMap((m) => m.to).sort()).toEqual(['a@pref.example', 'b@implicit.example']);
    const [m] = await fx.queue.list(operator);
    const broken = m!.recipients.find((r) => r.address === 'c@broken.example')!;
    expect(broken).toMatchObject({ state: 'deferred', lastStatus: '4.4.3' });
    const dsn = dsnParts((await fx.inbox())[0]!);
    expect(dsn.status).toContain('Final-Recipient: rfc822; d@nxdomain.example');
    expect(dsn.status).toContain('Status: 5.1.2');
  });

  it('never sends a DSN about a message with the null sender', async () => {
    fx.mx.rcptReply = () => ({ code: 550, message: '5.1.1 no such user' });
    await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'bob@remote.example'),
      mailFrom: '',
      recipients: ['bob@remote.example'],
      submittedBy: null,
    });
    expect(await fx.queue.runOnce()).toMatchObject({ failed: 1, dsns: 0 });
    // A null-sender message that keeps failing past the warning time and the lifetime gets no
    // notice either (a 6-hour lifetime keeps the test short; the rules are the same).
    fx.mx.rcptReply = () => ({ code: 451, message: '4.2.0 busy' });
    fx.queue = await fx.newQueue({ maxLifetimeMs: 6 * HOUR_MS });
    await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'bob@remote.example'),
      mailFrom: '',
      recipients: ['bob@remote.example'],
      submittedBy: null,
    });
    expect(await drain(fx)).toBeGreaterThan(5);
    const all = await fx.f.system.store.db.selectFrom('messages').select('id').execute();
    expect(all).toHaveLength(0);
    expect(await fx.queue.list(operator)).toEqual([]);
  });

  it('after a restart a new runner delivers a queued message exactly once; a dead runner’s claim expires (FLT-03)', async () => {
    const { id } = await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'bob@remote.example'),
      mailFrom: fx.sender.address,
      recipients: ['bob@remote.example'],
      submittedBy: fx.sender.id,
    });
    const second = await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'carol@remote.example'),
      mailFrom: fx.sender.address,
      recipients: ['carol@remote.example'],
      submittedBy: fx.sender.id,
    });
    // A runner claims the second message and dies before trying it.
    const claimed = await claimDue(fx.f.system.store, fx.clock.now().getTime(), {
      limit: 1,
      leaseMs: 30 * MINUTE_MS,
    });
    expect(claimed.map((c) => c.messageId)).toEqual([id]);
    // "Restart": a new process opens the same store and builds a new queue.
    const restarted = await openSystem(fx.f.config);
    try {
      const q2 = await createOutboundQueue(restarted, {
        clock: fx.clock,
        resolver: tableResolver(fx.dns),
        settings: { mxPort: fx.mx.port },
      });
      expect(await q2.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      expect(fx.mx.received.flatMap((m) => m.to)).toEqual(['carol@remote.example']);
      expect((await q2.list(operator)).map((m) => m.id)).toEqual([id]);
      fx.clock.advance(31 * MINUTE_MS); // the dead runner's lease runs out
      expect(await q2.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      await q2.runOnce();
      await fx.queue.runOnce();
      expect(fx.mx.received.flatMap((m) => m.to).sort()).toEqual([
        'bob@remote.example',
        'carol@remote.example',
      ]);
      expect(await q2.list(operator)).toEqual([]);
      expect(second.id).not.toBe(id);
    } finally {
      await restarted.close();
    }
  });

  it('refuses bad enqueues and stores nothing', async () => {
    const base = {
      content: outgoing(fx.sender.address, 'x@remote.example'),
      mailFrom: fx.sender.address,
      submittedBy: null,
    };
    await expect(fx.queue.enqueue({ ...base, recipients: [] })).rejects.toThrow(/No recipients/);
    await expect(fx.queue.enqueue({ ...base, recipients: ['nguyenvanan@quangtri.gov.vn'] })).rejects.toThrow(
      /local address/,
    );
    await expect(
      fx.queue.enqueue({ ...base, recipients: ['bad\r\nRCPT TO:<x@y.z>@remote.example'] }),
    ).rejects.toThrow(/Invalid recipient/);
    await expect(
      fx.queue.enqueue({ ...base, mailFrom: 'no-at-sign', recipients: ['x@remote.example'] }),
    ).rejects.toThrow(/Invalid envelope sender/);
    expect(await fx.queue.list(operator)).toEqual([]);
  });

  it('runs as a service (ServiceStarter): woken by an enqueue it delivers by itself, and stops gracefully (FLT-14)', async () => {
    // The SMTP server and the service share one queue per system.
    const q = await outboundQueueFor(fx.f.system, {
      clock: fx.clock,
      resolver: tableResolver(fx.dns),
      settings: { mxPort: fx.mx.port },
    });
    const starter: ServiceStarter = startQueueService;
    const services = await starter({
      system: fx.f.system,
      tls: fx.f.tls,
      metrics: createMetrics(),
      log: createLogger({ level: 'silent' }),
    });
    expect(await outboundQueueFor(fx.f.system)).toBe(q);
    expect(services.map((s) => s.name)).toEqual(['queue']);
    await q.enqueue({
      content: outgoing(fx.sender.address, 'bob@remote.example'),
      mailFrom: fx.sender.address,
      recipients: ['bob@remote.example'],
      submittedBy: fx.sender.id,
    });
    const deadline = Date.now() + 10_000;
    while (fx.mx.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(fx.mx.received).toHaveLength(1);
    const t = Date.now();
    await services[0]!.stop();
    expect(Date.now() - t).toBeLessThan(2000);
  });
});
