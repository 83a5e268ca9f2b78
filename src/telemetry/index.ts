export { createLogger, REDACT_PATHS, type Logger } from './logger.ts';
export { createMetrics, type Metrics } from './metrics.ts';
