/**
 * The mail that carries a reply letter to the agency's mailbox: plain text and the letter's HTML
 * as alternatives, the PDF attached, from the system's notice address, with the Message-ID fixed
 * at the decision so that a repeated delivery is recognised (notices.ts `deliverMessage`).
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { letterHtml, letterText, type LetterContent } from './letter.ts';
import { letterPdf } from './letter-pdf.ts';

export async function composeLetterMail(
  s: { from: string; fromName: string },
  input: {
    letter: { number: string; message_id: string; created_at: number };
    content: LetterContent;
    ref: string;
    to: string[];
  },
): Promise<Buffer> {
  const { letter, content } = input;
  const mail = new MailComposer({
    from: { name: s.fromName, address: s.from },
    to: input.to,
    subject: `[${letter.number}] ${content.summary} / Reply to request ${input.ref}`,
    text: letterText(content),
    html: letterHtml(content),
    textEncoding: 'quoted-printable',
    attachments: [
      {
        filename: `cong-van-${letter.number.replace(/[^A-Za-z0-9-]+/g, '-')}.pdf`,
        content: await letterPdf(content),
        contentType: 'application/pdf',
      },
    ],
    messageId: letter.message_id,
    date: new Date(Number(letter.created_at)),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Congthu-Letter': letter.number },
  });
  return mail.compile().build();
}
