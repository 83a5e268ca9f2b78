/**
 * Reorganisations (REQUIREMENTS "The transition": the 2025–2026 mergers of communes and
 * departments): merge, rename, move or dissolve organisations in one audited operation.
 *
 * A pure planner ({@link planReorganisation}) turns the current state and an operation into a list
 * of steps; a dry run shows them; {@link ReorganisationService.apply} executes them in ONE store
 * transaction (all or nothing), with one `org.reorganise` audit event for the operation and one
 * `org.reorganise.step` per step (plus the events the steps' own services write: account.move,
 * account.suspend, delegation.auto-revoke…).
 *
 * Rules:
 * - People keep their mailboxes and addresses; their record moves to the new organisation.
 * - A sub-unit moves with its mailbox and its people; its address follows Điều 6.1.b
 *   (`<unit>.<new agency>`) and the old address stays an alias of the same mailbox.
 * - A merged or dissolved organisation's mailbox is closed (suspended, its content kept); every
 *   active address of it becomes an alias of the successor's mailbox, so no mail is lost. Without
 *   a successor (dissolution only) the addresses are retired, never issued again (Điều 6.2.b).
 * - Delegations on a closed mailbox are revoked, not carried to the successor's mailbox: the head
 *   of the successor agency decides anew who uses it (Điều 10.1). Grants held by moved people on
 *   mailboxes outside their new agency end as on any move (account.move).
 * - The merged or dissolved organisation stays in the tree, marked dissolved (`dissolved_at`).
 */
import { uuidv7 } from '../util/ids.ts';
import { invalid } from '../util/errors.ts';
import { appendAudit, type Tx } from '../store/index.ts';
import { agencyLocalPart, subUnitLocalPart } from './address.ts';
import { AccountAdminService } from './account-admin.ts';
import { issueExactAddress, RESERVED_LOCAL_PARTS } from './address-registry.ts';
import { revokeOnMailboxClosed, revokeOnMove, revokeOutsideAgency } from './delegation.ts';
import { AGENCY_CATEGORIES, OrgService } from './org-service.ts';
import { authorise, findOrgByCode, inTransaction, type Caller, type DirectoryContext } from './context.ts';

// ---------------------------------------------------------------------------------------------
// The state the planner reads

export interface OrgState {
  code: string;
  abbrev: string;
  name: string;
  kind: 'province' | 'agency' | 'sub-unit';
  parentCode: string | null;
  dissolved: boolean;
  /** The organisation's own mailbox: its primary address and its active aliases. */
  mailbox: { id: string; address: string; state: string; addresses: string[] } | null;
}

export interface PersonState {
  id: string;
  address: string;
  orgCode: string;
  state: string;
}

export interface ReorgState {
  domain: string;
  orgs: OrgState[];
  people: PersonState[];
  /** Every address ever issued (active or retired): never issued again. */
  issued: string[];
}

// ---------------------------------------------------------------------------------------------
// Operations and steps

export type ReorgOperation =
  | {
      op: 'merge';
      /** The agencies merged away. */
      sources: string[];
      /** The agency they merge into: an existing one, or a new one when `newAgency` is given. */
      into: string;
      newAgency?: { name: string; category?: string };
      basis: string;
    }
  | {
      op: 'rename';
      code: string;
      name: string;
      /** A new code, hence a new address; the old address stays an alias. Default: unchanged. */
      newCode?: string;
      basis: string;
    }
  | { op: 'move-unit'; unit: string; to: string; basis: string }
  | {
      op: 'dissolve';
      code: string;
      /** Where the people (and sub-units) go; required when there are any. */
      peopleTo?: string;
      /** Whose mailbox receives the dissolved mailbox's addresses as aliases; none: retired. */
      successor?: string;
      basis: string;
    };

export type ReorgStep =
  | { kind: 'create-agency'; code: string; name: string; category: string }
  | { kind: 'rename-org'; code: string; from: string; to: string }
  | { kind: 'readdress-org'; code: string; newCode: string; oldAddress: string; newAddress: string }
  | {
      kind: 'move-unit';
      unit: string;
      from: string;
      to: string;
      newCode: string;
      oldAddress: string;
      newAddress: string;
    }
  | { kind: 'move-account'; address: string; from: string; to: string }
  | { kind: 'close-mailbox'; address: string }
  | { kind: 'alias-address'; address: string; to: string }
  | { kind: 'retire-address'; address: string }
  | { kind: 'dissolve-org'; code: string; successor: string | null };

export interface PlannedStep {
  step: ReorgStep;
  vi: string;
  en: string;
}

export function describeStep(s: ReorgStep): { vi: string; en: string } {
  switch (s.kind) {
    case 'create-agency':
      return {
        vi: `Tạo cơ quan mới ${s.code} "${s.name}" (${s.category}) và hộp thư ${s.code}@`,
        en: `Create the new agency ${s.code} "${s.name}" (${s.category}) and its mailbox`,
      };
    case 'rename-org':
      return {
        vi: `Đổi tên ${s.code}: "${s.from}" → "${s.to}" (địa chỉ thư không đổi)`,
        en: `Rename ${s.code}: "${s.from}" → "${s.to}" (the address does not change)`,
      };
    case 'readdress-org':
      return {
        vi: `Đổi mã ${s.code} thành ${s.newCode}: địa chỉ mới ${s.newAddress}, ${s.oldAddress} giữ làm bí danh`,
        en: `Change the code ${s.code} to ${s.newCode}: new address ${s.newAddress}, ${s.oldAddress} kept as an alias`,
      };
    case 'move-unit':
      return {
        vi: `Chuyển phòng, ban ${s.unit} từ ${s.from} sang ${s.to} cùng hộp thư và người; địa chỉ mới ${s.newAddress}, ${s.oldAddress} giữ làm bí danh`,
        en: `Move sub-unit ${s.unit} from ${s.from} to ${s.to} with its mailbox and people; new address ${s.newAddress}, ${s.oldAddress} kept as an alias`,
      };
    case 'move-account':
      return {
        vi: `Chuyển ${s.address} từ ${s.from} sang ${s.to} (giữ hộp thư và địa chỉ)`,
        en: `Move ${s.address} from ${s.from} to ${s.to} (mailbox and address kept)`,
      };
    case 'close-mailbox':
      return {
        vi: `Đóng (tạm khóa) hộp thư ${s.address}, giữ nguyên nội dung; thu hồi ủy quyền sử dụng`,
        en: `Close (suspend) the mailbox ${s.address}, keeping its content; revoke its delegations`,
      };
    case 'alias-address':
      return {
        vi: `Giữ ${s.address} làm bí danh của hộp thư ${s.to}`,
        en: `Keep ${s.address} as an alias of the mailbox ${s.to}`,
      };
    case 'retire-address':
      return {
        vi: `Thu hồi địa chỉ ${s.address} (không cấp lại)`,
        en: `Retire the address ${s.address} (never issued again)`,
      };
    case 'dissolve-org':
      return s.successor
        ? {
            vi: `Ghi nhận ${s.code} đã sáp nhập vào ${s.successor}`,
            en: `Mark ${s.code} merged into ${s.successor}`,
          }
        : { vi: `Ghi nhận ${s.code} đã giải thể`, en: `Mark ${s.code} dissolved` };
  }
}

function bad(code: string, vi: string, en: string): never {
  throw invalid(`reorg.${code}`, vi, en);
}

function requireOrg(state: ReorgState, code: string): OrgState {
  const key = code.trim().toLowerCase();
  const o = state.orgs.find((x) => x.code === key);
  if (!o)
    bad(
      'org-not-found',
      `Không tìm thấy cơ quan, đơn vị có mã "${code}".`,
      `No organisation with code "${code}".`,
    );
  if (o.dissolved)
    bad('org-dissolved', `${o.code} đã giải thể hoặc sáp nhập.`, `${o.code} has been dissolved or merged.`);
  return o;
}

function requireAgency(state: ReorgState, code: string): OrgState {
  const o = requireOrg(state, code);
  if (o.kind !== 'agency')
    bad('not-agency', `"${o.code}" không phải là cơ quan, đơn vị.`, `"${o.code}" is not an agency.`);
  return o;
}

/** Plan the moves of a sub-unit to `to`, checking its new address is free. */
function planUnitMove(
  state: ReorgState,
  unit: OrgState,
  to: { code: string; abbrev: string },
  taken: Set<string>,
): ReorgStep {
  const newCode = subUnitLocalPart(unit.abbrev, to.abbrev);
  const newAddress = `${newCode}@${state.domain}`;
  if (taken.has(newCode) || state.issued.includes(newAddress))
    bad(
      'address-taken',
      `Địa chỉ ${newAddress} cho phòng, ban ${unit.code} đã được dùng hoặc đã từng được cấp.`,
      `The address ${newAddress} for sub-unit ${unit.code} is in use or was issued before.`,
    );
  taken.add(newCode);
  return {
    kind: 'move-unit',
    unit: unit.code,
    from: unit.parentCode ?? '',
    to: to.code,
    newCode,
    oldAddress: unit.mailbox?.address ?? `${unit.code}@${state.domain}`,
    newAddress,
  };
}

function peopleIn(state: ReorgState, code: string): PersonState[] {
  return state.people.filter((p) => p.orgCode === code && p.state !== 'deleted');
}

/** Pure: the steps of an operation on a state, or an error (Vietnamese, English) saying why not. */
export function planReorganisation(state: ReorgState, op: ReorgOperation): ReorgStep[] {
  const steps: ReorgStep[] = [];
  const taken = new Set(state.orgs.map((o) => o.code));
  const closeInto = (o: OrgState, successor: OrgState | { code: string; address: string } | null) => {
    if (o.mailbox) {
      if (o.mailbox.state !== 'deleted') steps.push({ kind: 'close-mailbox', address: o.mailbox.address });
      const target = successor
        ? 'address' in successor
          ? successor.address
          : (successor.mailbox?.address ?? null)
        : null;
      for (const a of o.mailbox.addresses)
        steps.push(
          target ? { kind: 'alias-address', address: a, to: target } : { kind: 'retire-address', address: a },
        );
    }
    steps.push({ kind: 'dissolve-org', code: o.code, successor: successor?.code ?? null });
  };
  switch (op.op) {
    case 'merge': {
      if (op.sources.length === 0)
        bad(
          'no-sources',
          'Phải nêu ít nhất một cơ quan được sáp nhập.',
          'Name at least one agency to merge.',
        );
      let into: { code: string; abbrev: string; address: string };
      if (op.newAgency) {
        const code = agencyLocalPart(op.into);
        if (
          taken.has(code) ||
          RESERVED_LOCAL_PARTS.has(code) ||
          state.issued.includes(`${code}@${state.domain}`)
        )
          bad(
            'code-taken',
            `Mã "${code}" đã được dùng hoặc địa chỉ ${code}@${state.domain} đã từng được cấp.`,
            `The code "${code}" is in use or ${code}@${state.domain} was issued before.`,
          );
        const category = op.newAgency.category ?? 'other';
        if (!(AGENCY_CATEGORIES as readonly string[]).includes(category))
          bad(
            'bad-kind',
            `Loại cơ quan "${category}" không hợp lệ.`,
            `Agency kind "${category}" is not valid.`,
          );
        taken.add(code);
        steps.push({ kind: 'create-agency', code, name: op.newAgency.name, category });
        into = { code, abbrev: code, address: `${code}@${state.domain}` };
      } else {
        const t = requireAgency(state, op.into);
        if (!t.mailbox || t.mailbox.state !== 'active')
          bad(
            'no-mailbox',
            `Hộp thư của ${t.code} không hoạt động.`,
            `The mailbox of ${t.code} is not active.`,
          );
        into = { code: t.code, abbrev: t.abbrev, address: t.mailbox.address };
      }
      const seen = new Set<string>();
      for (const code of op.sources) {
        const s = requireAgency(state, code);
        if (s.code === into.code)
          bad(
            'into-self',
            `Không thể sáp nhập ${s.code} vào chính nó.`,
            `Cannot merge ${s.code} into itself.`,
          );
        if (seen.has(s.code)) bad('duplicate', `${s.code} được nêu hai lần.`, `${s.code} is named twice.`);
        seen.add(s.code);
        for (const u of state.orgs.filter((o) => o.parentCode === s.code && !o.dissolved))
          steps.push(planUnitMove(state, u, into, taken));
        for (const p of peopleIn(state, s.code))
          steps.push({ kind: 'move-account', address: p.address, from: s.code, to: into.code });
        closeInto(s, into);
      }
      return steps;
    }
    case 'rename': {
      const o = requireOrg(state, op.code);
      if (o.kind === 'province')
        bad('province', 'Không đổi tên cấp tỉnh ở đây.', 'The province is not renamed here.');
      const name = op.name.normalize('NFC').replace(/\s+/gu, ' ').trim();
      if (name === '' || name.length > 300)
        bad('bad-name', 'Tên mới không hợp lệ.', 'The new name is not valid.');
      steps.push({ kind: 'rename-org', code: o.code, from: o.name, to: name });
      if (op.newCode !== undefined) {
        const parent = o.kind === 'sub-unit' ? requireAgency(state, o.parentCode ?? '') : null;
        const newCode = parent ? subUnitLocalPart(op.newCode, parent.abbrev) : agencyLocalPart(op.newCode);
        if (newCode === o.code) return steps;
        const newAddress = `${newCode}@${state.domain}`;
        if (taken.has(newCode) || RESERVED_LOCAL_PARTS.has(newCode) || state.issued.includes(newAddress))
          bad(
            'code-taken',
            `Mã "${newCode}" đã được dùng hoặc địa chỉ ${newAddress} đã từng được cấp.`,
            `The code "${newCode}" is in use or ${newAddress} was issued before.`,
          );
        taken.add(newCode);
        steps.push({
          kind: 'readdress-org',
          code: o.code,
          newCode,
          oldAddress: o.mailbox?.address ?? `${o.code}@${state.domain}`,
          newAddress,
        });
        // Điều 6.1.b: the sub-units' addresses carry the agency's abbreviation.
        if (o.kind === 'agency')
          for (const u of state.orgs.filter((x) => x.parentCode === o.code && !x.dissolved))
            steps.push(planUnitMove(state, u, { code: newCode, abbrev: newCode }, taken));
      }
      return steps;
    }
    case 'move-unit': {
      const u = requireOrg(state, op.unit);
      if (u.kind !== 'sub-unit')
        bad('not-sub-unit', `"${u.code}" không phải là phòng, ban.`, `"${u.code}" is not a sub-unit.`);
      const to = requireAgency(state, op.to);
      if (u.parentCode === to.code)
        bad('same-parent', `${u.code} đã thuộc ${to.code}.`, `${u.code} already belongs to ${to.code}.`);
      steps.push(planUnitMove(state, u, to, taken));
      return steps;
    }
    case 'dissolve': {
      const o = requireOrg(state, op.code);
      if (o.kind === 'province')
        bad('province', 'Không giải thể cấp tỉnh.', 'The province cannot be dissolved.');
      const units = state.orgs.filter((x) => x.parentCode === o.code && !x.dissolved);
      const people = peopleIn(state, o.code);
      if ((units.length > 0 || people.length > 0) && !op.peopleTo)
        bad(
          'not-empty',
          `${o.code} còn ${people.length} người và ${units.length} phòng, ban: chuyển họ trước hoặc nêu nơi nhận (--people-to).`,
          `${o.code} still has ${people.length} people and ${units.length} sub-units: move them first or name where they go (--people-to).`,
        );
      if (op.peopleTo) {
        const to = requireOrg(state, op.peopleTo);
        if (to.code === o.code || to.parentCode === o.code)
          bad('into-self', `Nơi nhận không thể là ${to.code}.`, `${to.code} cannot receive them.`);
        if (units.length > 0) {
          if (to.kind !== 'agency')
            bad(
              'units-need-agency',
              'Phòng, ban chỉ chuyển sang một cơ quan, đơn vị.',
              'Sub-units can only move to an agency.',
            );
          for (const u of units) steps.push(planUnitMove(state, u, to, taken));
        }
        for (const p of people)
          steps.push({ kind: 'move-account', address: p.address, from: o.code, to: to.code });
      }
      let successor: OrgState | null = null;
      if (op.successor) {
        successor = requireOrg(state, op.successor);
        if (successor.code === o.code || successor.parentCode === o.code)
          bad(
            'into-self',
            `Không thể kế thừa bởi ${successor.code}.`,
            `${successor.code} cannot be the successor.`,
          );
        if (!successor.mailbox || successor.mailbox.state !== 'active')
          bad(
            'no-mailbox',
            `Hộp thư của ${successor.code} không hoạt động.`,
            `The mailbox of ${successor.code} is not active.`,
          );
      }
      closeInto(o, successor);
      return steps;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the state and applying the steps

export async function loadReorgState(tx: Pick<Tx, 'db'>, domain: string): Promise<ReorgState> {
  const orgs = await tx.db.selectFrom('organisations').selectAll().execute();
  const codeOf = new Map(orgs.map((o) => [o.id, o.code]));
  const accounts = await tx.db
    .selectFrom('accounts')
    .select(['id', 'kind', 'org_id', 'local_part', 'domain', 'state'])
    .execute();
  const addresses = await tx.db
    .selectFrom('addresses')
    .select(['local_part', 'domain', 'account_id', 'kind', 'state'])
    .execute();
  const active = new Map<string, string[]>();
  for (const a of addresses) {
    if (a.state !== 'active') continue;
    const list = active.get(a.account_id) ?? [];
    // The primary first, then the aliases.
    if (a.kind === 'primary') list.unshift(`${a.local_part}@${a.domain}`);
    else list.push(`${a.local_part}@${a.domain}`);
    active.set(a.account_id, list);
  }
  return {
    domain,
    orgs: orgs.map((o) => {
      const m = accounts.find((a) => a.org_id === o.id && a.kind !== 'personal');
      return {
        code: o.code,
        abbrev: o.abbrev,
        name: o.name,
        kind: o.kind,
        parentCode: o.parent_id ? (codeOf.get(o.parent_id) ?? null) : null,
        dissolved: o.dissolved_at !== null,
        mailbox: m
          ? {
              id: m.id,
              address: `${m.local_part}@${m.domain}`,
              state: m.state,
              addresses: active.get(m.id) ?? [],
            }
          : null,
      };
    }),
    people: accounts
      .filter((a) => a.kind === 'personal')
      .map((a) => ({
        id: a.id,
        address: `${a.local_part}@${a.domain}`,
        orgCode: codeOf.get(a.org_id) ?? '',
        state: a.state,
      })),
    issued: addresses.map((a) => `${a.local_part}@${a.domain}`),
  };
}

export interface ReorgResult {
  dryRun: boolean;
  /** The operation's id in the audit log (null for a dry run). */
  id: string | null;
  operation: ReorgOperation;
  steps: PlannedStep[];
}

function splitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

export class ReorganisationService {
  private readonly orgs: OrgService;
  private readonly admin: AccountAdminService;

  constructor(private readonly ctx: DirectoryContext) {
    this.orgs = new OrgService(ctx);
    this.admin = new AccountAdminService(ctx);
  }

  /** The plan, changing nothing. */
  async plan(caller: Caller, op: ReorgOperation): Promise<ReorgResult> {
    authorise(caller, 'org.reorganise', {});
    const state = await loadReorgState({ db: this.ctx.store.db }, this.ctx.settings.domain);
    return { dryRun: true, id: null, operation: op, steps: planned(planReorganisation(state, op)) };
  }

  /**
   * Plan and apply in one transaction: the plan is made again inside it, so what is applied is
   * what the state allows at that moment; any failing step rolls everything back.
   */
  async apply(caller: Caller, op: ReorgOperation, opts: { tx?: Tx } = {}): Promise<ReorgResult> {
    authorise(caller, 'org.reorganise', {});
    const basis = op.basis.normalize('NFC').trim();
    if (basis === '' || basis.length > 500)
      bad(
        'basis-required',
        'Phải nêu căn cứ (số, ngày của quyết định sáp nhập, giải thể…), tối đa 500 ký tự.',
        'State the basis (number and date of the decision), at most 500 characters.',
      );
    return inTransaction(this.ctx, opts, async (tx) => {
      const state = await loadReorgState(tx, this.ctx.settings.domain);
      const steps = planReorganisation(state, op);
      const now = this.ctx.clock.now();
      const id = uuidv7(now.getTime());
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'org.reorganise',
          targetType: 'reorganisation',
          targetId: id,
          reason: basis,
          details: { operation: op, steps: steps.length },
        },
        now,
      );
      for (const [i, step] of steps.entries()) {
        await this.applyStep(tx, caller, step, basis, now);
        await appendAudit(
          tx,
          caller.actor,
          {
            action: 'org.reorganise.step',
            targetType: 'reorganisation',
            targetId: id,
            reason: basis,
            details: { index: i + 1, ...step },
          },
          now,
        );
      }
      return { dryRun: false, id, operation: op, steps: planned(steps) };
    });
  }

  private async applyStep(tx: Tx, caller: Caller, s: ReorgStep, basis: string, now: Date): Promise<void> {
    const t = now.getTime();
    switch (s.kind) {
      case 'create-agency':
        await this.orgs.create(caller, { code: s.code, name: s.name, kind: s.category }, { tx });
        return;
      case 'rename-org': {
        const org = await findOrgByCode(tx.db, s.code);
        await tx.db
          .updateTable('organisations')
          .set({ name: s.to, updated_at: t })
          .where('id', '=', org.id)
          .execute();
        await tx.db
          .updateTable('accounts')
          .set({ display_name: s.to, updated_at: t })
          .where('org_id', '=', org.id)
          .where('kind', '<>', 'personal')
          .execute();
        return;
      }
      case 'readdress-org': {
        const org = await findOrgByCode(tx.db, s.code);
        await tx.db
          .updateTable('organisations')
          .set({
            code: s.newCode,
            abbrev: org.kind === 'sub-unit' ? s.newCode.split('.')[0]! : s.newCode,
            updated_at: t,
          })
          .where('id', '=', org.id)
          .execute();
        await this.readdressMailbox(tx, org.id, s.oldAddress, s.newAddress, now);
        return;
      }
      case 'move-unit': {
        const unit = await findOrgByCode(tx.db, s.unit);
        const to = await findOrgByCode(tx.db, s.to);
        await tx.db
          .updateTable('organisations')
          .set({ code: s.newCode, parent_id: to.id, updated_at: t })
          .where('id', '=', unit.id)
          .execute();
        const mailbox = await tx.db
          .selectFrom('accounts')
          .select('id')
          .where('org_id', '=', unit.id)
          .where('kind', '<>', 'personal')
          .executeTakeFirst();
        if (mailbox) {
          await this.readdressMailbox(tx, unit.id, s.oldAddress, s.newAddress, now);
          await revokeOutsideAgency(tx, caller.actor, mailbox.id, to.id, now);
        }
        // The unit's people change agency with it: their grants outside the new agency end.
        const people = await tx.db
          .selectFrom('accounts')
          .select('id')
          .where('org_id', '=', unit.id)
          .where('kind', '=', 'personal')
          .execute();
        for (const p of people) await revokeOnMove(tx, caller.actor, p.id, to.id, now);
        return;
      }
      case 'move-account':
        await this.admin.move(caller, s.address, s.to, basis, { tx });
        return;
      case 'close-mailbox': {
        const row = await tx.db
          .selectFrom('accounts')
          .select(['id', 'state'])
          .where((eb) => eb('local_part', '=', splitAddress(s.address).local))
          .where('domain', '=', splitAddress(s.address).domain)
          .executeTakeFirstOrThrow();
        if (row.state === 'active')
          await this.admin.suspend(caller, s.address, { reason: 'other', basis }, { tx });
        await revokeOnMailboxClosed(tx, caller.actor, row.id, now);
        return;
      }
      case 'alias-address': {
        const target = await tx.db
          .selectFrom('addresses')
          .select('account_id')
          .where('local_part', '=', splitAddress(s.to).local)
          .where('domain', '=', splitAddress(s.to).domain)
          .where('state', '=', 'active')
          .executeTakeFirstOrThrow();
        const a = splitAddress(s.address);
        await tx.db
          .updateTable('addresses')
          .set({ account_id: target.account_id, kind: 'alias' })
          .where('local_part', '=', a.local)
          .where('domain', '=', a.domain)
          .where('state', '=', 'active')
          .execute();
        return;
      }
      case 'retire-address': {
        const a = splitAddress(s.address);
        await tx.db
          .updateTable('addresses')
          .set({ state: 'retired', retired_at: t })
          .where('local_part', '=', a.local)
          .where('domain', '=', a.domain)
          .where('state', '=', 'active')
          .execute();
        return;
      }
      case 'dissolve-org':
        await tx.db
          .updateTable('organisations')
          .set({ dissolved_at: t, updated_at: t })
          .where('code', '=', s.code)
          .execute();
        return;
    }
  }
  /** The organisation's mailbox gets `newAddress` as its primary; the old one stays an alias of it. */
  private async readdressMailbox(tx: Tx, orgId: string, oldAddress: string, newAddress: string, now: Date) {
    const mailbox = await tx.db
      .selectFrom('accounts')
      .select('id')
      .where('org_id', '=', orgId)
      .where('kind', '<>', 'personal')
      .executeTakeFirst();
    if (!mailbox) return;
    const old = splitAddress(oldAddress);
    await tx.db
      .updateTable('addresses')
      .set({ kind: 'alias' })
      .where('local_part', '=', old.local)
      .where('domain', '=', old.domain)
      .where('account_id', '=', mailbox.id)
      .execute();
    const nu = splitAddress(newAddress);
    await issueExactAddress(tx, {
      local: nu.local,
      domain: nu.domain,
      accountId: mailbox.id,
      kind: 'primary',
      now,
    });
    await tx.db
      .updateTable('accounts')
      .set({ local_part: nu.local, updated_at: now.getTime() })
      .where('id', '=', mailbox.id)
      .execute();
  }
}

function planned(steps: ReorgStep[]): PlannedStep[] {
  return steps.map((step) => ({ step, ...describeStep(step) }));
}
