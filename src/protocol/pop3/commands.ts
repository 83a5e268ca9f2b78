/**
 * POP3 commands as a typed union, and the parser from one line to one command.
 *
 * Grammar (RFC 1939 §3, RFC 2449 §3–4): a case-insensitive keyword of 3–4 printable characters,
 * arguments separated by one space (runs of spaces are accepted); a whole command at most 255
 * octets including CRLF (RFC 2449 §4, which lifts RFC 1939's 40-character argument limit: official
 * addresses such as nguyenthiphuongthao.sokhcn@quangtri.gov.vn are longer than 40). PASS takes the rest of the line, spaces
 * included (RFC 1939 §7). Message numbers and TOP's line count are decimal digits only: no sign,
 * no spaces; leading zeros are accepted (RFC 1939 does not forbid them; "RETR 01" means message 1);
 * a message number is 1..2^31-1 and a line count 0..2^31-1, larger values are refused rather than
 * wrapped (catalogue POP-05).
 *
 * APOP is parsed so that it can be refused with a clear answer (POP-04: not offered). The parser
 * never throws: a problem is a `Pop3ParseError` value.
 */

export type Pop3Command =
  | { name: 'USER'; user: string }
  | { name: 'PASS'; password: string }
  | { name: 'APOP' }
  | { name: 'QUIT' }
  | { name: 'STAT' }
  | { name: 'LIST'; msg: number | null }
  | { name: 'RETR'; msg: number }
  | { name: 'DELE'; msg: number }
  | { name: 'NOOP' }
  | { name: 'RSET' }
  | { name: 'TOP'; msg: number; lines: number }
  | { name: 'UIDL'; msg: number | null }
  | { name: 'CAPA' }
  | { name: 'STLS' }
  /** `mechanism` null: list the mechanisms; `initialResponse` '' stands for "=" (RFC 5034 §4). */
  | { name: 'AUTH'; mechanism: string | null; initialResponse: string | null };

export type Pop3CommandName = Pop3Command['name'];

export type Pop3ParseErrorReason =
  | 'empty' // an empty line
  | 'unknown-command'
  | 'syntax' // wrong number or form of arguments
  | 'bad-number' // a message number or line count that is not a number in range
  | 'too-long' // longer than 255 octets (RFC 2449 §4)
  | 'bad-encoding'; // not UTF-8, or control characters

export interface Pop3ParseError {
  reason: Pop3ParseErrorReason;
  /** The command keyword when it was recognised. */
  command: Pop3CommandName | null;
  detail: string;
}

export type Pop3ParseResult = { ok: true; command: Pop3Command } | { ok: false; error: Pop3ParseError };

/** RFC 2449 §4: a command line is at most 255 octets including the CRLF. */
export const MAX_COMMAND_OCTETS = 255;
/** Largest message number or line count accepted (fits a signed 32-bit integer). */
export const MAX_NUMBER = 2 ** 31 - 1;

const NAMES: ReadonlySet<string> = new Set<Pop3CommandName>([
  'USER',
  'PASS',
  'APOP',
  'QUIT',
  'STAT',
  'LIST',
  'RETR',
  'DELE',
  'NOOP',
  'RSET',
  'TOP',
  'UIDL',
  'CAPA',
  'STLS',
  'AUTH',
]);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const fail = (
  reason: Pop3ParseErrorReason,
  command: Pop3CommandName | null,
  detail: string,
): Pop3ParseResult => ({ ok: false, error: { reason, command, detail } });

/** A decimal number in [min, MAX_NUMBER], or null. */
export function parseNumber(text: string, min: number): number | null {
  if (!/^[0-9]+$/.test(text)) return null;
  const digits = text.replace(/^0+(?=[0-9])/, '');
  if (digits.length > 10) return null;
  const n = Number(digits);
  return n >= min && n <= MAX_NUMBER ? n : null;
}

/** Parse one command line (without its line end); `octets` is its length with the line end. */
export function parseCommand(line: Uint8Array, octets = line.length + 2): Pop3ParseResult {
  if (octets > MAX_COMMAND_OCTETS) return fail('too-long', null, 'command line longer than 255 octets');
  let text: string;
  try {
    text = utf8.decode(line);
  } catch {
    return fail('bad-encoding', null, 'command line is not UTF-8');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return fail('bad-encoding', null, 'control character in command');
  const space = text.indexOf(' ');
  const keyword = (space === -1 ? text : text.slice(0, space)).toUpperCase();
  const rest = space === -1 ? '' : text.slice(space + 1);
  if (keyword === '') return fail('empty', null, 'empty command line');
  if (!NAMES.has(keyword)) return fail('unknown-command', null, 'unknown command');
  const name = keyword as Pop3CommandName;
  // PASS keeps its whole argument, spaces included (RFC 1939 §7).
  if (name === 'PASS') {
    if (rest === '') return fail('syntax', name, 'PASS needs a password');
    return { ok: true, command: { name, password: rest } };
  }
  const args = rest.split(' ').filter((a) => a !== '');
  const count = (min: number, max: number): boolean => args.length >= min && args.length <= max;
  const msgArg = (i: number): number | null => parseNumber(args[i]!, 1);

  switch (name) {
    case 'USER':
      if (!count(1, 1)) return fail('syntax', name, 'USER takes one argument');
      return { ok: true, command: { name, user: args[0]! } };
    case 'APOP':
      return { ok: true, command: { name } };
    case 'QUIT':
    case 'STAT':
    case 'NOOP':
    case 'RSET':
    case 'CAPA':
    case 'STLS':
      if (!count(0, 0)) return fail('syntax', name, `${name} takes no argument`);
      return { ok: true, command: { name } };
    case 'LIST':
    case 'UIDL': {
      if (!count(0, 1)) return fail('syntax', name, `${name} takes at most one argument`);
      if (args.length === 0) return { ok: true, command: { name, msg: null } };
      const msg = msgArg(0);
      if (msg === null) return fail('bad-number', name, 'invalid message number');
      return { ok: true, command: { name, msg } };
    }
    case 'RETR':
    case 'DELE': {
      if (!count(1, 1)) return fail('syntax', name, `${name} takes one message number`);
      const msg = msgArg(0);
      if (msg === null) return fail('bad-number', name, 'invalid message number');
      return { ok: true, command: { name, msg } };
    }
    case 'TOP': {
      if (!count(2, 2)) return fail('syntax', name, 'TOP takes a message number and a line count');
      const msg = msgArg(0);
      const lines = parseNumber(args[1]!, 0);
      if (msg === null || lines === null)
        return fail('bad-number', name, 'invalid message number or line count');
      return { ok: true, command: { name, msg, lines } };
    }
    case 'AUTH': {
      if (!count(0, 2))
        return fail('syntax', name, 'AUTH takes a mechanism and an optional initial response');
      if (args.length === 0) return { ok: true, command: { name, mechanism: null, initialResponse: null } };
      const mechanism = args[0]!.toUpperCase();
      if (!/^[A-Z0-9_-]{1,20}$/.test(mechanism)) return fail('syntax', name, 'invalid SASL mechanism name');
      const ir = args[1];
      return {
        ok: true,
        command: { name, mechanism, initialResponse: ir === undefined ? null : ir === '=' ? '' : ir },
      };
    }
  }
  return fail('unknown-command', null, 'unknown command');
}
