/**
 * Commands of the TRANSACTION state (RFC 1939 §5, §7): STAT, LIST, UIDL, RETR, TOP, DELE, RSET,
 * NOOP. They work on the session's snapshot (maildrop.ts); only DELE marks, and nothing is removed
 * before QUIT (UPDATE state).
 *
 * RETR and TOP stream the message from the blob store through the byte-stuffer, waiting on the
 * socket when its buffer is full, so a large message never sits whole in memory. If the bytes
 * are gone before "+OK" (the message was expunged over IMAP and collected), the answer is -ERR;
 * a failure after "+OK" cannot be told in-band, and the session closes the connection.
 */
import { BlobNotFoundError } from '../../../store/index.ts';
import {
  DotStuffer,
  okLine,
  stuffedLines,
  terminatorLine,
  TopLimiter,
  type Pop3Command,
} from '../../../protocol/pop3/index.ts';
import { errors } from '../errors.ts';
import type { SessionContext } from '../context.ts';
import type { MaildropMessage } from '../maildrop.ts';

type Cmd<N extends Pop3Command['name']> = Extract<Pop3Command, { name: N }>;

function transaction(ctx: SessionContext) {
  if (ctx.state.phase !== 'transaction') throw errors.wrongState();
  return ctx.state;
}

function message(ctx: SessionContext, n: number): MaildropMessage {
  const m = transaction(ctx).maildrop.get(n);
  if (!m) throw errors.noSuchMessage();
  return m;
}

export async function stat(ctx: SessionContext): Promise<void> {
  const { count, octets } = transaction(ctx).maildrop.stat();
  await ctx.send(okLine(`${count} ${octets}`));
}

export async function list(ctx: SessionContext, cmd: Cmd<'LIST'>): Promise<void> {
  const { maildrop } = transaction(ctx);
  if (cmd.msg !== null) {
    await ctx.send(okLine(`${cmd.msg} ${message(ctx, cmd.msg).size}`));
    return;
  }
  const { count, octets } = maildrop.stat();
  await sendListing(ctx, `${count} messages (${octets} octets)`, maildrop.live(), (n, m) => `${n} ${m.size}`);
}

export async function uidl(ctx: SessionContext, cmd: Cmd<'UIDL'>): Promise<void> {
  const { maildrop } = transaction(ctx);
  if (cmd.msg !== null) {
    await ctx.send(okLine(`${cmd.msg} ${maildrop.uidl(message(ctx, cmd.msg))}`));
    return;
  }
  await sendListing(ctx, 'unique-id listing follows', maildrop.live(), (n, m) => `${n} ${maildrop.uidl(m)}`);
}

/** A listing of possibly 100,000 lines, sent in slices so memory and the event loop stay free. */
async function sendListing(
  ctx: SessionContext,
  first: string,
  items: Iterable<[number, MaildropMessage]>,
  line: (n: number, m: MaildropMessage) => string,
): Promise<void> {
  await ctx.send(okLine(first));
  let slice: string[] = [];
  for (const [n, m] of items) {
    slice.push(line(n, m));
    if (slice.length === 2000) {
      await ctx.send(stuffedLines(slice));
      slice = [];
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  await ctx.send(Buffer.concat([stuffedLines(slice), terminatorLine()]));
}

export async function retr(ctx: SessionContext, cmd: Cmd<'RETR'>): Promise<void> {
  const m = message(ctx, cmd.msg);
  await sendMessage(ctx, m, null);
}

export async function top(ctx: SessionContext, cmd: Cmd<'TOP'>): Promise<void> {
  const m = message(ctx, cmd.msg);
  await sendMessage(ctx, m, new TopLimiter(cmd.lines));
}

/** Messages up to this size are read from the blob in one piece; larger ones are streamed. */
const SMALL_READ = 256 * 1024;

async function sendMessage(
  ctx: SessionContext,
  m: MaildropMessage,
  limiter: TopLimiter | null,
): Promise<void> {
  // The snapshot of sign-in may be stale: a message expunged since (by IMAP, or contained as a
  // classified-document incident, Điều 10.4) is never served, though its bytes may live on.
  const folder = transaction(ctx).maildrop.folder;
  const still = folder
    ? await ctx.deps.store.db
        .selectFrom('messages')
        .select('uid')
        .where('folder_id', '=', folder.id)
        .where('uid', '=', m.uid)
        .executeTakeFirst()
    : undefined;
  if (!still) throw errors.messageGone();
  // A small message is read in one piece (one open/read/close); a large one is streamed.
  let chunks: AsyncIterable<Buffer> | Buffer[];
  let stream: { destroy(): void } | null = null;
  try {
    if (m.size <= SMALL_READ) chunks = [await ctx.deps.blobs.readRange(m.blobId, 0, m.size)];
    else {
      const s = await ctx.deps.blobs.get(m.blobId);
      stream = s;
      chunks = s as AsyncIterable<Buffer>;
    }
  } catch (e) {
    if (e instanceof BlobNotFoundError) throw errors.messageGone();
    throw e;
  }
  try {
    await ctx.send(okLine(limiter ? 'top of message follows' : `${m.size} octets`));
    const stuffer = new DotStuffer();
    for await (const chunk of chunks) {
      const part = limiter ? limiter.push(chunk) : chunk;
      const out = stuffer.push(part);
      if (out.length > 0) await ctx.send(out);
      if (limiter?.done) break;
    }
    await ctx.send(stuffer.end());
  } finally {
    stream?.destroy();
  }
}

export async function dele(ctx: SessionContext, cmd: Cmd<'DELE'>): Promise<void> {
  const { maildrop } = transaction(ctx);
  maildrop.markDeleted(message(ctx, cmd.msg));
  await ctx.send(okLine(`message ${cmd.msg} deleted`));
}

export async function rset(ctx: SessionContext): Promise<void> {
  const { maildrop } = transaction(ctx);
  maildrop.reset();
  const { count, octets } = maildrop.stat();
  await ctx.send(okLine(`maildrop has ${count} messages (${octets} octets)`));
}

export async function noop(ctx: SessionContext): Promise<void> {
  transaction(ctx);
  await ctx.send(okLine());
}
