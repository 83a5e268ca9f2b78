/**
 * Public surface of src/mail: RFC 5322 / MIME parsing and indexing for every protocol. Pure: no I/O,
 * no other src folder (nothing here throws, so src/util errors are not needed); libraries: libmime
 * (RFC 2047, RFC 2231, charsets through iconv-lite) and node:buffer.
 *
 * - indexMessage (structure.ts): part tree with byte offsets, IMAP part numbers, attachment size.
 * - bodyStructure / body / renderBodyStructure, renderEnvelope: ready-to-send IMAP text.
 * - extractText: search text and RFC 8970 preview.
 * - header and address parsing, transfer decoding, for the rest of the system.
 */
export {
  DEFAULT_FALLBACK_CHARSET,
  DEFAULT_MAX_HEADER_BYTES,
  HeaderIndex,
  decodeHeaderValue,
  decodeHeaderWords,
  findHeaderEnd,
  getField,
  getFields,
  headerText,
  paramValue,
  parseContentDisposition,
  parseContentType,
  parseHeaderBlock,
  parseStructuredValue,
  sanitizeText,
} from './header.ts';
export type {
  ContentDisposition,
  ContentType,
  HeaderBlock,
  HeaderField,
  MimeParam,
  ParsedValue,
} from './header.ts';
export { DEFAULT_MAX_ADDRESSES, formatAddress, formatAddressList, parseAddressList } from './address-list.ts';
export type { ParsedAddress } from './address-list.ts';
export {
  base64DecodedLength,
  decodeBase64,
  decodeBody,
  decodeQuotedPrintable,
  decodedLength,
  knownEncoding,
  quotedPrintableDecodedLength,
} from './transfer-encoding.ts';
export type { TransferEncoding } from './transfer-encoding.ts';
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_PARTS,
  findPart,
  indexMessage,
  isAttachment,
  listParts,
} from './structure.ts';
export { countLf, normalizeCrlf } from './multipart.ts';
export type { Disposition, Envelope, IndexOptions, MessageIndex, MimePart } from './structure.ts';
export { MAX_QUOTED_BYTES, imapString } from './imap-string.ts';
export type { ImapStringOptions } from './imap-string.ts';
export { MISSING_HOST, renderAddress, renderAddressList, renderEnvelope } from './imap-envelope.ts';
export { body, bodyStructure, renderBodyStructure } from './imap-bodystructure.ts';
export type { BodyStructureOptions } from './imap-bodystructure.ts';
export {
  DEFAULT_MAX_TEXT_CHARS,
  PREVIEW_MAX_CHARS,
  decodeEntities,
  decodeTextBytes,
  extractText,
  htmlToText,
  makePreview,
} from './text.ts';
export type { ExtractOptions, ExtractedText } from './text.ts';
