/**
 * The SMTP server as a child process for the kill test (kill.test.ts): opens the system on the
 * data folder and database given as arguments, starts the SMTP listeners on 127.0.0.1 with ports
 * chosen by the kernel, and prints `READY <mx port>` once they listen. The internet's DNS is
 * replaced by one that knows no names (SPF/DKIM/DMARC "none"). No outbound queue: the test sends
 * to local recipients only. Killed with SIGKILL by the test; never shuts down cleanly on purpose.
 */
import { loadConfig } from '../../src/config/index.ts';
// Straight to the modules, not src/app/index.ts: the HTTP stack is not needed and costs seconds.
import { openSystem } from '../../src/app/context.ts';
import { ensureTls } from '../../src/app/tls.ts';
import { createLogger } from '../../src/telemetry/index.ts';
import { startSmtpServices } from '../../src/server/smtp/index.ts';

const [dataDir, databaseUrl] = process.argv.slice(2);
if (!dataDir || !databaseUrl) throw new Error('usage: kill-server.ts <dataDir> <databaseUrl>');
const config = loadConfig({
  env: {},
  overrides: {
    dataDir,
    databaseUrl,
    listen: ['127.0.0.1'],
    ports: { smtp: 0, submission: 0, submissions: 0 },
    log: { level: 'silent' },
  },
});
const system = await openSystem(config);
const tls = await ensureTls(config);
const smtp = await startSmtpServices({
  system,
  tls,
  log: createLogger({ level: 'error', destination: process.stderr }),
  outbound: null,
  resolver: (name) => Promise.reject(Object.assign(new Error(`ENOTFOUND ${name}`), { code: 'ENOTFOUND' })),
});
const mx = smtp.listeners.find((l) => l.kind === 'mx')!;
process.stdout.write(`READY ${mx.port}\n`);
