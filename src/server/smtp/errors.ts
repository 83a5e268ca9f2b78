/**
 * Typed errors to SMTP replies, in one place (DESIGN.md convention 6).
 *
 * Hooks throw `SmtpReply` for a policy answer. Anything else is mapped here: a directory or
 * mailbox `CongthuError` by its kind (over quota → 452 4.2.2, forbidden → 550 5.7.1, not found →
 * 550 5.1.1, invalid → 550 5.6.0), everything unexpected → 451 4.3.0 and a log line, so a failure
 * of the store or of the queue never becomes a 250 nor a permanent refusal.
 */
import type { Logger } from '../../telemetry/index.ts';
import { isCongthuError } from '../../util/errors.ts';
import { REPLIES, replyText, withText, type Reply } from './replies.ts';

/** An SMTP reply as an Error, in the shape smtp-server's callbacks expect. */
export class SmtpReply extends Error {
  readonly responseCode: number;
  constructor(readonly reply: Reply) {
    super(replyText(reply));
    this.name = 'SmtpReply';
    this.responseCode = reply.code;
  }
}

export function toReply(err: unknown, log: Logger, context: Record<string, unknown> = {}): SmtpReply {
  if (err instanceof SmtpReply) return err;
  if (isCongthuError(err)) {
    switch (err.kind) {
      case 'limit':
        return new SmtpReply(withText(REPLIES.mailboxFull, err.text));
      case 'forbidden':
        return new SmtpReply(withText(REPLIES.rejectedByCheck, err.text));
      case 'not-found':
        return new SmtpReply(withText(REPLIES.noSuchMailbox, err.text));
      case 'invalid':
        return new SmtpReply({ code: 550, enhanced: '5.6.0', text: err.text });
      default:
        break;
    }
  }
  log.error({ err, ...context }, 'smtp: local error');
  return new SmtpReply(REPLIES.localError);
}
