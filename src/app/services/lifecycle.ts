/**
 * The daily lifecycle job as a service (Điều 5.1, 7.3, 8.2.a): runs `LifecycleService.run` once a
 * day at `notices.lifecycleHour` o'clock, Asia/Ho_Chi_Minh (UTC+7, whatever the host's zone), as
 * the system, followed by the requests' sweep (Điều 7.2.b, 8.3.b: deadline reminders one working
 * day before, overdue alerts, letters and activation links a crash left unsent). The rules are "due on or after a day", so a day missed while the server was down is
 * caught up by the next run. A run that fails is logged and retried at the next hour mark.
 * Stop clears the timer and waits for a run in progress.
 */
import { systemCaller } from '../../directory/index.ts';
import { governanceFor } from '../../governance/index.ts';
import { HOUR_MS } from '../../util/clock.ts';
import type { ServiceStarter } from './types.ts';

const VN_OFFSET_MS = 7 * HOUR_MS;
/** Milliseconds from `nowMs` to the next `hour`:00 in Vietnam (strictly after now). */
export function msUntilHour(nowMs: number, hour: number): number {
  const local = nowMs + VN_OFFSET_MS;
  const dayStart = Math.floor(local / (24 * HOUR_MS)) * 24 * HOUR_MS;
  let next = dayStart + hour * HOUR_MS;
  if (next <= local) next += 24 * HOUR_MS;
  return next - local;
}

export const startLifecycleService: ServiceStarter = async ({ system, log }) => {
  const governance = governanceFor(system);
  const hour = system.config.notices.lifecycleHour;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const schedule = (delay: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = (async () => {
        let retry = false;
        try {
          const r = await governance.lifecycle.run(systemCaller);
          log.info({ actions: r.actions.length }, 'lifecycle job done');
          for (const a of r.actions) log.info(a, 'lifecycle action');
        } catch (err) {
          retry = true;
          log.error({ err }, 'lifecycle job failed');
        }
        try {
          const s = await governance.requests.sweep(systemCaller);
          log.info(s, 'request deadlines swept');
        } catch (err) {
          retry = true;
          log.error({ err }, 'request sweep failed');
        }
        running = null;
        schedule(retry ? HOUR_MS : msUntilHour(system.clock.now().getTime(), hour));
      })();
    }, delay);
    timer.unref();
  };
  schedule(msUntilHour(system.clock.now().getTime(), hour));
  log.info({ hour }, 'lifecycle job scheduled');
  return [
    {
      name: 'lifecycle',
      async stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        if (running) await running;
      },
    },
  ];
};
