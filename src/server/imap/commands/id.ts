/**
 * ID (RFC 2971): any state. The client's fields are logged (bounded by the codec: 30 pairs of at
 * most 1024 octets); the server names itself without a version (no fingerprinting help).
 */
import { atom, list, str } from '../../../protocol/imap/index.ts';
import type { IdCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { ANY } from '../state.ts';

export const id = defineHandler<IdCommand>({
  name: 'ID',
  states: ANY,
  async run(ctx, cmd) {
    if (cmd.params) {
      const client: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
      for (const [k, v] of cmd.params) client[k.toLowerCase().slice(0, 30)] = v?.slice(0, 200) ?? null;
      ctx.log.debug({ client }, 'imap: client ID');
    }
    await ctx.untagged([atom('ID'), list([str('name'), str('Congthu'), str('vendor'), str('Quang Tri')])]);
    return ok('ID completed');
  },
});
