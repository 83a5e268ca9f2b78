/** LOGOUT (RFC 9051 §6.1.3): `* BYE`, tagged OK, then the connection closes. Any state. */
import { untaggedStatus } from '../../../protocol/imap/index.ts';
import type { LogoutCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { ANY } from '../state.ts';

export const logout = defineHandler<LogoutCommand>({
  name: 'LOGOUT',
  states: ANY,
  async run(ctx) {
    await ctx.send(untaggedStatus('BYE', 'Congthu IMAP: tam biet / logging out'));
    ctx.transition({ kind: 'logout' });
    return { ...ok('LOGOUT completed'), after: () => ctx.close() };
  },
});
