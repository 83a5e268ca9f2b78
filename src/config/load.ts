/**
 * Loads the configuration: defaults, then the JSON file named by CONGTHU_CONFIG (or `file`), then
 * CONGTHU_* environment variables. Any bad value is reported as one ConfigError that names the
 * option and where it came from; the CLI turns it into exit code 2.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configSchema, envBindings, type Config } from './schema.ts';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Cấu hình không hợp lệ / Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** A config file; default: the CONGTHU_CONFIG variable, or none. */
  file?: string;
  /** Values that win over everything (used by tests and by CLI flags). */
  overrides?: Record<string, unknown>;
}

export interface ResolvedConfig extends Config {
  hostname: string;
  /** Absolute data folder. */
  dataDir: string;
  /** Every local domain, primary first, lower-case. */
  localDomains: string[];
  /** `sqlite:<absolute path>` or a postgres:// URL. */
  databaseUrl: string;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function readEnv(
  env: NodeJS.ProcessEnv,
  problems: string[],
  origin: Map<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const b of envBindings) {
    const raw = env[b.env];
    if (raw === undefined || raw === '') continue;
    origin.set(b.path, `environment variable ${b.env}`);
    if (b.kind === 'int') {
      if (!/^\d+$/.test(raw.trim())) {
        problems.push(`${b.env}="${raw}": phải là số nguyên / must be a whole number`);
        continue;
      }
      setPath(out, b.path, Number(raw.trim()));
    } else if (b.kind === 'list') {
      setPath(
        out,
        b.path,
        raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      );
    } else {
      setPath(out, b.path, raw.trim());
    }
  }
  return out;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    if (
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      typeof prev === 'object' &&
      prev !== null &&
      !Array.isArray(prev)
    ) {
      out[k] = deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function readFile(file: string, problems: string[], origin: Map<string, string>): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    problems.push(
      `CONGTHU_CONFIG=${file}: không đọc được tệp / cannot read the file (${(e as Error).message})`,
    );
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    problems.push(`${file}: không phải JSON hợp lệ / not valid JSON (${(e as Error).message})`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`${file}: phải là một đối tượng JSON / must be a JSON object`);
    return {};
  }
  const walk = (o: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(o)) {
      const p = prefix ? `${prefix}.${k}` : k;
      origin.set(p, `config file ${file}`);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) walk(v as Record<string, unknown>, p);
    }
  };
  walk(parsed as Record<string, unknown>, '');
  return parsed as Record<string, unknown>;
}

function describeIssue(issue: z.core.$ZodIssue, origin: Map<string, string>): string {
  const p = issue.path.join('.');
  const env = envBindings.find((b) => b.path === p)?.env;
  const where = origin.get(p) ?? (env ? `option ${p} (${env})` : `option ${p}`);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (p ? `${p}.${k}` : k)).join(', ');
    return `${keys}: tùy chọn không tồn tại / unknown option (see: congthu config describe)`;
  }
  return `${p || '(root)'} [${where}]: ${issue.message}`;
}

export function loadConfig(options: LoadOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const origin = new Map<string, string>();
  const file = options.file ?? env.CONGTHU_CONFIG;
  let merged: Record<string, unknown> = file ? readFile(file, problems, origin) : {};
  merged = deepMerge(merged, readEnv(env, problems, origin));
  if (options.overrides) merged = deepMerge(merged, options.overrides);
  if (problems.length > 0) throw new ConfigError(problems);

  const result = configSchema.strict().safeParse(merged);
  if (!result.success) throw new ConfigError(result.error.issues.map((i) => describeIssue(i, origin)));
  const c = result.data;

  const domain = c.domain.toLowerCase().replace(/\.$/, '');
  const dataDir = path.resolve(c.dataDir);
  let databaseUrl = c.databaseUrl ?? '';
  if (databaseUrl === '' || databaseUrl === 'sqlite:')
    databaseUrl = `sqlite:${path.join(dataDir, 'congthu.db')}`;
  else if (databaseUrl.startsWith('sqlite:')) databaseUrl = `sqlite:${path.resolve(databaseUrl.slice(7))}`;
  else if (!/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError([
      `databaseUrl [${origin.get('databaseUrl') ?? 'option databaseUrl'}]: phải bắt đầu bằng postgres:// hoặc sqlite: / must start with postgres:// or sqlite:`,
    ]);
  const localDomains = [domain, ...c.extraDomains.map((d) => d.toLowerCase().replace(/\.$/, ''))].filter(
    (d, i, all) => all.indexOf(d) === i,
  );
  return { ...c, domain, dataDir, databaseUrl, localDomains, hostname: c.hostname ?? `mail.${domain}` };
}
