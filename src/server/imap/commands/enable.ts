/**
 * ENABLE (RFC 5161, RFC 9051 §6.3.1): IMAP4rev2 and UTF8=ACCEPT (RFC 6855) switch the session to
 * UTF-8 mailbox names and strings; CONDSTORE and QRESYNC (RFC 7162 §3.1, §3.2.3; QRESYNC implies
 * CONDSTORE) turn on MODSEQ in FETCH responses and VANISHED. `* ENABLED` lists what the command
 * newly enabled; others are ignored, as RFC 5161 §3.1 asks. Authenticated state only.
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
      } else if (c === 'QRESYNC' && !ctx.qresync) {
        ctx.enable('QRESYNC');
        enabled.push('QRESYNC');
      } else if (c === 'CONDSTORE' && !ctx.condstore) {
        ctx.enable('CONDSTORE');
        enabled.push('CONDSTORE');
      }
    }
    await ctx.untagged([atom('ENABLED'), ...enabled.map(atom)]);
    return ok('ENABLE completed');
  },
});
