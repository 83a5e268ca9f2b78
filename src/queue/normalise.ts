/**
 * Outbound content hygiene before DKIM signing (catalogue SMTP-03, outbound smuggling).
 *
 * RFC 5321 §2.3.8: CR and LF may occur only together, as CRLF. A bare CR or a bare LF inside a
 * message we relay could end DATA early at a remote server that accepts `\n.\n` or `\n.\r\n`
 * ("SMTP smuggling", SEC Consult 2023), turning our queue into an attacker's relay. Like
 * Postfix `cleanup_replace_stray_cr_lf=yes`, every CR or LF that is not part of a CRLF pair is
 * replaced by a space: the line structure the sender meant by CRLF stays intact, and no new line
 * can appear. Dot-stuffing (RFC 5321 §4.5.2) is the SMTP client's job (nodemailer doubles leading
 * dots on the wire). The content also ends in CRLF, so what is signed is exactly what is sent.
 */
const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;

export function replaceStrayCrLf(raw: Buffer): Buffer {
  let out: Buffer | null = null;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b !== CR && b !== LF) continue;
    const pairedCr = b === CR && raw[i + 1] === LF;
    const pairedLf = b === LF && i > 0 && raw[i - 1] === CR;
    if (pairedCr || pairedLf) continue;
    out ??= Buffer.from(raw);
    out[i] = SP;
  }
  const text = out ?? raw;
  const endsWithCrlf = text.length >= 2 && text[text.length - 2] === CR && text[text.length - 1] === LF;
  return endsWithCrlf || text.length === 0 ? text : Buffer.concat([text, Buffer.from('\r\n')]);
}
