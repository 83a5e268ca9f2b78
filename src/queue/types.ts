/**
 * The port between the SMTP submission server and the outbound queue: a message for remote
 * recipients is handed over here and is durable when `enqueue` resolves (the submission server
 * answers 250 only then). Implemented in this folder (outbound queue, issue 3 item 5).
 */
export interface OutboundMessage {
  /** The whole message as submitted (CRLF), before DKIM signing. */
  content: Buffer;
  /** RFC 5321 reverse-path: the envelope sender, '' for the null sender. */
  mailFrom: string;
  /** Remote recipients only (local ones go through the mailbox ingest path). */
  recipients: string[];
  /** The account that submitted it, for the audit of submissions and DSNs; null for system mail. */
  submittedBy: string | null;
}

export interface OutboundQueue {
  enqueue(message: OutboundMessage): Promise<{ id: string }>;
}
