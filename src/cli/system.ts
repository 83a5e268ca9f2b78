/** Opening the system for one CLI command: the same configuration and database as the server. */
import { loadConfig, type ResolvedConfig } from '../config/index.ts';
import { openSystem, type SystemContext } from '../app/index.ts';
import type { Io } from './command.ts';

export function cliConfig(io: Io): ResolvedConfig {
  return loadConfig({ env: io.env });
}

export async function withSystem<T>(io: Io, fn: (sys: SystemContext) => Promise<T>): Promise<T> {
  const sys = await openSystem(cliConfig(io));
  try {
    return await fn(sys);
  } finally {
    await sys.close();
  }
}
