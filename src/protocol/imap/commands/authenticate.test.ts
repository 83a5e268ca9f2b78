import { describe, expect, it } from 'vitest';
import { parseError, parseOne, text } from '../test-support.ts';

describe('AUTHENTICATE (RFC 9051 §6.2.2, SASL-IR RFC 4959) and LOGIN (§6.2.3)', () => {
  it('reads the mechanism alone', () => {
    // RFC 9051 §6.2.2: A001 AUTHENTICATE GSSAPI
    expect(parseOne('A001 AUTHENTICATE GSSAPI\r\n')).toEqual({
      name: 'AUTHENTICATE',
      tag: 'A001',
      mechanism: 'GSSAPI',
      initialResponse: null,
    });
    expect(parseOne('a authenticate scram-sha-256\r\n')).toMatchObject({ mechanism: 'SCRAM-SHA-256' });
  });

  it('reads an initial response, "=" for an empty one', () => {
    const c = parseOne('a AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n');
    expect(c.name === 'AUTHENTICATE' && c.initialResponse && text(c.initialResponse)).toBe(
      'test\0test\0test',
    );
    const empty = parseOne('a AUTHENTICATE EXTERNAL =\r\n');
    expect(empty.name === 'AUTHENTICATE' && empty.initialResponse).toEqual(new Uint8Array(0));
  });

  it('refuses bad base64 and extra arguments', () => {
    for (const bad of [
      'a AUTHENTICATE',
      'a AUTHENTICATE PLAIN dGVzdA',
      'a AUTHENTICATE PLAIN dGVz dA==',
      'a AUTHENTICATE PLAIN ==',
      'a AUTHENTICATE PLAIN dGVzdB==',
      'a AUTHENTICATE PLAIN ',
      'a AUTHENTICATE "PLAIN"',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
  });

  it('reads LOGIN with atoms, quoted strings and literals', () => {
    // RFC 9051 §6.2.3: a001 LOGIN SMITH SESAME
    expect(parseOne('a001 LOGIN SMITH SESAME\r\n')).toEqual({
      name: 'LOGIN',
      tag: 'a001',
      username: 'SMITH',
      password: 'SESAME',
    });
    expect(parseOne('a LOGIN "nguyen.van.long@quangtri.gov.vn" "Mật khẩu \\"bí mật\\""\r\n')).toMatchObject({
      username: 'nguyen.van.long@quangtri.gov.vn',
      password: 'Mật khẩu "bí mật"',
    });
    expect(parseOne('a LOGIN ab]c {3}\r\n{x}\r\n')).toMatchObject({ username: 'ab]c', password: '{x}' });
  });

  it('refuses malformed LOGIN', () => {
    for (const bad of [
      'a LOGIN',
      'a LOGIN user',
      'a LOGIN user pass extra',
      'a LOGIN (user) pass',
      'a LOGIN user "pa\\ss"',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
    expect(parseError(new Uint8Array([...Buffer.from('a LOGIN "\xff" p\r\n', 'latin1')])).text.en).toMatch(
      /UTF-8/,
    );
  });
});
