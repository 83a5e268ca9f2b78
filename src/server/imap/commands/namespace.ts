/** NAMESPACE (RFC 2342, RFC 9051 §6.3.10): one personal namespace "" with "/"; no others (IMAP-15). */
import { atom, list, NIL, str } from '../../../protocol/imap/index.ts';
import type { NamespaceCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

export const namespace = defineHandler<NamespaceCommand>({
  name: 'NAMESPACE',
  states: AUTHENTICATED,
  async run(ctx) {
    await ctx.untagged([atom('NAMESPACE'), list([list([str(''), str('/')])]), NIL, NIL]);
    return ok('NAMESPACE completed');
  },
});
