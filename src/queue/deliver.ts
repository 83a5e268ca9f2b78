/**
 * One delivery attempt for the recipients of one destination domain: find the route, open a
 * session to the first target that answers, send each message (one transaction per message, all
 * of its recipients at that domain in one envelope, RFC 5321 §3.3), and report one outcome per
 * recipient through `onResult` as soon as each message is done (so a crash right after a remote
 * "250" repeats at most that one message: at-least-once, RFC 5321 §6.1).
 *
 * RFC 5321 §5.1: targets are tried in order until one accepts a connection; a failure to
 * connect, a 4yz/5yz greeting or a session lost mid-way moves on to the next target with the
 * messages not yet settled. Per-recipient RCPT replies are final for this attempt.
 */
import type { Outcome } from './queue-store.ts';
import type { Route } from './route.ts';
import { classifyError, SmtpSession, type SessionOptions, type SmtpFailure } from './smtp-client.ts';

export interface DomainItem {
  messageId: string;
  mailFrom: string;
  recipients: Array<{ id: number; address: string }>;
  loadContent(): Promise<Buffer>;
}

export interface DeliverDeps {
  sessionOptions(target: SessionOptions['target']): SessionOptions;
  /** True when the runner is stopping: settle nothing more, give the rest back. */
  stopping(): boolean;
  onResult(messageId: string, outcomes: Array<{ recipientId: number; outcome: Outcome }>): Promise<void>;
}

function fromFailure(f: SmtpFailure, remoteMta: string | null): Outcome {
  return { kind: f.temporary ? 'deferred' : 'failed', status: f.status, reply: f.reply, remoteMta };
}

/** Returns the items left unsettled because the runner is stopping. */
export async function deliverDomain(
  route: Route,
  items: DomainItem[],
  deps: DeliverDeps,
): Promise<DomainItem[]> {
  const settleAll = async (item: DomainItem, outcome: Outcome): Promise<void> =>
    deps.onResult(
      item.messageId,
      item.recipients.map((r) => ({ recipientId: r.id, outcome })),
    );

  if (route.kind === 'fail') {
    const outcome: Outcome = {
      kind: route.permanent ? 'failed' : 'deferred',
      status: route.status,
      reply: route.reply,
      remoteMta: null,
    };
    for (const item of items) await settleAll(item, outcome);
    return [];
  }

  const pending = [...items];
  let last: { failure: SmtpFailure; host: string | null } = {
    failure: { temporary: true, status: '4.4.1', reply: 'no mail host answered', connectionLost: true },
    host: null,
  };
  for (const target of route.targets) {
    if (pending.length === 0 || deps.stopping()) break;
    let session: SmtpSession;
    try {
      session = await SmtpSession.open(deps.sessionOptions(target));
    } catch (e) {
      last = { failure: classifyError(e), host: target.host };
      continue;
    }
    try {
      while (pending.length > 0 && !deps.stopping()) {
        const item = pending[0]!;
        let content: Buffer;
        try {
          content = await item.loadContent();
        } catch (e) {
          // The blob is unreadable (or the message was dropped and collected): try again later.
          pending.shift();
          await settleAll(item, {
            kind: 'deferred',
            status: '4.3.0',
            reply: `local error reading the message: ${(e as Error).message}`.slice(0, 300),
            remoteMta: null,
          });
          continue;
        }
        try {
          const res = await session.send(
            { from: item.mailFrom, to: item.recipients.map((r) => r.address) },
            content,
          );
          pending.shift();
          const accepted = new Set(res.accepted.map((a) => a.toLowerCase()));
          const rejected = new Map(res.rejected.map((r) => [r.recipient.toLowerCase(), r.failure]));
          await deps.onResult(
            item.messageId,
            item.recipients.map((r) => {
              const key = r.address.toLowerCase();
              const f = rejected.get(key);
              const outcome: Outcome = accepted.has(key)
                ? { kind: 'delivered', reply: res.response, remoteMta: target.host }
                : fromFailure(
                    f ?? {
                      temporary: true,
                      status: '4.0.0',
                      reply: 'no reply for this recipient',
                      connectionLost: false,
                    },
                    target.host,
                  );
              return { recipientId: r.id, outcome };
            }),
          );
          if (res.accepted.length === 0 && !(await session.reset())) break;
        } catch (e) {
          const f = classifyError(e);
          last = { failure: f, host: target.host };
          if (f.connectionLost || !session.usable) break; // next target, same messages
          pending.shift();
          await settleAll(item, fromFailure(f, target.host));
          if (!(await session.reset())) break;
        }
      }
    } finally {
      session.close();
    }
  }
  if (deps.stopping()) return pending;
  for (const item of pending) await settleAll(item, fromFailure(last.failure, last.host));
  return [];
}
