/** congthu org create|list|show|rename */
import type { OrgView } from '../../directory/index.ts';
import { AGENCY_CATEGORIES } from '../../directory/index.ts';
import type { Command, Io } from '../command.ts';
import { optional, required } from '../command.ts';
import { printJson, printRecord, printTable } from '../output.ts';
import { withSystem } from '../system.ts';

function printOrg(io: Io, o: OrgView): void {
  printRecord(io, {
    'Mã / Code': o.code,
    'Tên / Name': o.name,
    'Loại / Kind': o.kind + (o.category ? ` (${o.category})` : ''),
    'Trực thuộc / Parent': o.parentCode,
    'Hộp thư / Mailbox': o.mailbox,
    'Tạo lúc / Created': o.createdAt,
  });
}

export const orgCommands: Command[] = [
  {
    path: ['org', 'create'],
    summary:
      'Tạo cơ quan, đơn vị hoặc phòng, ban cùng hộp thư của nó / Create an organisation and its mailbox',
    usage: '--code CODE --name NAME [--parent CODE] [--kind KIND]',
    details: `KIND: ${AGENCY_CATEGORIES.join(', ')}, sub-unit (mặc định / default: other; có --parent là phòng, ban / with --parent: sub-unit)\nVí dụ / Example: congthu org create --code sokhcn --name "Sở Khoa học và Công nghệ" --kind department\n                 congthu org create --code vanphong --name "Văn phòng Sở" --parent sokhcn`,
    options: {
      code: { type: 'string' },
      name: { type: 'string' },
      parent: { type: 'string' },
      kind: { type: 'string' },
    },
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const parent = optional(inv, 'parent');
        const kind = optional(inv, 'kind');
        const r = await sys.directory.orgs.create(inv.caller, {
          code: required(inv, 'code'),
          name: required(inv, 'name'),
          ...(parent ? { parentCode: parent } : {}),
          ...(kind ? { kind } : {}),
        });
        if (inv.json) return printJson(inv.io, r);
        printOrg(inv.io, r.org);
      });
    },
  },
  {
    path: ['org', 'list'],
    summary: 'Danh sách cơ quan, đơn vị / List organisations',
    usage: '[--parent CODE]',
    options: { parent: { type: 'string' } },
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const parent = optional(inv, 'parent');
        const rows = await sys.directory.orgs.list(inv.caller, parent ? { parentCode: parent } : {});
        if (inv.json) return printJson(inv.io, rows);
        printTable(inv.io, rows as unknown as Array<Record<string, unknown>>, [
          'code',
          'kind',
          'category',
          'name',
          'mailbox',
        ]);
      });
    },
  },
  {
    path: ['org', 'show'],
    summary: 'Thông tin một cơ quan, đơn vị / Show an organisation',
    usage: 'CODE',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const o = await sys.directory.orgs.show(inv.caller, inv.positionals[0]!);
        if (inv.json) return printJson(inv.io, o);
        printOrg(inv.io, o);
        if (o.children.length > 0)
          inv.io.out(`Trực thuộc / Sub-units: ${o.children.map((c) => c.code).join(', ')}`);
      });
    },
  },
  {
    path: ['org', 'rename'],
    summary: 'Đổi tên cơ quan, đơn vị (địa chỉ thư giữ nguyên) / Rename (the address stays)',
    usage: 'CODE --name NAME',
    positionals: 1,
    options: { name: { type: 'string' } },
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const o = await sys.directory.orgs.rename(inv.caller, inv.positionals[0]!, required(inv, 'name'));
        if (inv.json) return printJson(inv.io, o);
        printOrg(inv.io, o);
      });
    },
  },
];
