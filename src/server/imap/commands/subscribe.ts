/**
 * SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8): a flag on an existing folder. Folders of a
 * delegated mailbox are always listed as subscribed; a delegate's (UN)SUBSCRIBE answers OK and
 * changes nothing, so it never alters the owner's own subscriptions.
 */
import type { SubscribeCommand, UnsubscribeCommand } from '../../../protocol/imap/index.ts';
import { setSubscribed } from '../../../mailbox/index.ts';
import { folderOf, inTarget, resolveTarget } from '../access.ts';
import { ok, type SessionContext } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

async function mark(ctx: SessionContext, name: string, subscribed: boolean): Promise<void> {
  const target = await resolveTarget(ctx, name);
  if (target.shared && (await folderOf(ctx, target))) return;
  await inTarget(target, () => setSubscribed(ctx.deps, target.ownerId, target.ownerName, subscribed));
}

export const subscribe = defineHandler<SubscribeCommand>({
  name: 'SUBSCRIBE',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    await mark(ctx, cmd.mailbox, true);
    return ok('SUBSCRIBE completed');
  },
});

export const unsubscribe = defineHandler<UnsubscribeCommand>({
  name: 'UNSUBSCRIBE',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    await mark(ctx, cmd.mailbox, false);
    return ok('UNSUBSCRIBE completed');
  },
});
