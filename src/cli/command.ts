/**
 * The CLI's building blocks: a command declares its usage, options and handler; one table lists
 * them all (no reflection). Errors map to exit codes in one place: 2 for bad usage or
 * configuration, 1 for a refused operation (with the reason in Vietnamese and English).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import os from 'node:os';
import { cliCaller, type Caller } from '../directory/index.ts';

export class UsageError extends Error {
  constructor(
    readonly vi: string,
    readonly en: string,
    readonly command?: string,
  ) {
    super(`${vi} / ${en}`);
    this.name = 'UsageError';
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Reads all of standard input (for --password-stdin). */
  stdin: () => Promise<string>;
}

export interface Invocation {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  json: boolean;
  io: Io;
  caller: Caller;
}

export interface Command {
  /** Words that select it: ['account', 'alias', 'add']. */
  path: string[];
  summary: string; // "Tiếng Việt / English"
  usage: string; // arguments after the path
  options?: Options;
  /** Positional arguments: exact count, or [min, max]. */
  positionals?: number | [number, number];
  details?: string;
  run(inv: Invocation): Promise<number | void>;
}

export const GLOBAL_OPTIONS: Options = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export function helpText(cmd: Command): string {
  const lines = [`congthu ${cmd.path.join(' ')} ${cmd.usage}`.trimEnd(), '', `  ${cmd.summary}`];
  if (cmd.details) lines.push('', ...cmd.details.split('\n').map((l) => `  ${l}`));
  const opts = Object.entries(cmd.options ?? {});
  lines.push('', 'Tùy chọn / Options:');
  for (const [name, o] of opts) lines.push(`  --${name}${o.type === 'string' ? ' VALUE' : ''}`);
  lines.push(
    '  --json      kết quả dạng JSON / machine-readable output',
    '  --help, -h  hướng dẫn này / this help',
  );
  return lines.join('\n');
}

export function parseInvocation(
  cmd: Command,
  argv: string[],
): { values: Invocation['values']; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...cmd.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`Tham số không hợp lệ: ${msg}`, `Invalid arguments: ${msg}`, cmd.path.join(' '));
  }
  const want = cmd.positionals ?? 0;
  const [min, max] = typeof want === 'number' ? [want, want] : want;
  if (!parsed.values.help && (parsed.positionals.length < min || parsed.positionals.length > max))
    throw new UsageError(
      `Sai số lượng tham số: congthu ${cmd.path.join(' ')} ${cmd.usage}`,
      `Wrong number of arguments: congthu ${cmd.path.join(' ')} ${cmd.usage}`,
      cmd.path.join(' '),
    );
  return { values: parsed.values as Invocation['values'], positionals: parsed.positionals };
}

export function required(inv: Invocation, name: string): string {
  const v = inv.values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`Thiếu --${name}`, `Missing --${name}`);
  return v;
}

export function optional(inv: Invocation, name: string): string | undefined {
  const v = inv.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function defaultCaller(): Caller {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return cliCaller(user);
}
