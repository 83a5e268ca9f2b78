/** serve, init, migrate, config describe. */
import { describeConfig } from '../../config/index.ts';
import { openStore, migrateToLatest } from '../../store/index.ts';
import { createLogger } from '../../telemetry/index.ts';
import { ensureTls, initialise, startServer, type InitResult } from '../../app/index.ts';
import type { Command, Io } from '../command.ts';
import { optional } from '../command.ts';
import { printJson, printRecord } from '../output.ts';
import { cliConfig, withSystem } from '../system.ts';

function printFirstOperator(io: Io, init: InitResult, toErr: boolean): void {
  if (!init.firstOperator) return;
  const say = toErr ? io.err : io.out;
  say('');
  say('  Tài khoản quản trị đầu tiên / First operator account');
  say(`    Địa chỉ / Address:                      ${init.firstOperator.address}`);
  say(`    Mật khẩu dùng một lần / One-time password: ${init.firstOperator.oneTimePassword}`);
  say('    Mật khẩu chỉ hiện một lần; phải đổi khi đăng nhập lần đầu (Điều 9.2.a).');
  say('    Shown once only; it must be changed at first sign-in.');
  say('');
}

export const systemCommands: Command[] = [
  {
    path: ['serve'],
    summary: 'Chạy máy chủ thư / Run the mail server (all services in one process)',
    usage: '',
    async run(inv) {
      const config = cliConfig(inv.io);
      const log = createLogger({ level: config.log.level });
      // Listen for signals before starting, so a stop asked for during start-up is not lost.
      const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
        const onSignal = (signal: NodeJS.Signals): void => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve(signal);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      const server = await startServer(config, log);
      printFirstOperator(inv.io, server.init, true);
      const signal = await stopRequested;
      log.info({ signal }, 'stopping');
      await server.stop();
      return 0;
    },
  },
  {
    path: ['init'],
    summary:
      'Khởi tạo dữ liệu, chứng chỉ TLS và tài khoản quản trị đầu tiên / Initialise data, TLS and the first operator',
    usage: '',
    options: {
      'operator-name': { type: 'string' },
      'operator-agency': { type: 'string' },
      'operator-agency-name': { type: 'string' },
    },
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const init = await initialise(sys.directory, sys.calendar, {
          ...(optional(inv, 'operator-name') ? { operatorName: optional(inv, 'operator-name') } : {}),
          ...(optional(inv, 'operator-agency')
            ? { operatorAgencyCode: optional(inv, 'operator-agency') }
            : {}),
          ...(optional(inv, 'operator-agency-name')
            ? { operatorAgencyName: optional(inv, 'operator-agency-name') }
            : {}),
        });
        const tls = await ensureTls(sys.config);
        const result = {
          dataDir: sys.config.dataDir,
          database: sys.store.dialect,
          migrationsApplied: sys.migrations.applied,
          tlsCertificate: tls.certFile,
          selfSignedCertificate: tls.selfSigned,
          firstOperator: init.firstOperator ?? null,
        };
        if (inv.json) return printJson(inv.io, result);
        printRecord(inv.io, {
          'Thư mục dữ liệu / Data': result.dataDir,
          'CSDL / Database': result.database,
          'Chứng chỉ / Certificate': `${result.tlsCertificate}${tls.selfSigned ? ' (tự ký / self-signed)' : ''}`,
        });
        if (!init.firstOperator) inv.io.out('Đã khởi tạo từ trước / Already initialised.');
        printFirstOperator(inv.io, init, false);
      });
    },
  },
  {
    path: ['migrate'],
    summary: 'Cập nhật cấu trúc CSDL / Apply database migrations',
    usage: '',
    async run(inv) {
      const config = cliConfig(inv.io);
      const store = await openStore({ url: config.databaseUrl });
      try {
        const r = await migrateToLatest(store);
        if (inv.json) return printJson(inv.io, r);
        inv.io.out(
          r.applied.length > 0
            ? `Đã áp dụng / Applied: ${r.applied.join(', ')}`
            : 'CSDL đã ở phiên bản mới nhất / Database is up to date.',
        );
        inv.io.out(`Hiện tại / Current: ${r.current.join(', ')}`);
      } finally {
        await store.close();
      }
    },
  },
  {
    path: ['config', 'describe'],
    summary: 'Liệt kê mọi tùy chọn cấu hình / List every configuration option',
    usage: '',
    async run(inv) {
      const rows = describeConfig();
      if (inv.json) return printJson(inv.io, rows);
      for (const r of rows) {
        inv.io.out(`${r.option}${r.env ? `  (${r.env})` : ''}`);
        inv.io.out(`    ${r.type}; default: ${JSON.stringify(r.default)}`);
        inv.io.out(`    ${r.description}`);
      }
    },
  },
];
