/**
 * congthu directory hide|unhide|hidden|search: the public directory (Điều 11.1) at the command
 * line, as the operator. Hiding an entry needs a reason; both changes are audited
 * (`directory.hide`, `directory.unhide`). `search` answers as the public API does (same
 * matching, minimum length and cap) but without the per-address rate limit. The rules live in
 * src/directory/public-directory.ts.
 */
import type { Command } from '../command.ts';
import { optional, required } from '../command.ts';
import { printJson, printRecord, printTable } from '../output.ts';
import { withSystem } from '../system.ts';

export const directoryCommands: Command[] = [
  {
    path: ['directory', 'hide'],
    summary:
      'Ẩn một hộp thư khỏi danh bạ công khai, có lý do (Điều 11.1) / Hide a mailbox from the public directory, with a reason',
    usage: 'ADDRESS --reason "LÝ DO"',
    positionals: 1,
    details:
      'Mục bị ẩn không còn xuất hiện khi tra cứu danh bạ công khai; hộp thư vẫn hoạt động bình thường.\n' +
      'The entry no longer appears in public directory searches; the mailbox itself keeps working.',
    options: { reason: { type: 'string' } },
    async run(inv) {
      const reason = required(inv, 'reason');
      await withSystem(inv.io, async (sys) => {
        const h = await sys.directory.publicDirectory.hide(inv.caller, inv.positionals[0]!, reason);
        if (inv.json) return printJson(inv.io, h);
        inv.io.out('Đã ẩn khỏi danh bạ công khai / Hidden from the public directory:');
        printRecord(inv.io, {
          'Hộp thư / Mailbox': `${h.address} (${h.name})`,
          'Lý do / Reason': h.reason,
          'Bởi / By': h.hiddenBy,
          'Lúc / At': h.hiddenAt,
        });
      });
    },
  },
  {
    path: ['directory', 'unhide'],
    summary:
      'Hiện lại một hộp thư trong danh bạ công khai / Show a hidden mailbox in the public directory again',
    usage: 'ADDRESS [--reason "LÝ DO"]',
    positionals: 1,
    options: { reason: { type: 'string' } },
    async run(inv) {
      const reason = optional(inv, 'reason');
      await withSystem(inv.io, async (sys) => {
        const r = await sys.directory.publicDirectory.unhide(inv.caller, inv.positionals[0]!, reason);
        if (inv.json) return printJson(inv.io, { unhidden: r.address });
        inv.io.out(
          `Đã hiện lại ${r.address} trong danh bạ công khai / ${r.address} is listed in the public directory again`,
        );
      });
    },
  },
  {
    path: ['directory', 'hidden'],
    summary: 'Các hộp thư đã ẩn khỏi danh bạ công khai / Mailboxes hidden from the public directory',
    usage: '',
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const rows = await sys.directory.publicDirectory.listHidden(inv.caller);
        if (inv.json) return printJson(inv.io, rows);
        printTable(
          inv.io,
          rows.map((h) => ({
            address: h.address,
            name: h.name,
            hiddenAt: h.hiddenAt,
            by: h.hiddenBy,
            reason: h.reason,
          })),
          ['address', 'name', 'hiddenAt', 'by', 'reason'],
        );
      });
    },
  },
  {
    path: ['directory', 'search'],
    summary:
      'Tra cứu danh bạ công khai như người dân thấy (không giới hạn tần suất) / Search the public directory as the public sees it (no rate limit)',
    usage: 'QUERY [--agency NAME|CODE]',
    positionals: 1,
    options: { agency: { type: 'string' } },
    async run(inv) {
      const agency = optional(inv, 'agency');
      await withSystem(inv.io, async (sys) => {
        const r = await sys.directory.publicDirectory.search({
          q: inv.positionals[0]!,
          ...(agency !== undefined ? { agency } : {}),
        });
        if (inv.json) return printJson(inv.io, r);
        printTable(
          inv.io,
          r.results.map((e) => ({
            address: e.address,
            name: e.name,
            title: e.title,
            agency: e.unit ? `${e.unit} – ${e.agency}` : e.agency,
          })),
          ['address', 'name', 'title', 'agency'],
        );
        if (r.truncated)
          inv.io.out('Còn kết quả khác, hãy thu hẹp từ khóa / More entries matched; narrow the search');
      });
    },
  },
];
