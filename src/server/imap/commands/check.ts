/** CHECK (RFC 3501 §6.4.1; removed in RFC 9051, kept for IMAP4rev1 clients): like NOOP. Selected state. */
import type { CheckCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { defineHandler } from '../handler.ts';
import { SELECTED } from '../state.ts';

export const check = defineHandler<CheckCommand>({
  name: 'CHECK',
  states: SELECTED,
  async run() {
    return ok('CHECK completed');
  },
});
