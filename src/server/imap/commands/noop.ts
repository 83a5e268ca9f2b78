/**
 * NOOP (RFC 9051 §6.1.2): any state; in the selected state the session sends pending EXISTS,
 * EXPUNGE and FETCH FLAGS before the tagged OK (the session does that after every command).
 */
import type { NoopCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { ANY } from '../state.ts';

export const noop = defineHandler<NoopCommand>({
  name: 'NOOP',
  states: ANY,
  async run() {
    return ok('NOOP completed');
  },
});
