/** congthu org merge|dissolve|move-unit: reorganisations in one audited operation (rename: `org rename`) */
import type { ReorgOperation, ReorgResult } from '../../directory/index.ts';
import { AGENCY_CATEGORIES } from '../../directory/index.ts';
import type { Command, Invocation, Io } from '../command.ts';
import { optional, required } from '../command.ts';
import { printJson } from '../output.ts';
import { withSystem } from '../system.ts';

const COMMON = {
  basis: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

function printPlan(io: Io, r: ReorgResult): void {
  io.out(
    r.dryRun
      ? 'Chạy thử: chưa thay đổi gì. Kế hoạch / Dry run: nothing changed. The plan:'
      : `Đã thực hiện (mã thao tác ${r.id}) / Done (operation ${r.id}):`,
  );
  r.steps.forEach((s, i) => io.out(`  ${i + 1}. ${s.vi}\n     ${s.en}`));
}

async function run(inv: Invocation, op: ReorgOperation): Promise<void> {
  await withSystem(inv.io, async (sys) => {
    const r =
      inv.values['dry-run'] === true
        ? await sys.directory.reorganisations.plan(inv.caller, op)
        : await sys.directory.reorganisations.apply(inv.caller, op);
    if (inv.json) return printJson(inv.io, r);
    printPlan(inv.io, r);
  });
}

/** The basis is only required to apply; a dry run may go without it. */
const basisOf = (inv: Invocation): string =>
  inv.values['dry-run'] === true ? (optional(inv, 'basis') ?? '') : required(inv, 'basis');

export const reorganiseCommands: Command[] = [
  {
    path: ['org', 'merge'],
    summary:
      'Sáp nhập các cơ quan vào một cơ quan (người, phòng ban đi theo; địa chỉ cũ thành bí danh) / Merge agencies into one (people and sub-units move; old addresses become aliases)',
    usage: 'SOURCE... --into CODE [--new-name NAME [--new-kind KIND]] --basis TEXT [--dry-run]',
    details: `--new-name: tạo cơ quan mới có mã --into / create the agency --into. KIND: ${AGENCY_CATEGORIES.join(', ')}\nVí dụ / Example: congthu org merge xacamhieu xacamthanh --into xacamlo --basis "NQ 1680/NQ-UBTVQH15" --dry-run`,
    positionals: [1, 100],
    options: {
      ...COMMON,
      into: { type: 'string' },
      'new-name': { type: 'string' },
      'new-kind': { type: 'string' },
    },
    async run(inv) {
      const newName = optional(inv, 'new-name');
      const newKind = optional(inv, 'new-kind');
      await run(inv, {
        op: 'merge',
        sources: inv.positionals,
        into: required(inv, 'into'),
        ...(newName ? { newAgency: { name: newName, ...(newKind ? { category: newKind } : {}) } } : {}),
        basis: basisOf(inv),
      });
    },
  },
  {
    path: ['org', 'dissolve'],
    summary:
      'Giải thể cơ quan, đơn vị (người chuyển sang --people-to; địa chỉ thành bí danh của --successor hoặc bị thu hồi) / Dissolve an organisation',
    usage: 'CODE [--people-to CODE] [--successor CODE] --basis TEXT [--dry-run]',
    positionals: 1,
    options: { ...COMMON, 'people-to': { type: 'string' }, successor: { type: 'string' } },
    async run(inv) {
      const peopleTo = optional(inv, 'people-to');
      const successor = optional(inv, 'successor');
      await run(inv, {
        op: 'dissolve',
        code: inv.positionals[0]!,
        ...(peopleTo ? { peopleTo } : {}),
        ...(successor ? { successor } : {}),
        basis: basisOf(inv),
      });
    },
  },
  {
    path: ['org', 'move-unit'],
    summary:
      'Chuyển phòng, ban sang cơ quan khác cùng hộp thư và người (địa chỉ cũ thành bí danh) / Move a sub-unit to another agency with its mailbox and people',
    usage: 'UNIT --to CODE --basis TEXT [--dry-run]',
    positionals: 1,
    options: { ...COMMON, to: { type: 'string' } },
    async run(inv) {
      await run(inv, {
        op: 'move-unit',
        unit: inv.positionals[0]!,
        to: required(inv, 'to'),
        basis: basisOf(inv),
      });
    },
  },
];
