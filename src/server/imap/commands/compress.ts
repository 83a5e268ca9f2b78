/**
 * COMPRESS DEFLATE (RFC 4978): after the tagged OK, which is sent uncompressed, both directions
 * use raw deflate (compression.ts, with the inflate ratio cap of IMAP-06). Only after sign-in
 * (the state table); another algorithm is BAD (RFC 4978 §3); a second COMPRESS is
 * NO [COMPRESSIONACTIVE] (RFC 4978 §3, RFC 5530).
 */
import type { CompressCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { defineHandler } from '../handler.ts';
import { AUTHENTICATED } from '../state.ts';

export const compress = defineHandler<CompressCommand>({
  name: 'COMPRESS',
  states: AUTHENTICATED,
  async run(ctx, cmd) {
    if (cmd.algorithm !== 'DEFLATE') throw errors.compressAlgorithm();
    if (ctx.compressed) throw errors.compressionActive();
    return { ...ok('DEFLATE active'), after: () => ctx.startCompression() };
  },
});
