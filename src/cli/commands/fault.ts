/**
 * congthu fault list|show|acknowledge|resolve|close: the faults register (Điều 10.5, 11.4) at the
 * command line, as the operator. Users report faults through the web app or the API; escalation
 * is the agency IT contact's step towards the operator, so the operator's CLI has no `escalate`.
 */
import {
  FAULT_STATES,
  governanceFor,
  type FaultAction,
  type FaultState,
  type FaultView,
} from '../../governance/index.ts';
import type { Command, Io } from '../command.ts';
import { optional, UsageError } from '../command.ts';
import { printJson, printRecord, printTable } from '../output.ts';
import { withSystem } from '../system.ts';

function printFault(io: Io, f: FaultView): void {
  printRecord(io, {
    'Số / Number': f.number,
    'Trạng thái / State': `${f.stateText.vi} / ${f.stateText.en}`,
    'Cấp xử lý / Level': f.level === 'operator' ? 'Sở KH&CN / operator' : 'đơn vị / agency',
    'Tiêu đề / Subject': f.subject,
    'Người báo / Reporter': f.reporter.label ?? f.reporter.id,
    'Cơ quan / Agency': f.agency ? `${f.agency.name} (${f.agency.code})` : null,
    'Người xử lý / Assignee': f.assignee ? (f.assignee.label ?? f.assignee.id) : null,
    'Báo lúc / Reported at': f.createdAt,
  });
  io.out('');
  io.out(f.description);
  if (f.timeline) {
    io.out('');
    printTable(
      io,
      f.timeline.map((e) => ({
        at: e.at,
        actor: e.actorLabel ?? e.actor,
        action: e.action,
        state: `${e.from ?? '-'} → ${e.to}`,
        note: e.note,
      })),
      ['at', 'actor', 'action', 'state', 'note'],
    );
  }
}

function actCommand(action: Exclude<FaultAction, 'escalate'>, summary: string): Command {
  return {
    path: ['fault', action],
    summary,
    usage: 'SỐ [--note "GHI CHÚ"]',
    positionals: 1,
    options: { note: { type: 'string' } },
    async run(inv) {
      const note = optional(inv, 'note');
      await withSystem(inv.io, async (sys) => {
        const f = await governanceFor(sys).faults.act(
          inv.caller,
          inv.positionals[0]!,
          action,
          note !== undefined ? { note } : {},
        );
        if (inv.json) return printJson(inv.io, f);
        printFault(inv.io, f);
      });
    },
  };
}

export const faultCommands: Command[] = [
  {
    path: ['fault', 'list'],
    summary: 'Sổ theo dõi lỗi, sự cố (Điều 10.5, 11.4) / The faults register',
    usage: '[--agency MÃ] [--state reported|acknowledged|escalated|resolved|closed]',
    options: { agency: { type: 'string' }, state: { type: 'string' } },
    async run(inv) {
      const agency = optional(inv, 'agency');
      const state = optional(inv, 'state');
      if (state !== undefined && !FAULT_STATES.includes(state as FaultState))
        throw new UsageError(
          `--state không hợp lệ: "${state}" (${FAULT_STATES.join(', ')})`,
          `Invalid --state: "${state}" (${FAULT_STATES.join(', ')})`,
        );
      await withSystem(inv.io, async (sys) => {
        const list = await governanceFor(sys).faults.list(inv.caller, {
          ...(agency !== undefined ? { agency } : {}),
          ...(state !== undefined ? { state: state as FaultState } : {}),
        });
        if (inv.json) return printJson(inv.io, list);
        printTable(
          inv.io,
          list.map((f) => ({
            number: f.number,
            state: f.state,
            level: f.level,
            agency: f.agency?.code ?? null,
            reporter: f.reporter.label,
            subject: f.subject,
          })),
          ['number', 'state', 'level', 'agency', 'reporter', 'subject'],
        );
      });
    },
  },
  {
    path: ['fault', 'show'],
    summary: 'Một sự cố và diễn biến xử lý / A fault and its timeline',
    usage: 'SỐ',
    positionals: 1,
    async run(inv) {
      await withSystem(inv.io, async (sys) => {
        const f = await governanceFor(sys).faults.get(inv.caller, inv.positionals[0]!);
        if (inv.json) return printJson(inv.io, f);
        printFault(inv.io, f);
      });
    },
  },
  actCommand('acknowledge', 'Tiếp nhận sự cố / Acknowledge a fault'),
  actCommand('resolve', 'Đánh dấu sự cố đã khắc phục / Mark a fault resolved'),
  actCommand('close', 'Đóng sự cố đã khắc phục / Close a resolved fault'),
];
