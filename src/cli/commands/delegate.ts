/**
 * congthu delegate grant|revoke|list|history: delegation of agency and sub-unit mailboxes
 * (Điều 10.1) at the command line, as the operator. The rules (same agency, personal delegate,
 * agency or sub-unit mailbox) and the audit events live in src/directory/delegation.ts.
 */
import type { DelegationView } from '../../directory/index.ts';
import type { Command, Io } from '../command.ts';
import { optional, required, UsageError } from '../command.ts';
import { printJson, printRecord, printTable } from '../output.ts';
import { withSystem } from '../system.ts';

function rightsOption(text: string): 'read' | 'manage' {
  const t = text.trim().toLowerCase();
  if (t === 'read' || t === 'manage') return t;
  throw new UsageError(
    `--rights phải là read (chỉ đọc) hoặc manage (đọc và quản lý), không phải "${text}"`,
    `--rights must be read or manage, not "${text}"`,
  );
}

function printGrant(io: Io, d: DelegationView): void {
  printRecord(io, {
    'Hộp thư / Mailbox': d.mailbox.address,
    'Người được ủy quyền / Delegate': `${d.delegate.address} (${d.delegate.name})`,
    'Quyền / Rights': `${d.rights ?? '-'} (RFC 4314 "${d.acl}")`,
    'Gửi thay / Send as': d.sendAs ? 'có / yes' : 'không / no',
    'Cấp bởi / Granted by': d.grantedBy,
    'Lúc / At': d.grantedAt,
  });
}

export const delegateCommands: Command[] = [
  {
    path: ['delegate', 'grant'],
    summary:
      'Ủy quyền quản lý, sử dụng hộp thư cơ quan, đơn vị (Điều 10.1) / Delegate an agency or sub-unit mailbox',
    usage: 'MAILBOX DELEGATE --rights read|manage [--send-as] [--reason "LÝ DO"]',
    positionals: 2,
    details:
      'read: đọc thư, đánh dấu đã đọc (IMAP "lrs"); manage: thêm sắp xếp, gắn cờ, xóa thư, tạo và xóa thư mục ("lrswikxte").\n' +
      '--send-as: được gửi thư với địa chỉ của hộp thư này. Cấp lại thì thay quyền cũ.\n' +
      'read: read and keep seen; manage: also file, flag, delete, expunge, create and remove folders.\n' +
      '--send-as: may send as the mailbox. Granting again replaces the previous rights.',
    options: {
      rights: { type: 'string' },
      'send-as': { type: 'boolean' },
      reason: { type: 'string' },
    },
    async run(inv) {
      const rights = rightsOption(required(inv, 'rights'));
      const reason = optional(inv, 'reason');
      await withSystem(inv.io, async (sys) => {
        const d = await sys.directory.delegations.grant(
          inv.caller,
          inv.positionals[0]!,
          inv.positionals[1]!,
          {
            rights,
            sendAs: inv.values['send-as'] === true,
            ...(reason !== undefined ? { reason } : {}),
          },
        );
        if (inv.json) return printJson(inv.io, d);
        inv.io.out('Đã ủy quyền / Delegated:');
        printGrant(inv.io, d);
      });
    },
  },
  {
    path: ['delegate', 'revoke'],
    summary: 'Thu hồi ủy quyền, có hiệu lực ngay / Revoke a delegation at once',
    usage: 'MAILBOX DELEGATE [--reason "LÝ DO"]',
    positionals: 2,
    options: { reason: { type: 'string' } },
    async run(inv) {
      const reason = optional(inv, 'reason');
      await withSystem(inv.io, async (sys) => {
        const d = await sys.directory.delegations.revoke(
          inv.caller,
          inv.positionals[0]!,
          inv.positionals[1]!,
          reason !== undefined ? { reason } : {},
        );
        if (inv.json) return printJson(inv.io, { revoked: d });
        inv.io.out(
          `Đã thu hồi ủy quyền hộp thư ${d.mailbox.address} của ${d.delegate.address} / Revoked ${d.delegate.address} on ${d.mailbox.address}`,
        );
      });
    },
  },
  {
    path: ['delegate', 'list'],
    summary: 'Các ủy quyền đang có hiệu lực / Delegations in force',
    usage: '[--mailbox MAILBOX] [--delegate ADDRESS]',
    options: { mailbox: { type: 'string' }, delegate: { type: 'string' } },
    async run(inv) {
      const mailbox = optional(inv, 'mailbox');
      const delegate = optional(inv, 'delegate');
      await withSystem(inv.io, async (sys) => {
        const rows = await sys.directory.delegations.list(inv.caller, {
          ...(mailbox !== undefined ? { mailbox } : {}),
          ...(delegate !== undefined ? { delegate } : {}),
        });
        if (inv.json) return printJson(inv.io, rows);
        printTable(
          inv.io,
          rows.map((d) => ({
            mailbox: d.mailbox.address,
            delegate: d.delegate.address,
            rights: d.rights ?? d.acl,
            sendAs: d.sendAs ? 'yes' : 'no',
            grantedAt: d.grantedAt,
          })),
          ['mailbox', 'delegate', 'rights', 'sendAs', 'grantedAt'],
        );
      });
    },
  },
  {
    path: ['delegate', 'history'],
    summary:
      'Lịch sử ủy quyền và sử dụng một hộp thư (cấp, thu hồi, đăng nhập, gửi thay) / Delegation history of a mailbox',
    usage: 'MAILBOX [--limit N]',
    positionals: 1,
    options: { limit: { type: 'string' } },
    async run(inv) {
      const limit = optional(inv, 'limit');
      if (limit !== undefined && !/^\d{1,4}$/.test(limit))
        throw new UsageError('--limit phải là số nguyên', '--limit must be a whole number');
      await withSystem(inv.io, async (sys) => {
        const rows = await sys.directory.delegations.history(
          inv.caller,
          inv.positionals[0]!,
          limit !== undefined ? Number(limit) : undefined,
        );
        if (inv.json) return printJson(inv.io, rows);
        printTable(
          inv.io,
          rows.map((r) => ({
            at: r.at,
            action: r.action,
            by: r.actorLabel ?? r.actor,
            delegate: (r.details?.delegate as string | undefined) ?? null,
            reason: r.reason,
          })),
          ['at', 'action', 'by', 'delegate', 'reason'],
        );
      });
    },
  },
];
