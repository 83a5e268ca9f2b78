/**
 * The `congthu` command: finds the command named by the leading words, parses its options, runs
 * it, and turns every failure into a message a person understands and an exit code
 * (0 done; 1 refused, with the reason; 2 bad usage or configuration; 70 internal error).
 */
import { ConfigError } from '../config/index.ts';
import { CongthuError } from '../util/errors.ts';
import { defaultCaller, helpText, parseInvocation, UsageError, type Command, type Io } from './command.ts';
import { accountCommands } from './commands/account.ts';
import { calendarCommands } from './commands/calendar.ts';
import { orgCommands } from './commands/org.ts';
import { reorganiseCommands } from './commands/reorganise.ts';
import { systemCommands } from './commands/system.ts';
import { queueCommands } from './commands/queue.ts';
import { dkimCommands } from './commands/dkim.ts';
import { lifecycleCommands } from './commands/lifecycle.ts';
import { requestCommands } from './commands/request.ts';
import { delegateCommands } from './commands/delegate.ts';
import { directoryCommands } from './commands/directory.ts';
import { reportCommands } from './commands/report.ts';
import { faultCommands } from './commands/fault.ts';
import { incidentCommands } from './commands/incident.ts';

export const COMMANDS: Command[] = [
  ...systemCommands,
  ...orgCommands,
  ...reorganiseCommands,
  ...accountCommands,
  ...calendarCommands,
  ...queueCommands,
  ...dkimCommands,
  ...lifecycleCommands,
  ...requestCommands,
  ...delegateCommands,
  ...directoryCommands,
  ...reportCommands,
  ...faultCommands,
  ...incidentCommands,
];

function overview(prefix: string[] = []): string {
  const list = COMMANDS.filter((c) => prefix.every((w, i) => c.path[i] === w));
  const width = Math.max(...list.map((c) => c.path.join(' ').length));
  return [
    'Congthu: hệ thống thư điện tử công vụ / official-duty e-mail system',
    '',
    `Cách dùng / Usage: congthu ${prefix.length ? prefix.join(' ') + ' ' : ''}COMMAND [options] [--json] [--help]`,
    '',
    ...list.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

function findCommand(argv: string[]): { cmd: Command; rest: string[] } | null {
  let best: Command | null = null;
  for (const c of COMMANDS)
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  return best ? { cmd: best, rest: argv.slice(best.path.length) } : null;
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const wantsJson = argv.includes('--json');
  const fail = (code: number, error: { code: string; vi: string; en: string }): number => {
    if (wantsJson) io.out(JSON.stringify({ error }, null, 2));
    else io.err(`Lỗi: ${error.vi}\nError: ${error.en}`);
    return code;
  };
  const found = findCommand(argv);
  if (!found) {
    const words = argv.filter((a) => !a.startsWith('-'));
    const isGroup = words.length > 0 && COMMANDS.some((c) => c.path[0] === words[0]);
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || (isGroup && words.length === 1)) {
      io.out(overview(isGroup ? [words[0]!] : []));
      return 0;
    }
    io.err(overview(isGroup ? [words[0]!] : []));
    return fail(2, {
      code: 'usage',
      vi: `Không có lệnh "${argv.join(' ')}".`,
      en: `Unknown command "${argv.join(' ')}".`,
    });
  }
  const { cmd, rest } = found;
  try {
    const { values, positionals } = parseInvocation(cmd, rest);
    if (values.help) {
      io.out(helpText(cmd));
      return 0;
    }
    const code = await cmd.run({
      values,
      positionals,
      json: values.json === true,
      io,
      caller: defaultCaller(),
    });
    return code ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      if (!wantsJson) io.err(helpText(cmd));
      return fail(2, { code: 'usage', vi: e.vi, en: e.en });
    }
    if (e instanceof ConfigError)
      return fail(2, { code: 'config', vi: e.message, en: e.problems.join('; ') });
    if (e instanceof CongthuError) return fail(1, { code: e.code, vi: e.text.vi, en: e.text.en });
    io.err(String((e as Error)?.stack ?? e));
    return fail(70, {
      code: 'internal',
      vi: 'Lỗi nội bộ; xem chi tiết ở trên.',
      en: 'Internal error; see the details above.',
    });
  }
}

export function processIo(): Io {
  // `congthu … | head` closes the pipe early: that is not an error.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    env: process.env,
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
