/** CAPABILITY (RFC 9051 §6.1.1): the list depends on state and TLS (capabilities.ts). Any state. */
import { atom } from '../../../protocol/imap/index.ts';
import type { CapabilityCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { ANY } from '../state.ts';

export const capability = defineHandler<CapabilityCommand>({
  name: 'CAPABILITY',
  states: ANY,
  async run(ctx) {
    await ctx.untagged([atom('CAPABILITY'), ...ctx.capabilities().map(atom)]);
    return ok('CAPABILITY completed');
  },
});
