// The daily lifecycle service (src/app/services/lifecycle.ts) on both backends: it waits for the
// configured hour in Vietnam, runs the job as the system, and stops cleanly.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, type SystemFixture } from '../support/system.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { startLifecycleService } from '../../src/app/services/lifecycle.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';

const backends = await availableBackends();

describe.each(backends)('lifecycle service on %s', (name) => {
  let fx: SystemFixture;
  const clock = new ManualClock('2026-01-05T02:00:00Z');
  beforeAll(async () => {
    fx = await systemFixture(name, { notices: { lifecycleHour: 3 } }, clock);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await fx.close();
  });

  it('runs the job at the configured hour (03:00 Vietnam) and not before', async () => {
    clock.set('2026-04-06T19:30:00Z'); // 02:30 on 2026-04-07 in Vietnam
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const services = await startLifecycleService({
      system: fx.system,
      tls: fx.tls,
      metrics: createMetrics(),
      log: createLogger({ level: 'silent' }),
    });
    const actions = () => fx.system.store.db.selectFrom('lifecycle_actions').select('kind').execute();
    await vi.advanceTimersByTimeAsync(29 * 60_000);
    expect(await actions()).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(async () => expect((await actions()).map((a) => a.kind)).toEqual(['report-inactive']));
    for (const s of services) await s.stop();
    vi.useRealTimers();
  });
});
