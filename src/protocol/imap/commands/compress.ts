/**
 * COMPRESS (RFC 4978 §3): `compress = "COMPRESS" SP algorithm`, `algorithm = "DEFLATE"` (or any
 * atom, which the session refuses with NO). Only after authentication (IMAP-06).
 */
import { AUTHENTICATED, type CommandSpec } from './spec.ts';

export interface CompressCommand {
  readonly name: 'COMPRESS';
  readonly tag: string;
  /** Upper case; DEFLATE is the only one defined. */
  readonly algorithm: string;
}

export const compress: CommandSpec<CompressCommand> = {
  name: 'COMPRESS',
  states: AUTHENTICATED,
  rfc: 'RFC 4978 §3',
  parse(r, head) {
    r.sp();
    const algorithm = r.atom('compression algorithm').toUpperCase();
    r.end();
    return { name: 'COMPRESS', tag: head.tag, algorithm };
  },
};
