export { configSchema, envBindings, type Config } from './schema.ts';
export { loadConfig, ConfigError, type ResolvedConfig, type LoadOptions } from './load.ts';
export { describeConfig, type OptionDescription } from './describe.ts';
