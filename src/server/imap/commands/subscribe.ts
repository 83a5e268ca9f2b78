/** SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8): a flag on an existing folder. */
import type { SubscribeCommand, UnsubscribeCommand } from '../../../protocol/imap/index.ts';
import { setSubscribed } from '../../../mailbox/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { accountOf, AUTHENTICATED } from '../state.ts';

export const subscribe = defineHandler<SubscribeCommand>({
  name: 'SUBSCRIBE',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    await setSubscribed(ctx.deps, accountOf(ctx.state)!.id, cmd.mailbox, true);
    return ok('SUBSCRIBE completed');
  },
});

export const unsubscribe = defineHandler<UnsubscribeCommand>({
  name: 'UNSUBSCRIBE',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    await setSubscribed(ctx.deps, accountOf(ctx.state)!.id, cmd.mailbox, false);
    return ok('UNSUBSCRIBE completed');
  },
});
