/**
 * CLOSE (RFC 9051 §6.4.1): removes the messages flagged \Deleted (unless EXAMINEd) without
 * EXPUNGE responses, and returns to the authenticated state. In a delegated mailbox it removes
 * them only with the right "e" (RFC 4314 §4: CLOSE itself never fails for want of it).
 */
import type { CloseCommand } from '../../../protocol/imap/index.ts';
import { expunge } from '../../../mailbox/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { SELECTED } from '../state.ts';

export const close = defineHandler<CloseCommand>({
  name: 'CLOSE',
  states: SELECTED,
  async run(ctx) {
    const state = ctx.state;
    if (state.kind !== 'selected') return ok('CLOSE completed');
    ctx.transition({ kind: 'authenticated', account: state.account });
    if (!state.mailbox.readOnly && state.mailbox.rights.includes('e'))
      await expunge(ctx.deps, state.mailbox.folder);
    return ok('CLOSE completed');
  },
});
