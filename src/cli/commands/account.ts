/** congthu account create|list|show|passwd|suspend|restore|delete|set-quota|move|set-role, account alias add|remove */
import type { AccountView } from '../../directory/index.ts';
import { SUSPENSION_REASONS } from '../../directory/index.ts';
import type { AccountKind, AccountState } from '../../store/index.ts';
import type { Command, Invocation, Io } from '../command.ts';
import { optional, required, UsageError } from '../command.ts';
import { formatBytes, parseSize, printJson, printRecord, printTable } from '../output.ts';
import { withSystem } from '../system.ts';

function printAccount(io: Io, a: AccountView): void {
  printRecord(io, {
    'Địa chỉ / Address': a.address,
    'Bí danh / Aliases': a.aliases,
    'Họ tên / Name': a.displayName,
    'Chức vụ / Title': a.title,
    'Loại / Kind': a.kind,
    'Đơn vị / Organisation': `${a.org.code} (${a.org.name})`,
    'Trạng thái / State': a.state + (a.stateReason ? ` (${a.stateReason})` : ''),
    'Căn cứ / Basis': a.stateBasis,
    'Vai trò / Role': a.role,
    'Dung lượng / Quota': `${formatBytes(a.usedBytes)} / ${formatBytes(a.quotaBytes)}${a.quotaOverride ? '' : ' (mặc định / default)'}`,
    'Phải đổi mật khẩu / Must change password': a.mustChangePassword ? 'có / yes' : 'không / no',
    'Mật khẩu hết hạn / Password expires': a.passwordExpiresAt,
    'Truy cập gần nhất / Last access': a.lastAccessAt,
    'Xóa dữ liệu sau / Purge after': a.purgeAfter,
  });
}

function printOneTime(io: Io, password: string | undefined): void {
  if (!password) return;
  io.out(`Mật khẩu dùng một lần / One-time password: ${password}`);
  io.out('(chỉ hiện một lần; phải đổi khi đăng nhập lần đầu / shown once; must be changed at first sign-in)');
}

async function passwordFrom(inv: Invocation): Promise<string | undefined> {
  if (inv.values['password-stdin'] === true) {
    const text = (await inv.io.stdin()).replace(/\r?\n$/, '');
    if (text === '')
      throw new UsageError('Không đọc được mật khẩu từ stdin', 'No password on standard input');
    return text;
  }
  return optional(inv, 'password');
}

function one(io: Io, json: boolean, a: AccountView): void {
  if (json) printJson(io, a);
  else printAccount(io, a);
}

const STATES: AccountState[] = ['active', 'suspended', 'deleted'];
const KINDS: AccountKind[] = ['agency', 'sub-unit', 'personal'];

export const accountCommands: Command[] = [
  {
    path: ['account', 'create'],
    summary: 'Cấp hộp thư cá nhân (địa chỉ theo Điều 6.2) / Create a personal mailbox',
    usage:
      '--name "HỌ TÊN" --org CODE [--person-id ID] [--title T] [--password P | --password-stdin] [--no-must-change]',
    details:
      'Không có --password: in ra mật khẩu dùng một lần / without --password a one-time password is printed.\n--no-must-change: chỉ dùng khi chuyển tài khoản từ hệ thống cũ / only when migrating existing users.',
    options: {
      name: { type: 'string' },
      org: { type: 'string' },
      'person-id': { type: 'string' },
      title: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'no-must-change': { type: 'boolean' },
    },
    async run(inv) {
      const password = await passwordFrom(inv);
      await withSystem(inv.io, async (sys) => {
        const r = await sys.directory.accounts.createPersonal(inv.caller, {
          name: required(inv, 'name'),
          orgCode: required(inv, 'org'),
          ...(optional(inv, 'person-id') ? { personId: optional(inv, 'person-id') } : {}),
          ...(optional(inv, 'title') ? { title: optional(inv, 'title') } : {}),
          ...(password !== undefined ? { password } : {}),
          mustChange: inv.values['no-must-change'] !== true,
        });
        if (inv.json) return printJson(inv.io, r);
        printAccount(inv.io, r.account);
        printOneTime(inv.io, r.oneTimePassword);
      });
    },
  },
  {
    path: ['account', 'list'],
    summary: 'Danh sách hộp thư / List mailboxes',
    usage: '[--org CODE] [--state active|suspended|deleted] [--kind agency|sub-unit|personal] [--limit N]',
    options: {
      org: { type: 'string' },
      state: { type: 'string' },
      kind: { type: 'string' },
      limit: { type: 'string' },
    },
    async run(inv) {
      const state = optional(inv, 'state');
      const kind = optional(inv, 'kind');
      const limit = optional(inv, 'limit');
      if (state && !STATES.includes(state as AccountState))
        throw new UsageError(
          `--state phải là ${STATES.join(' | ')}`,
          `--state must be ${STATES.join(' | ')}`,
        );
      if (kind && !KINDS.includes(kind as AccountKind))
        throw new UsageError(`--kind phải là ${KINDS.join(' | ')}`, `--kind must be ${KINDS.join(' | ')}`);
      if (limit && !/^\d{1,6}$/.test(limit))
        throw new UsageError('--limit phải là số nguyên', '--limit must be a whole number');
      await withSystem(inv.io, async (sys) => {
        const rows = await sys.directory.accounts.list(inv.caller, {
          ...(optional(inv, 'org') ? { orgCode: optional(inv, 'org') } : {}),
          ...(state ? { state: state as AccountState } : {}),
          ...(kind ? { kind: kind as AccountKind } : {}),
          ...(limit ? { limit: Number(limit) } : {}),
        });
        if (inv.json) return printJson(inv.io, rows);
        printTable(
          inv.io,
          rows.map((a) => ({
            address: a.address,
            kind: a.kind,
            state: a.state,
            org: a.org.code,
            name: a.displayName,
            role: a.role,
          })),
          ['address', 'kind', 'state', 'org', 'role', 'name'],
        );
      });
    },
  },
  {
    path: ['account', 'show'],
    summary: 'Thông tin một hộp thư / Show a mailbox',
    usage: 'ADDRESS',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) =>
        one(inv.io, inv.json, await sys.directory.accounts.show(inv.caller, inv.positionals[0]!)),
      );
    },
  },
  {
    path: ['account', 'passwd'],
    summary: 'Đặt mật khẩu mặc định (phải đổi khi đăng nhập) / Set a default password',
    usage: 'ADDRESS [--password P | --password-stdin] [--no-must-change] [--reason TEXT]',
    positionals: 1,
    options: {
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'no-must-change': { type: 'boolean' },
      reason: { type: 'string' },
    },
    async run(inv) {
      const password = await passwordFrom(inv);
      await withSystem(inv.io, async (sys) => {
        const r = await sys.directory.credentials.setPassword(inv.caller, inv.positionals[0]!, {
          ...(password !== undefined ? { password } : {}),
          mustChange: inv.values['no-must-change'] !== true,
          ...(optional(inv, 'reason') ? { reason: optional(inv, 'reason') } : {}),
        });
        if (inv.json) return printJson(inv.io, r);
        inv.io.out(`Đã đặt mật khẩu cho / Password set for ${r.address}`);
        printOneTime(inv.io, r.oneTimePassword);
      });
    },
  },
  {
    path: ['account', 'suspend'],
    summary: 'Tạm khóa hộp thư (Điều 8) / Suspend a mailbox',
    usage: `ADDRESS --reason ${SUSPENSION_REASONS.join('|')} [--basis "VĂN BẢN"]`,
    positionals: 1,
    options: { reason: { type: 'string' }, basis: { type: 'string' } },
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const basis = optional(inv, 'basis');
        const a = await sys.directory.admin.suspend(inv.caller, inv.positionals[0]!, {
          reason: required(inv, 'reason'),
          ...(basis ? { basis } : {}),
        });
        one(inv.io, inv.json, a);
      });
    },
  },
  {
    path: ['account', 'restore'],
    summary: 'Khôi phục hộp thư bị tạm khóa (Điều 8.3) / Restore a suspended mailbox',
    usage: 'ADDRESS [--basis "VĂN BẢN"]',
    positionals: 1,
    options: { basis: { type: 'string' } },
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const basis = optional(inv, 'basis');
        one(
          inv.io,
          inv.json,
          await sys.directory.admin.restore(inv.caller, inv.positionals[0]!, basis ? { basis } : {}),
        );
      });
    },
  },
  {
    path: ['account', 'delete'],
    summary:
      'Xóa hộp thư (địa chỉ không bao giờ cấp lại) / Delete a mailbox (its addresses are never reissued)',
    usage: 'ADDRESS [--reason TEXT] [--basis "VĂN BẢN"]',
    positionals: 1,
    options: { reason: { type: 'string' }, basis: { type: 'string' } },
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const reason = optional(inv, 'reason');
        const basis = optional(inv, 'basis');
        one(
          inv.io,
          inv.json,
          await sys.directory.admin.delete(inv.caller, inv.positionals[0]!, {
            ...(reason ? { reason } : {}),
            ...(basis ? { basis } : {}),
          }),
        );
      });
    },
  },
  {
    path: ['account', 'set-quota'],
    summary: 'Đặt dung lượng hộp thư (Điều 9.1) / Set the quota',
    usage: 'ADDRESS SIZE|default',
    details:
      'SIZE: 3GB, 2.5GiB, 5000000000 … ; default: theo loại hộp thư / the class default (2 GiB / 5 GiB)',
    positionals: 2,
    async run(inv) {
      const size = parseSize(inv.positionals[1]!);
      if (Number.isNaN(size))
        throw new UsageError(
          `Dung lượng không hợp lệ: ${inv.positionals[1]} (ví dụ 3GB, 2.5GiB, default)`,
          `Invalid size: ${inv.positionals[1]}`,
        );
      await withSystem(inv.io, async (sys) =>
        one(inv.io, inv.json, await sys.directory.admin.setQuota(inv.caller, inv.positionals[0]!, size)),
      );
    },
  },
  {
    path: ['account', 'alias', 'add'],
    summary: 'Thêm bí danh (kể cả tên miền cũ) / Add an alias (also on a former domain)',
    usage: 'ADDRESS ALIAS',
    positionals: 2,
    async run(inv) {
      await withSystem(inv.io, async (sys) =>
        one(
          inv.io,
          inv.json,
          await sys.directory.admin.addAlias(inv.caller, inv.positionals[0]!, inv.positionals[1]!),
        ),
      );
    },
  },
  {
    path: ['account', 'alias', 'remove'],
    summary: 'Bỏ bí danh (không cấp lại cho người khác) / Remove an alias (never reissued)',
    usage: 'ADDRESS ALIAS',
    positionals: 2,
    async run(inv) {
      await withSystem(inv.io, async (sys) =>
        one(
          inv.io,
          inv.json,
          await sys.directory.admin.removeAlias(inv.caller, inv.positionals[0]!, inv.positionals[1]!),
        ),
      );
    },
  },
  {
    path: ['account', 'move'],
    summary: 'Chuyển công tác: giữ hộp thư, đổi đơn vị / Transfer: keep the mailbox, change the organisation',
    usage: 'ADDRESS --org CODE [--basis "VĂN BẢN"]',
    positionals: 1,
    options: { org: { type: 'string' }, basis: { type: 'string' } },
    async run(inv) {
      await withSystem(inv.io, async (sys) =>
        one(
          inv.io,
          inv.json,
          await sys.directory.admin.move(
            inv.caller,
            inv.positionals[0]!,
            required(inv, 'org'),
            optional(inv, 'basis'),
          ),
        ),
      );
    },
  },
  {
    path: ['account', 'set-role'],
    summary: 'Gán vai trò / Set the role: operator, auditor, agency-admin, user',
    usage: 'ADDRESS ROLE [--agency CODE]',
    positionals: 2,
    options: { agency: { type: 'string' } },
    async run(inv) {
      await withSystem(inv.io, async (sys) =>
        one(
          inv.io,
          inv.json,
          await sys.directory.admin.setRole(
            inv.caller,
            inv.positionals[0]!,
            inv.positionals[1]!,
            optional(inv, 'agency'),
          ),
        ),
      );
    },
  },
];
