/**
 * The capability list (RFC 9051 §6.1.1, §7.2.2), by session state and connection security.
 * Only what is implemented is advertised:
 *   IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051); LITERAL+ (RFC 7888; supersedes LITERAL-, which
 *   a server must not advertise beside it); SASL-IR (RFC 4959); AUTH=PLAIN (RFC 4616) only where
 *   plain-text credentials may be sent, else LOGINDISABLED (RFC 9051 §6.2.3, RFC 8314, AUTH-08);
 *   STARTTLS (RFC 9051 §6.2.1) before TLS; ID (RFC 2971); ENABLE (RFC 5161); IDLE (RFC 2177);
 *   after sign-in also NAMESPACE (RFC 2342), UNSELECT (RFC 3691), UIDPLUS (RFC 4315), MOVE (RFC 6851),
 *   CHILDREN (RFC 3348), SPECIAL-USE and CREATE-SPECIAL-USE (RFC 6154), LIST-EXTENDED (RFC 5258),
 *   LIST-STATUS (RFC 5819), ESEARCH (RFC 4731), STATUS=SIZE (RFC 8438), APPENDLIMIT (RFC 7889),
 *   QUOTA and QUOTA=RES-STORAGE (RFC 9208), MULTIAPPEND (RFC 3502), BINARY (RFC 3516),
 *   UTF8=ACCEPT (RFC 6855), CONDSTORE and QRESYNC (RFC 7162), SEARCHRES (RFC 5182),
 *   COMPRESS=DEFLATE (RFC 4978), SORT and ESORT (RFC 5256, RFC 5267), SORT=DISPLAY (RFC 5957),
 *   THREAD=ORDEREDSUBJECT and THREAD=REFERENCES (RFC 5256), PREVIEW (RFC 8970), SAVEDATE (RFC 8514),
 *   OBJECTID (RFC 8474), ACL with RIGHTS=texk (RFC 4314 §2.1, §3: the rights t, e, x, k are
 *   used; delegated agency mailboxes, Điều 10.1).
 */
export interface CapabilityInput {
  authenticated: boolean;
  secure: boolean;
  tlsAvailable: boolean;
  plaintextAllowed: boolean;
  appendLimit: number;
}

const BASE = ['IMAP4rev1', 'IMAP4rev2', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE'];

const AFTER_LOGIN = [
  'NAMESPACE',
  'UNSELECT',
  'UIDPLUS',
  'MOVE',
  'CHILDREN',
  'SPECIAL-USE',
  'CREATE-SPECIAL-USE',
  'LIST-EXTENDED',
  'LIST-STATUS',
  'ESEARCH',
  'STATUS=SIZE',
  'QUOTA',
  'QUOTA=RES-STORAGE',
  'MULTIAPPEND',
  'BINARY',
  'UTF8=ACCEPT',
  'CONDSTORE',
  'QRESYNC',
  'SEARCHRES',
  'COMPRESS=DEFLATE',
  'SORT',
  'SORT=DISPLAY',
  'ESORT',
  'THREAD=ORDEREDSUBJECT',
  'THREAD=REFERENCES',
  'PREVIEW',
  'SAVEDATE',
  'OBJECTID',
  'ACL',
  'RIGHTS=texk',
];

export function capabilityList(o: CapabilityInput): string[] {
  const caps = [...BASE];
  if (!o.authenticated) {
    if (o.tlsAvailable) caps.push('STARTTLS');
    if (o.plaintextAllowed) caps.push('AUTH=PLAIN');
    else caps.push('LOGINDISABLED');
    return caps;
  }
  caps.push(...AFTER_LOGIN, `APPENDLIMIT=${o.appendLimit}`);
  return caps;
}
