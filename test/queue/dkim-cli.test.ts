// DKIM signing verified by mailauth against the record `congthu dkim show` prints, stray CR/LF
// normalised before signing (catalogue SMTP-03), and `congthu queue list|retry|drop` through the
// CLI, on both backends.
import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { availableBackends } from '../support/backends.ts';
import { cli } from '../support/cli.ts';
import { operator } from '../support/system.ts';
import { listAudit } from '../../src/store/index.ts';
import { MINUTE_MS } from '../../src/util/clock.ts';
import { outgoing, queueFixture, type QueueFixture } from './support.ts';

const backends = await availableBackends();

interface ShownRecord {
  domain: string;
  selector: string;
  name: string;
  value: string;
  zoneLine: string;
  keyFile: string;
}

describe.each(backends)('DKIM, SMTP-03 and the queue CLI on %s', (backend) => {
  let fx: QueueFixture;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    fx = await queueFixture(backend);
    env = {
      CONGTHU_DATA_DIR: fx.f.backend.dir,
      CONGTHU_DATABASE_URL: fx.f.backend.url,
      CONGTHU_EXTRA_DOMAINS: 'quangbinh.gov.vn',
    };
  });
  afterEach(async () => fx.close());

  async function publishedRecords(): Promise<ShownRecord[]> {
    const r = await cli(env, ['dkim', 'show', '--json']);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as ShownRecord[];
  }

  function resolverFor(records: ShownRecord[]) {
    return async (name: string, type: string): Promise<string[][]> => {
      const rec = records.find((r) => r.name === name.toLowerCase());
      if (type !== 'TXT' || !rec) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return [[rec.value]];
    };
  }

  it('signs with the domain key; the signature verifies against the record `dkim show` prints', async () => {
    const records = await publishedRecords();
    expect(records.map((r) => r.domain)).toEqual(['quangtri.gov.vn', 'quangbinh.gov.vn']);
    for (const r of records) {
      expect(r.name).toBe(`congthu._domainkey.${r.domain}`);
      expect(r.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
      expect(statSync(r.keyFile).mode & 0o777).toBe(0o600);
    }
    const human = await cli(env, ['dkim', 'show']);
    expect(human.stdout).toContain('congthu._domainkey.quangtri.gov.vn. IN TXT ( "v=DKIM1; k=rsa; p=');

    await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'bob@remote.example'),
      mailFrom: fx.sender.address,
      recipients: ['bob@remote.example'],
      submittedBy: fx.sender.id,
    });
    await fx.queue.runOnce();
    const raw = fx.mx.received[0]!.raw;
    const result = await dkimVerify(raw, { resolver: resolverFor(records) });
    expect(result.results).toHaveLength(1);
    expect(result.results[0]!.status.result).toBe('pass');
    expect(result.results[0]!.signingDomain).toBe('quangtri.gov.vn');
    // A changed body no longer verifies: the check can fail.
    const tampered = Buffer.from(raw.toString('utf8').replace('quý cơ quan', 'quy co quan'), 'utf8');
    expect(tampered.equals(raw)).toBe(false);
    const bad = await dkimVerify(tampered, { resolver: resolverFor(records) });
    expect(bad.results[0]!.status.result).not.toBe('pass');
  });

  it('replaces stray CR and LF before signing; a smuggled MAIL FROM never becomes a second message (SMTP-03)', async () => {
    const records = await publishedRecords();
    const body =
      'x\n.\r\nMAIL FROM:<attacker@evil.example>\r\nRCPT TO:<victim@remote.example>\r\nDATA\r\nlone\rcr\r\n.leading dot';
    await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'bob@remote.example', body),
      mailFrom: fx.sender.address,
      recipients: ['bob@remote.example'],
      submittedBy: fx.sender.id,
    });
    await fx.queue.runOnce();
    expect(fx.mx.received).toHaveLength(1);
    const got = fx.mx.received[0]!;
    expect(got.to).toEqual(['bob@remote.example']);
    const text = got.raw.toString('utf8');
    expect(text).not.toMatch(/[^\r]\n|\r[^\n]/); // every CR and LF is part of a CRLF
    expect(text).toContain('\r\nx .\r\nMAIL FROM:<attacker@evil.example>\r\n');
    expect(text).toContain('lone cr');
    expect(text).toContain('\r\n.leading dot\r\n'); // dot-stuffed on the wire, unstuffed by the server
    const result = await dkimVerify(got.raw, { resolver: resolverFor(records) });
    expect(result.results[0]!.status.result).toBe('pass');
  });

  it('congthu queue list, retry and drop (with --json, --help and clear errors)', async () => {
    fx.mx.rcptReply = () => ({ code: 451, message: '4.7.1 greylisted' });
    const a = await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'bob@remote.example'),
      mailFrom: fx.sender.address,
      recipients: ['bob@remote.example'],
      submittedBy: fx.sender.id,
    });
    const b = await fx.queue.enqueue({
      content: outgoing(fx.sender.address, 'carol@remote.example', 'Thư thứ hai.'),
      mailFrom: fx.sender.address,
      recipients: ['carol@remote.example'],
      submittedBy: fx.sender.id,
    });
    await fx.queue.runOnce();

    const list = await cli(env, ['queue', 'list', '--json']);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as Array<{
      id: string;
      subject: string;
      recipients: Array<{ state: string; attempts: number; lastReply: string }>;
    }>;
    expect(rows.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    const rowA = rows.find((r) => r.id === a.id)!;
    expect(rowA.subject).toBe('Công văn số 12');
    expect(rowA.recipients[0]).toMatchObject({ state: 'deferred', attempts: 1 });
    expect(rowA.recipients[0]!.lastReply).toContain('451 4.7.1 greylisted');
    const human = await cli(env, ['queue', 'list']);
    expect(human.stdout).toContain(a.id);
    expect(human.stdout).toContain('deferred');
    expect(human.stdout).toContain('(2)');

    // retry: due now (the backoff would have waited 5 minutes).
    fx.mx.rcptReply = () => null;
    fx.clock.advance(MINUTE_MS);
    expect((await fx.queue.runOnce()).claimed).toBe(0);
    const retry = await cli(env, ['queue', 'retry', a.id, '--json']);
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.stdout)).toEqual({ id: a.id, recipients: 1 });
    fx.clock.advance(MINUTE_MS);
    expect(await fx.queue.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(fx.mx.received.flatMap((m) => m.to)).toEqual(['bob@remote.example']);

    // drop: gone, blob reference released, audited, no DSN.
    const blob = (
      await fx.f.system.store.db
        .selectFrom('queue_messages')
        .select('blob_id')
        .where('id', '=', b.id)
        .executeTakeFirstOrThrow()
    ).blob_id;
    const drop = await cli(env, ['queue', 'drop', b.id, '--reason', 'người gửi yêu cầu hủy', '--json']);
    expect(drop.code).toBe(0);
    expect(JSON.parse(drop.stdout)).toEqual({ dropped: b.id, recipients: ['carol@remote.example'] });
    expect(await fx.queue.list(operator)).toEqual([]);
    const ref = await fx.f.system.store.db
      .selectFrom('blobs')
      .select('refcount')
      .where('id', '=', blob)
      .executeTakeFirstOrThrow();
    expect(Number(ref.refcount)).toBe(0);
    const [event] = await listAudit(fx.f.system.store.db, { action: 'queue.drop' });
    expect(event).toMatchObject({ targetId: b.id, reason: 'người gửi yêu cầu hủy' });
    expect(event!.actor).toMatch(/^cli:/);
    expect(event!.details).toMatchObject({
      mailFrom: fx.sender.address,
      recipients: ['carol@remote.example (deferred)'],
    });
    await fx.queue.runOnce();
    expect(await fx.inbox()).toHaveLength(0);

    // Errors and help.
    const missing = await cli(env, ['queue', 'drop', b.id]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Không có thư');
    expect(missing.stderr).toContain('No message');
    const missingJson = await cli(env, ['queue', 'retry', 'nope', '--json']);
    expect(missingJson.code).toBe(1);
    expect(JSON.parse(missingJson.stdout).error.code).toBe('queue.not-found');
    for (const words of [
      ['queue', 'list'],
      ['queue', 'retry'],
      ['queue', 'drop'],
      ['dkim', 'show'],
    ]) {
      const help = await cli(env, [...words, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`congthu ${words.join(' ')}`);
    }
    expect((await cli(env, ['queue', 'retry'])).code).toBe(2);
  });
});
