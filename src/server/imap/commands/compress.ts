/** COMPRESS (RFC 4978): parsed by the codec but not offered; refused deliberately (IMAP-06). */
import type { CompressCommand } from '../../../protocol/imap/index.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

export const compress = defineHandler<CompressCommand>({
  name: 'COMPRESS',
  states: AUTHENTICATED,
  async run() {
    throw errors.compress();
  },
});
