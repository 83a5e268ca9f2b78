/**
 * Object identifiers (RFC 8474 OBJECTID): objectid = 1*255(ALPHA / DIGIT / "_" / "-").
 *
 * - EMAILID is derived from the blob (the SHA-256 of the content): a message and its COPY/MOVE
 *   into another folder share the blob, hence the id (§5.1: "the same EMAILID … if the message
 *   is copied"). `M` + the first 24 hex digits (96 bits) of the hash.
 * - MAILBOXID is the folder's UUID without the dashes: stable across RENAME, never reused.
 * - THREADID is NIL: threads are not kept per message (§5.2 allows NIL).
 */
import { objectId } from '../../protocol/imap/index.ts';

const clean = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '');

export const emailId = (blobId: string): string => objectId(`M${clean(blobId).slice(0, 24)}`);

export const mailboxId = (folderId: string): string => objectId(clean(folderId));
