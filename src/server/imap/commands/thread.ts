/**
 * THREAD and UID THREAD (RFC 5256 §3) with the REFERENCES and ORDEREDSUBJECT algorithms
 * (thread-references.ts). References (or In-Reply-To) come from the column stored at ingest (the
 * header is read from the blob for messages stored before it); the per-command time budget of
 * SEARCH applies to the whole command (IMAP-16).
 */
import { decodeHeaderWords, getField, parseHeaderBlock } from '../../../mail/index.ts';
import { atom, raw, type ThreadCommand } from '../../../protocol/imap/index.ts';
import { ok } from '../context.ts';
import { errors } from '../errors.ts';
import { readRange } from '../fetch-sections.ts';
import { defineHandler } from '../handler.ts';
import { checkCharset, matchingMessages } from '../sort-data.ts';
import { SELECTED } from '../state.ts';
import {
  normaliseMsgId,
  parseMsgIds,
  renderThreads,
  threadOrderedSubject,
  threadReferences,
  type ThreadInput,
} from '../thread-references.ts';

/** Bytes read to find the References of a message stored before migration 0010. */
const HEADER_READ = 256 * 1024;

export const THREAD_ALGORITHMS = ['ORDEREDSUBJECT', 'REFERENCES'] as const;

export const thread = defineHandler<ThreadCommand>({
  name: 'THREAD',
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(ctx, cmd) {
    const state = ctx.state;
    if (state.kind !== 'selected') throw errors.wrongState();
    if (!(THREAD_ALGORITHMS as readonly string[]).includes(cmd.algorithm))
      throw errors.syntax(`Unknown threading algorithm ${cmd.algorithm.slice(0, 32)}`);
    checkCharset(cmd.charset);
    const { messages, deadline } = await matchingMessages(ctx, state.mailbox, cmd.search);
    const check = (): void => {
      if (Date.now() > deadline) throw errors.searchBudget();
    };
    const input: ThreadInput[] = [];
    for (const [i, m] of messages.entries()) {
      if ((i & 63) === 0) check();
      const env = m.envelope;
      let references: string[] = [];
      if (cmd.algorithm === 'REFERENCES') {
        let field = m.refs;
        if (field === null) {
          // Stored before References had its column: read the header from the blob.
          const head = await readRange(ctx.deps.blobs, m.blobId, 0, Math.min(m.size, HEADER_READ));
          field = getField(parseHeaderBlock(head).fields, 'references')?.value.toString('latin1') ?? '';
        }
        references = parseMsgIds(field);
        if (references.length === 0) references = parseMsgIds(env?.inReplyTo).slice(0, 1);
      }
      input.push({
        id: cmd.uid ? m.uid : m.seq,
        seq: m.seq,
        date: m.sentAt ?? m.internalDate,
        subject: decodeHeaderWords(env?.subject ?? ''),
        messageId: normaliseMsgId(env?.messageId),
        references,
      });
    }
    const roots =
      cmd.algorithm === 'REFERENCES' ? threadReferences(input, check) : threadOrderedSubject(input);
    check();
    const text = renderThreads(roots);
    await ctx.untagged(text === '' ? [atom('THREAD')] : [atom('THREAD'), raw(text)]);
    return ok(cmd.uid ? 'UID THREAD completed' : 'THREAD completed');
  },
});
