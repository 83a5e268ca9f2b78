/**
 * ENABLE (RFC 5161, RFC 9051 §6.3.1): IMAP4rev2 and UTF8=ACCEPT (RFC 6855) are the extensions
 * that need it here; both switch the session to UTF-8 mailbox names and strings. Others are
 * ignored, as RFC 5161 §3.1 asks. Authenticated state only.
 */
import { atom } from '../../../protocol/imap/index.ts';
import type { EnableCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';

export const enable = defineHandler<EnableCommand>({
  name: 'ENABLE',
  states: ['authenticated'],
  async run(ctx, cmd) {
    const enabled: string[] = [];
    for (const c of cmd.capabilities) {
      if (c === 'IMAP4REV2' && !ctx.rev2) {
        ctx.enable('IMAP4REV2');
        enabled.push('IMAP4rev2');
      } else if (c === 'UTF8=ACCEPT' && !enabled.includes('UTF8=ACCEPT')) {
        ctx.enable('UTF8=ACCEPT');
        enabled.push('UTF8=ACCEPT');
      }
    }
    await ctx.untagged([atom('ENABLED'), ...enabled.map(atom)]);
    return ok('ENABLE completed');
  },
});
