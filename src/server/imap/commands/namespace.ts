/**
 * NAMESPACE (RFC 2342, RFC 9051 §6.3.10): the personal namespace "" with "/", no other users'
 * namespace (IMAP-15), and the shared namespace "Shared/" where the agency and sub-unit mailboxes
 * delegated to the account appear (Điều 10.1; access.ts). The shared namespace is announced to
 * every account, whether or not it holds a delegation, so the answer says nothing about grants.
 */
import { atom, list, NIL, str } from '../../../protocol/imap/index.ts';
import type { NamespaceCommand } from '../../../protocol/imap/index.ts';
import { SHARED_PREFIX } from '../access.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

export const namespace = defineHandler<NamespaceCommand>({
  name: 'NAMESPACE',
  states: AUTHENTICATED,
  async run(ctx) {
    await ctx.untagged([
      atom('NAMESPACE'),
      list([list([str(''), str('/')])]),
      NIL,
      list([list([str(SHARED_PREFIX), str('/')])]),
    ]);
    return ok('NAMESPACE completed');
  },
});
