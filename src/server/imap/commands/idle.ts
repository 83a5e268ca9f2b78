/**
 * IDLE (RFC 2177, RFC 9051 §6.3.13): `+ idling`, then changes (EXISTS, EXPUNGE, FETCH FLAGS) are
 * pushed as the ChangeFeed reports them, until DONE. Anything but DONE ends IDLE with BAD (the
 * codec); the connection's inactivity timer (≥ 30 min, RFC 9051 §5.4) still applies.
 */
import { continuation } from '../../../protocol/imap/index.ts';
import type { IdleCommand } from '../../../protocol/imap/index.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

export const idle = defineHandler<IdleCommand>({
  name: 'IDLE',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    await ctx.send(continuation('idling'));
    ctx.beginIdle(cmd.tag);
    return null;
  },
});
