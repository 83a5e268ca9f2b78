/** UNSELECT (RFC 3691, RFC 9051 §6.4.2): back to authenticated without removing anything. */
import type { UnselectCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { SELECTED } from '../state.ts';

export const unselect = defineHandler<UnselectCommand>({
  name: 'UNSELECT',
  states: SELECTED,
  async run(ctx) {
    const state = ctx.state;
    if (state.kind === 'selected') ctx.transition({ kind: 'authenticated', account: state.account });
    return ok('UNSELECT completed');
  },
});
