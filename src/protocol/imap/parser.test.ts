import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CongthuError } from '../../util/errors.ts';
import type { ImapCommand } from './commands.ts';
import { ImapProtocolError } from './errors.ts';
import { encodeMutf7 } from './mutf7.ts';
import { ImapCommandParser, type ParseEvent } from './parser.ts';
import {
  bytes,
  commandsOf,
  drive,
  errorsOf,
  latin1Bytes,
  parseError,
  parseOne,
  text,
} from './test-support.ts';

const kinds = (events: readonly ParseEvent[]): string[] => events.map((e) => e.kind);

describe('framing', () => {
  it('parses a command per line, with CRLF or a bare LF, ignoring blank lines', () => {
    const events = drive('a1 NOOP\r\n\r\na2 CAPABILITY\na3 LOGOUT\r\n');
    expect(commandsOf(events).map((c) => [c.tag, c.name])).toEqual([
      ['a1', 'NOOP'],
      ['a2', 'CAPABILITY'],
      ['a3', 'LOGOUT'],
    ]);
    expect(errorsOf(events)).toEqual([]);
  });

  it('waits for the end of the line', () => {
    const p = new ImapCommandParser();
    p.push(bytes('a1 NO'));
    expect(p.next().kind).toBe('needs-more-data');
    p.push(bytes('OP\r'));
    expect(p.next().kind).toBe('needs-more-data');
    p.push(bytes('\n'));
    const ev = p.next();
    expect(ev.kind === 'command' && ev.command.name).toBe('NOOP');
    expect(p.next().kind).toBe('needs-more-data');
  });

  it('handles 7,000 pipelined NOOPs in one write without recursion (IMAP-02)', () => {
    const input = Array.from({ length: 7000 }, (_, i) => `a${i} NOOP\r\n`).join('');
    const commands = commandsOf(drive(input));
    expect(commands.length).toBe(7000);
    expect(commands[6999]!.tag).toBe('a6999');
  });

  it('answers an unreadable tag with an untagged BAD, a missing command with a tagged one', () => {
    expect(parseError('+ NOOP\r\n').tag).toBeNull();
    expect(parseError('(x NOOP\r\n').tag).toBeNull();
    expect(parseError(' NOOP\r\n').tag).toBeNull();
    const e = parseError('a17\r\n');
    expect(e.tag).toBe('a17');
    expect(e.status).toBe('BAD');
    expect(e).toBeInstanceOf(CongthuError);
    expect(e.code).toBe('imap.syntax');
    expect(e.kind).toBe('invalid');
  });

  it('never asks about a literal of a command without a readable tag', () => {
    const events = drive('+ LOGIN {5}\r\nb NOOP\r\n*x {3+}\r\nc D\r\nd NOOP\r\n', {
      options: { nonSyncLiterals: 'plus' },
    });
    expect(kinds(events)).toEqual(['error', 'command', 'error', 'command']);
    expect(errorsOf(events).map((e) => e.tag)).toEqual([null, null]);
    expect(commandsOf(events).map((c) => c.tag)).toEqual(['b', 'd']);
  });

  it('maps an unknown command to the typed unknown command', () => {
    expect(parseOne('x1 FROBNICATE 1 2 3\r\n')).toEqual({ name: 'unknown', tag: 'x1', verb: 'FROBNICATE' });
    expect(parseError('x1 UID FROBNICATE 1\r\n').tag).toBe('x1');
  });

  it('resynchronises at the next line after a syntax error', () => {
    const events = drive('a1 SELECT\r\na2 FETCH 0 FLAGS\r\na3 NOOP\r\n');
    expect(kinds(events)).toEqual(['error', 'error', 'command']);
    expect(errorsOf(events).map((e) => e.tag)).toEqual(['a1', 'a2']);
  });
});

describe('literals', () => {
  it('asks before a synchronising literal and repeats the question until answered', () => {
    const p = new ImapCommandParser();
    p.push(bytes('a LOGIN {4}\r\n'));
    const ev = p.next();
    expect(ev).toEqual({
      kind: 'needs-literal',
      literal: {
        tag: 'a',
        command: 'LOGIN',
        literalId: 1,
        size: 4,
        binary: false,
        synchronizing: true,
        streamed: false,
      },
    });
    expect(p.next()).toEqual(ev);
    expect(p.acceptLiteral()).toBe(true);
    expect(p.acceptLiteral()).toBe(false);
    p.push(bytes('fred {6}\r\n'));
    expect(p.next().kind).toBe('needs-literal');
    p.acceptLiteral();
    p.push(bytes('secret\r\n'));
    const cmd = p.next();
    expect(cmd.kind === 'command' && cmd.command).toEqual({
      name: 'LOGIN',
      tag: 'a',
      username: 'fred',
      password: 'secret',
    });
  });

  it('carries CRLF, quotes and braces inside literals untouched', () => {
    const cmd = parseOne('a LOGIN {9}\r\nx\r\n"{3}\r\n {2}\r\n\r\n\r\n');
    expect(cmd).toMatchObject({ username: 'x\r\n"{3}\r\n', password: '\r\n' });
  });

  it('takes non-synchronising literals (LITERAL+) without asking', () => {
    const events = drive('a LOGIN {4+}\r\nfred {6+}\r\nsecret\r\n', { options: { nonSyncLiterals: 'plus' } });
    expect(kinds(events)).toEqual(['literal-announced', 'literal-announced', 'command']);
    expect(commandsOf(events)[0]).toMatchObject({ username: 'fred', password: 'secret' });
  });

  it('after a refused synchronising literal, the next line is a new command', () => {
    const events = drive('a LOGIN {4}\r\nb NOOP\r\n', { onLiteral: () => 'reject' });
    expect(kinds(events)).toEqual(['needs-literal', 'command']);
    expect(commandsOf(events)[0]).toEqual({ name: 'NOOP', tag: 'b' });
  });

  it('skips a refused non-synchronising literal so its octets are never commands', () => {
    const payload = 'evil NOOP\r\nx DELETE INBOX\r\n';
    const input = `a APPEND INBOX {${payload.length}+}\r\n${payload}\r\nb NOOP\r\n`;
    const events = drive(input, { onLiteral: (l) => (l.synchronizing ? 'accept' : 'reject') });
    expect(kinds(events)).toEqual(['literal-announced', 'command']);
    expect(commandsOf(events)).toEqual([{ name: 'NOOP', tag: 'b' }]);
  });

  it('LITERAL-: refuses non-synchronising literals over 4096 octets with BAD [TOOBIG] and skips them', () => {
    const big = 'x'.repeat(4097);
    const events = drive(`a APPEND INBOX {4097+}\r\n${big}\r\nb NOOP\r\n`);
    expect(kinds(events)).toEqual(['error', 'command']);
    const e = errorsOf(events)[0]!;
    expect([e.tag, e.status, e.responseCode, e.reason, e.fatal]).toEqual([
      'a',
      'BAD',
      'TOOBIG',
      'non-sync-literal-refused',
      false,
    ]);
    const ok = drive(`a APPEND INBOX {4096+}\r\n${'y'.repeat(4096)}\r\n`);
    expect(commandsOf(ok).length).toBe(1);
    const plus = drive(`a APPEND INBOX {4097+}\r\n${big}\r\n`, { options: { nonSyncLiterals: 'plus' } });
    expect(commandsOf(plus).length).toBe(1);
  });

  it('refuses non-synchronising literals altogether when LITERAL+/- is not offered', () => {
    const events = drive('a LOGIN {1+}\r\nx y\r\nb NOOP\r\n', { options: { nonSyncLiterals: 'none' } });
    expect(errorsOf(events)[0]?.reason).toBe('non-sync-literal-refused');
    expect(commandsOf(events)).toEqual([{ name: 'NOOP', tag: 'b' }]);
  });

  it('refuses an oversize synchronising literal before any "+" (IMAP-01): BAD for LOGIN, NO for APPEND', () => {
    const opts = { maxLiteralSize: 100, maxAppendLiteralSize: 1000 };
    const login = drive('a LOGIN {4294967295}\r\nb NOOP\r\n', { options: opts });
    expect(kinds(login)).toEqual(['error', 'command']);
    expect(errorsOf(login)[0]).toMatchObject({
      tag: 'a',
      status: 'BAD',
      responseCode: 'TOOBIG',
      fatal: false,
    });
    const append = drive('a APPEND INBOX {1001}\r\nb NOOP\r\n', { options: opts });
    expect(errorsOf(append)[0]).toMatchObject({ tag: 'a', status: 'NO', responseCode: 'TOOBIG' });
    expect(commandsOf(append)).toEqual([{ name: 'NOOP', tag: 'b' }]);
    // …but an APPEND literal within the APPEND limit is fine although over maxLiteralSize.
    expect(drive('a APPEND INBOX {500}\r\n', { options: opts })[0]?.kind).toBe('needs-literal');
  });

  it('a literal announced as 2^40 octets: refused without allocating; non-synchronising → BYE', () => {
    const p = new ImapCommandParser();
    p.push(bytes(`a APPEND INBOX {${2 ** 40}}\r\n`));
    const e = p.next();
    expect(e.kind === 'error' && e.error.responseCode).toBe('TOOBIG');
    expect(p.retainedBytes).toBeLessThan(10_000);
    const q = new ImapCommandParser();
    q.push(bytes(`a APPEND INBOX {${2 ** 40}+}\r\nxxxx`));
    const f = q.next();
    expect(f.kind === 'error' && [f.error.status, f.error.fatal, f.error.responseCode]).toEqual([
      'BYE',
      true,
      'TOOBIG',
    ]);
    expect(q.closed).toBe(true);
    q.push(bytes('b NOOP\r\n'));
    expect(q.next().kind).toBe('needs-more-data');
    expect(q.bufferedBytes).toBe(0);
  });

  it('{99999999999999999999}: BAD when synchronising, fatal when not', () => {
    const e = parseError('a LOGIN {99999999999999999999}\r\n');
    expect([e.reason, e.status, e.fatal]).toEqual(['bad-literal', 'BAD', false]);
    const f = drive('a LOGIN {99999999999999999999+}\r\nb NOOP\r\n');
    // The client is already sending octets whose count cannot be known: close (IMAP-01).
    expect(errorsOf(f).map((x) => [x.status, x.fatal, x.responseCode])).toEqual([['BYE', true, 'TOOBIG']]);
    expect(commandsOf(f)).toEqual([]);
  });

  it('refuses oversize non-synchronising literals by skipping up to maxSkipLiteralSize, else closes', () => {
    const opts = { maxLiteralSize: 10, nonSyncLiterals: 'plus' as const, maxSkipLiteralSize: 50 };
    const skipped = drive(`a LOGIN {40+}\r\n${'z'.repeat(40)} x\r\nb NOOP\r\n`, { options: opts });
    expect(kinds(skipped)).toEqual(['error', 'command']);
    const closed = drive(`a LOGIN {60+}\r\n${'z'.repeat(60)} x\r\nb NOOP\r\n`, { options: opts });
    expect(errorsOf(closed).map((e) => [e.status, e.responseCode])).toEqual([['BYE', 'TOOBIG']]);
    expect(commandsOf(closed)).toEqual([]);
  });

  it('limits the total of a command', () => {
    const opts = { maxLiteralSize: 100, maxCommandSize: 150 };
    const events = drive('a LOGIN {100}\r\n' + 'u'.repeat(100) + ' {100}\r\nb NOOP\r\n', { options: opts });
    expect(kinds(events)).toEqual(['needs-literal', 'error', 'command']);
    expect(errorsOf(events)[0]).toMatchObject({ reason: 'command-too-large', responseCode: 'TOOBIG' });
  });

  it('does not take {n} inside a quoted string for a literal', () => {
    expect(parseOne('a LOGIN "{5}" "x {3}"\r\n')).toMatchObject({ username: '{5}', password: 'x {3}' });
    const e = parseError('a SELECT "abc{3}\r\n');
    expect(e.reason).toBe('syntax');
    expect(parseOne('a LOGIN "a\\"b" {3}\r\nxyz\r\n')).toMatchObject({ username: 'a"b', password: 'xyz' });
    expect(parseOne('a LOGIN "a\\\\" {3}\r\nxyz\r\n')).toMatchObject({ username: 'a\\', password: 'xyz' });
  });

  it('refuses NUL in a literal but accepts it in literal8 (RFC 3516)', () => {
    const nul = new Uint8Array([...bytes('a APPEND INBOX {3}\r\n'), 0x61, 0, 0x62, 0x0d, 0x0a]);
    expect(parseError(nul).reason).toBe('syntax');
    const ok = parseOne(new Uint8Array([...bytes('a APPEND INBOX ~{3}\r\n'), 0x61, 0, 0x62, 0x0d, 0x0a]));
    expect(ok.name === 'APPEND' && ok.messages[0]).toMatchObject({ binary: true, size: 3 });
    expect(parseError('a LOGIN ~{1}\r\nx y\r\n').reason).toBe('syntax');
  });

  it('streams large APPEND literals as literal-data events', () => {
    const body = 'Subject: hi\r\n\r\n' + 'Nội dung công văn. '.repeat(20);
    const data = bytes(body);
    const input = new Uint8Array([...bytes(`a APPEND INBOX (\\Seen) {${data.length}}\r\n`), ...data, 13, 10]);
    const splits = Array.from({ length: 40 }, (_, i) => 30 + i * 13);
    const events = drive(input, { options: { streamAppendLiteralsOver: 64 }, splits });
    expect(events[0]).toMatchObject({
      kind: 'needs-literal',
      literal: { streamed: true, size: data.length },
    });
    const chunks = events.flatMap((e) => (e.kind === 'literal-data' ? [e] : []));
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.filter((c) => c.done).length).toBe(1);
    expect(chunks[chunks.length - 1]!.done).toBe(true);
    expect(text(Buffer.concat(chunks.map((c) => c.data)))).toBe(body);
    const cmd = commandsOf(events)[0]!;
    expect(cmd.name === 'APPEND' && cmd.messages[0]!.content).toEqual({
      kind: 'streamed',
      literalId: chunks[0]!.literalId,
      size: data.length,
    });
  });

  it('grows literal buffers with the octets received, not the size announced (slow APPEND, IMAP-01)', () => {
    const q = new ImapCommandParser({ nonSyncLiterals: 'plus' });
    q.push(bytes('a APPEND INBOX {40000000+}\r\n'));
    expect(q.next().kind).toBe('literal-announced');
    q.push(new Uint8Array(1000).fill(0x41));
    expect(q.next().kind).toBe('needs-more-data');
    expect(q.retainedBytes).toBeLessThan(200_000);
  });
});

describe('limits', () => {
  it('a 10 MB line without CRLF: one BAD [TOOBIG], bounded memory, then resynchronised (IMAP-02)', () => {
    const p = new ImapCommandParser();
    p.push(bytes('a7 LOGIN '));
    const chunk = new Uint8Array(1024 * 1024).fill(0x61);
    const events: ParseEvent[] = [];
    for (let i = 0; i < 10; i++) {
      p.push(chunk);
      for (let ev = p.next(); ev.kind !== 'needs-more-data'; ev = p.next()) events.push(ev);
      expect(p.retainedBytes).toBeLessThanOrEqual(70 * 1024);
    }
    expect(events.length).toBe(1);
    const e = errorsOf(events)[0]!;
    expect([e.tag, e.status, e.responseCode, e.reason, e.fatal]).toEqual([
      'a7',
      'BAD',
      'TOOBIG',
      'line-too-long',
      false,
    ]);
    p.push(bytes('\r\nb NOOP\r\n'));
    const after = p.next();
    expect(after.kind === 'command' && after.command).toEqual({ name: 'NOOP', tag: 'b' });
  });

  it('a too-long line whose tag cannot be read gets an untagged BAD', () => {
    const e = errorsOf(drive('x'.repeat(200_000) + '\r\n'))[0]!;
    expect(e.tag).toBeNull();
  });

  it('a too-long line ending in a non-synchronising literal: the literal is skipped too', () => {
    const input = `a LOGIN ${'q'.repeat(70_000)} {11+}\r\nb DELETE x\r\n\r\nc NOOP\r\n`;
    const events = drive(input, { splits: [5, 69_000, 70_010, 70_020] });
    expect(kinds(events)).toEqual(['error', 'command']);
    expect(commandsOf(events)).toEqual([{ name: 'NOOP', tag: 'c' }]);
  });

  it('10,000 nested parentheses: NO [LIMIT], no stack overflow (IMAP-03)', () => {
    const deep = `a SEARCH ${'('.repeat(10_000)}ALL${')'.repeat(10_000)}\r\n`;
    const e = parseError(deep);
    expect([e.tag, e.status, e.responseCode, e.reason]).toEqual(['a', 'NO', 'LIMIT', 'nesting']);
    const ok = parseOne(`a SEARCH ${'('.repeat(100)}ALL${')'.repeat(100)}\r\n`);
    expect(ok.name).toBe('SEARCH');
  });

  it('OR ×50,000 and NOT ×50,000 chains are refused by depth, not by the stack', () => {
    const options = { maxLineLength: 1024 * 1024 };
    const or = `a SEARCH ${'OR '.repeat(50_000)}${'ALL '.repeat(50_000)}ALL\r\n`;
    expect(parseError(or, options).reason).toBe('nesting');
    const not = `a SEARCH ${'NOT '.repeat(50_000)}ALL\r\n`;
    expect(parseError(not, options).reason).toBe('nesting');
    const deepOk = parseOne(`a SEARCH ${'NOT '.repeat(1000)}ALL\r\n`, { ...options, maxNesting: 1000 });
    expect(deepOk.name).toBe('SEARCH');
  });

  it('BODY[1.1.1…] ten thousand levels deep is refused (IMAP-03)', () => {
    const e = parseError(`a FETCH 1 BODY[${Array(10_000).fill('1').join('.')}]\r\n`);
    expect(e.reason).toBe('nesting');
  });

  it('too many arguments: NO [LIMIT]', () => {
    const flags = Array.from({ length: 20_000 }, (_, i) => `k${i}`).join(' ');
    const e = parseError(`a STORE 1 FLAGS (${flags})\r\n`, { maxLineLength: 1024 * 1024 });
    expect([e.status, e.responseCode, e.reason]).toEqual(['NO', 'LIMIT', 'too-many-arguments']);
  });

  it('limits can change between commands (tiny literals before login)', () => {
    const p = new ImapCommandParser({ maxLiteralSize: 8 });
    const first = drive('a LOGIN {9}\r\n', { parser: p });
    expect(errorsOf(first)[0]?.responseCode).toBe('TOOBIG');
    p.setOptions({ maxLiteralSize: 1024 });
    expect(drive('b LOGIN {9}\r\n', { parser: p })[0]?.kind).toBe('needs-literal');
    expect(() => p.setOptions({ maxNesting: 1e9 })).toThrow(TypeError);
    expect(() => new ImapCommandParser({ maxLineLength: Number.NaN })).toThrow(TypeError);
  });
});

describe('IDLE and AUTHENTICATE continuation lines', () => {
  it('DONE ends IDLE, even split across packets and in lower case (RFC 2177, IMAP-11)', () => {
    const p = new ImapCommandParser();
    const first = drive('a IDLE\r\n', { parser: p });
    expect(commandsOf(first)[0]).toEqual({ name: 'IDLE', tag: 'a' });
    expect(p.beginIdle('a')).toBe(true);
    expect(kinds(drive('DO', { parser: p }))).toEqual([]);
    expect(kinds(drive('NE\r\n', { parser: p }))).toEqual(['idle-done']);
    p.beginIdle('b');
    expect(kinds(drive('done\r\nc NOOP\r\n', { parser: p }))).toEqual(['idle-done', 'command']);
  });

  it('anything else ends IDLE with a BAD tagged with the IDLE tag', () => {
    for (const line of ['DONE x', 'c NOOP', '', 'DONEDONE']) {
      const p = new ImapCommandParser();
      p.beginIdle('i1');
      const events = drive(`${line}\r\nd NOOP\r\n`, { parser: p });
      expect(kinds(events), line).toEqual(['error', 'command']);
      expect(errorsOf(events)[0]).toMatchObject({ tag: 'i1', status: 'BAD', reason: 'idle-expected-done' });
    }
  });

  it('reads SASL responses, "*" and refuses bad base64 (RFC 9051 §6.2.2)', () => {
    const p = new ImapCommandParser();
    expect(commandsOf(drive('a AUTHENTICATE PLAIN\r\n', { parser: p }))[0]).toEqual({
      name: 'AUTHENTICATE',
      tag: 'a',
      mechanism: 'PLAIN',
      initialResponse: null,
    });
    p.beginSaslResponse('a');
    const [resp] = drive('AGZyZWQAc2VjcmV0\r\n', { parser: p });
    expect(resp?.kind === 'sasl-response' && text(resp.data)).toBe('\0fred\0secret');
    p.beginSaslResponse('a');
    expect(kinds(drive('*\r\n', { parser: p }))).toEqual(['sasl-cancel']);
    p.beginSaslResponse('a');
    expect(kinds(drive('\r\n', { parser: p }))).toEqual(['sasl-response']);
    p.beginSaslResponse('a');
    const bad = drive('AGZ=yZWQ\r\nb NOOP\r\n', { parser: p });
    expect(errorsOf(bad)[0]).toMatchObject({ tag: 'a', reason: 'sasl-bad-response' });
    expect(commandsOf(bad).length).toBe(1);
  });

  it('modes can only start between commands', () => {
    const p = new ImapCommandParser();
    p.push(bytes('a LOGIN {3}\r\n'));
    p.next();
    expect(p.beginIdle('a')).toBe(false);
    expect(p.rejectLiteral()).toBe(true);
    expect(p.rejectLiteral()).toBe(false);
    expect(p.beginIdle('a')).toBe(true);
  });
});

// A stream of valid commands exercising every framing path.
const STREAM = [
  'a1 CAPABILITY\r\n',
  'a2 LOGIN {4}\r\nfred {8}\r\ns3cr\r\nt!\r\n',
  `a3 SELECT "${encodeMutf7('Hộp thư đến')}"\r\n`,
  'a4 APPEND INBOX (\\Seen) " 7-Feb-1994 21:52:25 -0800" {21+}\r\nSubject: x\r\n\r\nhello\r\n (\\Draft) ~{3}\r\nA\0B\r\n',
  'a5 UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (FROM "Subject")]<0.1024>) (CHANGEDSINCE 12345)\r\n',
  'a6 SEARCH CHARSET UTF-8 OR (SUBJECT {10}\r\ncông văn) FROM "a" NOT SEEN\r\n',
  'a7 STORE 1:3,5 +FLAGS.SILENT (\\Deleted $Junk)\r\n',
  'a8 LIST (SUBSCRIBED RECURSIVEMATCH) "" ("INBOX" "Sent/%") RETURN (CHILDREN STATUS (MESSAGES UNSEEN))\r\n',
  'a9 LOGOUT\r\n',
].join('');
const STREAM_BYTES = bytes(STREAM);

function referenceCommands(): ImapCommand[] {
  const events = drive(STREAM_BYTES, { options: { nonSyncLiterals: 'plus' } });
  expect(errorsOf(events)).toEqual([]);
  return commandsOf(events);
}

describe('chunking', () => {
  it('the reference stream parses into nine commands', () => {
    const commands = referenceCommands();
    expect(commands.map((c) => c.tag)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9']);
    expect(commands[1]).toMatchObject({ username: 'fred', password: 's3cr\r\nt!' });
    expect(commands[2]).toMatchObject({ mailbox: 'Hộp thư đến' });
  });

  it('gives the same commands for a split at every byte offset, and for one byte at a time', () => {
    const ref = referenceCommands();
    for (let i = 1; i < STREAM_BYTES.length; i++) {
      expect(commandsOf(drive(STREAM_BYTES, { splits: [i], options: { nonSyncLiterals: 'plus' } }))).toEqual(
        ref,
      );
    }
    const every = Array.from({ length: STREAM_BYTES.length }, (_, i) => i + 1);
    expect(commandsOf(drive(STREAM_BYTES, { splits: every, options: { nonSyncLiterals: 'plus' } }))).toEqual(
      ref,
    );
  });

  it('gives the same commands for any chunking (property)', () => {
    const ref = referenceCommands();
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: STREAM_BYTES.length - 1 }), { maxLength: 60 }),
        (cuts) => {
          const splits = [...cuts].sort((a, b) => a - b);
          expect(commandsOf(drive(STREAM_BYTES, { splits, options: { nonSyncLiterals: 'plus' } }))).toEqual(
            ref,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('fuzz: any bytes in any chunking', () => {
  const TOKENS = [
    'a',
    ' ',
    '\r\n',
    '\n',
    '{3}\r\n',
    '{2+}\r\n',
    '~{1}\r\n',
    '{99999999999999999999}\r\n',
    '"',
    '\\',
    '(',
    ')',
    '[',
    ']',
    '<0.5>',
    '*',
    '1:*',
    'NOOP',
    'LOGIN',
    'SELECT',
    'FETCH',
    'BODY[1.2]',
    'SEARCH',
    'OR',
    'NOT',
    'APPEND',
    'UID',
    'STORE',
    '+FLAGS',
    '\\Seen',
    'LIST',
    'RETURN',
    'IDLE',
    'DONE',
    'x'.repeat(300),
    '&Jjo-',
    '\0',
    '\xff',
  ];

  function run(data: Uint8Array, cuts: number[], literalChoice: number): void {
    const p = new ImapCommandParser({
      maxLineLength: 256,
      maxLiteralSize: 64,
      maxCommandSize: 512,
      maxAppendLiteralSize: 128,
      maxAppendCommandSize: 1024,
      maxSkipLiteralSize: 100,
      maxNesting: 8,
      maxArguments: 50,
      nonSyncLiterals: 'plus',
      streamAppendLiteralsOver: literalChoice % 2 === 0 ? 16 : Number.POSITIVE_INFINITY,
    });
    let from = 0;
    let n = 0;
    for (const cut of [...cuts.filter((c) => c < data.length).sort((a, b) => a - b), data.length]) {
      p.push(data.subarray(from, cut));
      from = cut;
      for (let ev = p.next(); ev.kind !== 'needs-more-data'; ev = p.next()) {
        n++;
        if (n > 100_000) throw new Error('no progress');
        if (ev.kind === 'error') {
          expect(ev.error).toBeInstanceOf(ImapProtocolError);
          expect(ev.error.reason).not.toBe('internal');
        }
        if (ev.kind === 'command' && ev.command.name === 'IDLE') p.beginIdle(ev.command.tag);
        if (ev.kind === 'needs-literal') {
          if ((literalChoice + n) % 3 === 0) p.rejectLiteral();
          else p.acceptLiteral();
        }
        if (ev.kind === 'literal-announced' && (literalChoice + n) % 5 === 0) p.rejectLiteral();
        // Memory the parser holds stays within its limits whatever the input: one line buffer
        // (maxLineLength + CRLF) plus one command (maxAppendCommandSize).
        expect(p.retainedBytes).toBeLessThanOrEqual(256 + 2 + 1024);
      }
    }
  }

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.nat(600), { maxLength: 10 }),
        fc.nat(),
        (data, cuts, choice) => run(data, cuts, choice),
      ),
      { numRuns: 400 },
    );
  });

  it('never throws on IMAP-shaped noise', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }),
        fc.array(fc.nat(3000), { maxLength: 12 }),
        fc.nat(),
        (tokens, cuts, choice) => run(latin1Bytes(tokens.join('')), cuts, choice),
      ),
      { numRuns: 600 },
    );
  });
});
