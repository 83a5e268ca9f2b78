// The POP3 wire codec (src/protocol/pop3) under generated input: any bytes in any chunking give
// typed results and never throw; byte-stuffing round-trips exactly (RFC 1939 §3); TOP, SASL PLAIN
// (RFC 4616) and the line limits (RFC 2449 §4). Fixed seed and budget, so runs are repeatable.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DotStuffer,
  DotUnstuffer,
  LineReader,
  MAX_COMMAND_OCTETS,
  TopLimiter,
  decodeSaslPlain,
  encodeSaslPlain,
  errLine,
  parseCommand,
} from '../../src/protocol/pop3/index.ts';

const SEED = 20260814;
const RUNS = 300;

/** Split bytes at the given cut points (any chunking). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

// Bytes rich in the characters that matter: CR, LF, '.', space, digits, letters of commands.
const interesting = fc.uint8Array({ maxLength: 2000 }).map((a) => a);
const textish = fc
  .array(
    fc.constantFrom('\r', '\n', '\r\n', '.', '..', ' ', 'RETR', 'TOP', '1', '0', 'x', 'ế', '\u0000', '='),
    {
      maxLength: 400,
    },
  )
  .map((parts) => Buffer.from(parts.join('')));
const anyBytes = fc.oneof(interesting, textish);

describe('POP3 codec', () => {
  it('reads any bytes in any chunking into the same typed lines, bounded, without throwing', () => {
    fc.assert(
      fc.property(anyBytes, fc.array(fc.nat(3000), { maxLength: 20 }), (bytes, cuts) => {
        const whole = new LineReader({ maxLineOctets: 300 }).push(bytes);
        const reader = new LineReader({ maxLineOctets: 300 });
        const pieces = chunk(bytes, cuts).flatMap((c) => {
          const events = reader.push(c);
          expect(reader.buffered).toBeLessThanOrEqual(300);
          return events;
        });
        expect(pieces).toEqual(whole);
        for (const e of whole) {
          if (e.kind === 'line') {
            expect(e.line.includes(0x0a)).toBe(false);
            const r = parseCommand(e.line);
            expect(typeof r.ok).toBe('boolean');
            if (!r.ok) expect(r.error.reason).toMatch(/^[a-z-]+$/);
          } else expect(e.octets).toBeGreaterThan(300);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('stuffs any content so that un-stuffing gives it back exactly, whatever the chunking', () => {
    fc.assert(
      fc.property(
        anyBytes,
        fc.array(fc.nat(3000), { maxLength: 20 }),
        fc.array(fc.nat(3000), { maxLength: 20 }),
        (bytes, cutsIn, cutsOut) => {
          const s = new DotStuffer();
          const wire = Buffer.concat([...chunk(bytes, cutsIn).map((c) => s.push(c)), s.end()]);
          expect(wire.subarray(-5).toString() === '\r\n.\r\n' || wire.toString() === '.\r\n').toBe(true);
          const u = new DotUnstuffer();
          const back = Buffer.concat(chunk(wire, cutsOut).map((c) => u.push(c)));
          expect(u.finished).toBe(true);
          expect(u.rest.length).toBe(0);
          const b = Buffer.from(bytes);
          const expected =
            b.length === 0 || b.subarray(-2).toString() === '\r\n'
              ? b
              : Buffer.concat([b, Buffer.from('\r\n')]);
          expect(back.equals(expected)).toBe(true);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('passes the header, the blank line and n body lines for TOP, in any chunking', () => {
    /** Reference model: whole lines (LF-terminated); the header ends at the first empty line. */
    const model = (bytes: Buffer, n: number): Buffer => {
      const lines = bytes.toString('latin1').split(/(?<=\n)/);
      const out: string[] = [];
      let i = 0;
      for (; i < lines.length; i++) {
        out.push(lines[i]!);
        if (lines[i] === '\n' || lines[i] === '\r\n') break;
      }
      out.push(...lines.slice(i + 1, i + 1 + n));
      return Buffer.from(out.join(''), 'latin1');
    };
    fc.assert(
      fc.property(textish, fc.nat(5), fc.array(fc.nat(3000), { maxLength: 10 }), (bytes, n, cuts) => {
        const t = new TopLimiter(n);
        const out = Buffer.concat(chunk(bytes, cuts).map((c) => t.push(c)));
        expect(out.toString('latin1')).toBe(model(bytes, n).toString('latin1'));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('decodes SASL PLAIN strictly: any string gives a typed result, the encoder round-trips', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = decodeSaslPlain(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { seed: SEED, numRuns: RUNS },
    );
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 50 }).filter((x) => !x.includes('\u0000')),
        fc.string({ minLength: 1, maxLength: 50 }).filter((x) => !x.includes('\u0000')),
        (user, pw) => {
          expect(decodeSaslPlain(encodeSaslPlain(user, pw))).toEqual({
            ok: true,
            authcid: user,
            password: pw,
          });
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(decodeSaslPlain(encodeSaslPlain('alice', 'pw', 'bob'))).toEqual({
      ok: false,
      reason: 'authzid-mismatch',
    });
    expect(decodeSaslPlain(encodeSaslPlain('alice', 'pw', 'ALICE'))).toMatchObject({ ok: true });
    expect(decodeSaslPlain('Zm9v=')).toEqual({ ok: false, reason: 'bad-base64' });
    expect(decodeSaslPlain('Zm9vYg=')).toEqual({ ok: false, reason: 'bad-base64' });
    expect(decodeSaslPlain('Zm9=')).toEqual({ ok: false, reason: 'bad-base64' }); // non-zero pad bits
    expect(decodeSaslPlain('')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('limits commands to 255 octets and responses to 512, and never lets text inject a line', () => {
    expect(parseCommand(Buffer.from(`USER ${'a'.repeat(MAX_COMMAND_OCTETS - 7)}`))).toMatchObject({
      ok: true,
    });
    expect(parseCommand(Buffer.from(`USER ${'a'.repeat(MAX_COMMAND_OCTETS - 6)}`))).toMatchObject({
      ok: false,
      error: { reason: 'too-long' },
    });
    expect(parseCommand(Buffer.from('PASS mật khẩu có dấu cách'))).toEqual({
      ok: true,
      command: { name: 'PASS', password: 'mật khẩu có dấu cách' },
    });
    expect(parseCommand(Buffer.from('TOP 01 0'))).toEqual({
      ok: true,
      command: { name: 'TOP', msg: 1, lines: 0 },
    });
    expect(parseCommand(Buffer.from([0x55, 0x53, 0x45, 0x52, 0x20, 0xff]))).toMatchObject({
      ok: false,
      error: { reason: 'bad-encoding' },
    });
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const line = errLine(text, 'SYS/TEMP');
        expect(line.length).toBeLessThanOrEqual(512);
        expect(line.indexOf('\n')).toBe(line.length - 1);
        expect(line.subarray(0, 15).toString()).toBe('-ERR [SYS/TEMP]');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
