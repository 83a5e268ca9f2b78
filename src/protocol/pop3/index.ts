/**
 * The POP3 wire codec (DESIGN.md convention 3): bytes to typed commands, responses to bytes.
 * No sockets and no storage here; the sessions live in src/server/pop3.
 *
 * RFC 1939 (POP3), RFC 2449 (CAPA, RESP-CODES, PIPELINING, 255/512-octet limits), RFC 2595 (STLS),
 * RFC 3206 (SYS/TEMP, SYS/PERM, AUTH codes), RFC 5034 (SASL), RFC 4616 (PLAIN).
 */
export { LineReader, type LineEvent, type LineReaderOptions } from './line-reader.ts';
export {
  parseCommand,
  parseNumber,
  MAX_COMMAND_OCTETS,
  MAX_NUMBER,
  type Pop3Command,
  type Pop3CommandName,
  type Pop3ParseError,
  type Pop3ParseErrorReason,
  type Pop3ParseResult,
} from './commands.ts';
export {
  okLine,
  errLine,
  continuationLine,
  multiLine,
  stuffedLines,
  terminatorLine,
  sanitiseText,
  MAX_RESPONSE_OCTETS,
  type Pop3RespCode,
} from './response.ts';
export { DotStuffer, DotUnstuffer, TopLimiter, dotStuffLine, dotStuffTransform } from './dot-stuff.ts';
export {
  decodeSaslPlain,
  encodeSaslPlain,
  decodeBase64Strict,
  isSaslCancel,
  MAX_SASL_LINE_OCTETS,
  type SaslPlainResult,
} from './sasl-plain.ts';
