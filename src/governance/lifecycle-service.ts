/**
 * The daily lifecycle job (Điều 5.1, 7.3, 8.2.a): `run({ now, dryRun })` applies the rules of
 * lifecycle-plan.ts to every mailbox and returns what it did (or, dry, what it would do), each
 * action with the address, the action, its legal basis and the time.
 *
 * Idempotent and resumable: each action is first claimed (a row in lifecycle_actions, unique per
 * account, kind and cycle), then applied (suspension or deletion through the directory, which
 * audits it), then its notice is registered and delivered (notices.ts), then the row is marked
 * done. A second run the same day finds the rows and does nothing; a run after a crash first
 * finishes every claimed row that is not done, each step checking what was already done. A lease
 * in `meta` keeps two processes (the server and the CLI) from running at once.
 */
import type { Clock } from '../util/clock.ts';
import { MINUTE_MS } from '../util/clock.ts';
import { conflict, invalid } from '../util/errors.ts';
import { uuidv7 } from '../util/ids.ts';
import { isUniqueViolation, type DataStore } from '../store/index.ts';
import { authorise, type Caller, type Directory } from '../directory/index.ts';
import { addDays } from './calendar/index.ts';
import { vnDate, type ExemptSpan } from './lifecycle-dates.ts';
import { planFor, type PlanAccount, type TakenAction } from './lifecycle-plan.ts';
import { LEGAL_BASIS, noticeText, type LifecycleKind, type NoticeFacts } from './lifecycle-texts.ts';
import type { NoticeService } from './notices.ts';

export interface LifecycleAction {
  address: string;
  action: LifecycleKind;
  legalBasis: string;
  at: string;
  notice?: string;
}

export interface LifecycleReport {
  now: string;
  dryRun: boolean;
  actions: LifecycleAction[];
}

export interface LifecycleDeps {
  store: DataStore;
  directory: Directory;
  notices: NoticeService;
  clock: Clock;
  passwordMaxAgeDays: number;
  /** Tests: called between the steps of an action, to simulate a crash there. */
  onStep?: (step: 'claimed' | 'applied' | 'registered', kind: string, address: string) => void;
}

const LEASE_KEY = 'lifecycle.lease';
const LEASE_MS = 30 * MINUTE_MS;

interface Row extends PlanAccount {
  agencyId: string | null;
  role: string;
}

interface Context {
  accounts: Map<string, Row>;
  agencyMailbox: Map<string, string>;
  operators: string[];
}

export class LifecycleService {
  constructor(private readonly deps: LifecycleDeps) {}

  async run(caller: Caller, input: { now?: Date; dryRun?: boolean } = {}): Promise<LifecycleReport> {
    authorise(caller, 'lifecycle.run', {});
    const real = this.deps.clock.now();
    const now = input.now ?? real;
    const dryRun = input.dryRun === true;
    if (!Number.isFinite(now.getTime()))
      throw invalid('lifecycle.bad-now', 'Thời điểm không hợp lệ.', 'Invalid time.');
    if (!dryRun && now.getTime() > real.getTime() + MINUTE_MS)
      throw invalid(
        'lifecycle.future-now',
        'Chỉ được chạy thử (--dry-run) với một thời điểm trong tương lai.',
        'A time in the future is allowed only with a dry run (--dry-run).',
      );
    if (dryRun) return { now: now.toISOString(), dryRun, actions: await this.pass(caller, now, true) };
    await this.takeLease(real);
    try {
      const resumed = await this.resume(caller, now);
      const actions = await this.pass(caller, now, false);
      return { now: now.toISOString(), dryRun, actions: [...resumed, ...actions] };
    } finally {
      await this.deps.store.write(async (tx) => {
        await tx.db.deleteFrom('meta').where('key', '=', LEASE_KEY).execute();
      });
    }
  }

  private async takeLease(now: Date): Promise<void> {
    await this.deps.store.write(async (tx) => {
      await tx.lock(LEASE_KEY);
      const held = await tx.db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', LEASE_KEY)
        .executeTakeFirst();
      if (held && Number(held.value) > now.getTime())
        throw conflict(
          'lifecycle.running',
          'Tác vụ vòng đời hộp thư đang chạy ở tiến trình khác; thử lại sau.',
          'The lifecycle job is running in another process; try again later.',
        );
      await tx.db.deleteFrom('meta').where('key', '=', LEASE_KEY).execute();
      await tx.db
        .insertInto('meta')
        .values({ key: LEASE_KEY, value: String(now.getTime() + LEASE_MS) })
        .execute();
    });
  }

  private async context(): Promise<Context> {
    const db = this.deps.store.db;
    const orgs = await db.selectFrom('organisations').select(['id', 'kind', 'parent_id']).execute();
    const agencyOf = new Map(
      orgs.map((o) => [o.id, o.kind === 'agency' ? o.id : o.kind === 'sub-unit' ? o.parent_id : null]),
    );
    const rows = await db
      .selectFrom('accounts')
      .selectAll()
      .where('state', '<>', 'deleted')
      .orderBy('local_part')
      .execute();
    const accounts = new Map<string, Row>();
    const agencyMailbox = new Map<string, string>();
    const operators: string[] = [];
    for (const r of rows) {
      accounts.set(r.id, {
        id: r.id,
        kind: r.kind,
        address: `${r.local_part}@${r.domain}`,
        state: r.state,
        stateReason: r.state_reason,
        lastAccessAt: r.last_access_at === null ? null : Number(r.last_access_at),
        createdAt: Number(r.created_at),
        passwordChangedAt: r.password_changed_at === null ? null : Number(r.password_changed_at),
        passwordMustChange: r.password_must_change === 1,
        agencyId: agencyOf.get(r.org_id) ?? null,
        role: r.role,
      });
      if (r.kind === 'agency') agencyMailbox.set(r.org_id, r.id);
      if (r.role === 'operator' && r.state === 'active') operators.push(r.id);
    }
    return { accounts, agencyMailbox, operators };
  }

  private recipients(ctx: Context, a: Row, kind: LifecycleKind): string[] {
    const agency = a.agencyId ? ctx.agencyMailbox.get(a.agencyId) : undefined;
    const list: Array<string | undefined> =
      kind === 'warn-inactive'
        ? [a.id, agency, ...(a.kind === 'personal' ? [] : ctx.operators)]
        : kind === 'suspend-inactive'
          ? [a.id, agency]
          : kind.startsWith('password-reminder')
            ? [a.id]
            : [agency, ...ctx.operators];
    return [...new Set(list.filter((x): x is string => x !== undefined))];
  }

  private async pass(caller: Caller, now: Date, dryRun: boolean): Promise<LifecycleAction[]> {
    const db = this.deps.store.db;
    const ctx = await this.context();
    const spans = new Map<string, ExemptSpan[]>();
    for (const e of await db.selectFrom('lifecycle_exemptions').selectAll().execute()) {
      const list = spans.get(e.account_id) ?? [];
      list.push({ from: e.from_date, until: e.until_date });
      spans.set(e.account_id, list);
    }
    const taken = new Map<string, TakenAction[]>();
    const keys = new Set<string>();
    const rows = await db
      .selectFrom('lifecycle_actions')
      .leftJoin('notices', 'notices.id', 'lifecycle_actions.notice_id')
      .select([
        'lifecycle_actions.account_id',
        'lifecycle_actions.kind',
        'lifecycle_actions.cycle_key',
        'lifecycle_actions.done_at',
        'notices.created_at as notice_at',
        'notices.number as notice_number',
      ])
      .execute();
    for (const r of rows) {
      const list = taken.get(r.account_id) ?? [];
      list.push({
        kind: r.kind,
        cycleKey: Number(r.cycle_key),
        done: r.done_at !== null,
        noticeAt: r.notice_at === null ? null : Number(r.notice_at),
        noticeNumber: r.notice_number,
      });
      taken.set(r.account_id, list);
      keys.add(`${r.account_id} ${r.kind} ${Number(r.cycle_key)}`);
    }
    const today = vnDate(now);
    const out: LifecycleAction[] = [];
    for (const a of ctx.accounts.values()) {
      const plan = planFor(
        a,
        today,
        spans.get(a.id) ?? [],
        taken.get(a.id) ?? [],
        this.deps.passwordMaxAgeDays,
      );
      for (const p of plan) {
        if (keys.has(`${a.id} ${p.kind} ${p.cycleKey}`)) continue;
        if (dryRun) {
          out.push({
            address: a.address,
            action: p.kind,
            legalBasis: LEGAL_BASIS[p.kind],
            at: now.toISOString(),
          });
          continue;
        }
        const id = uuidv7(now.getTime());
        try {
          await this.deps.store.write(async (tx) => {
            await tx.db
              .insertInto('lifecycle_actions')
              .values({
                id,
                account_id: a.id,
                kind: p.kind,
                cycle_key: p.cycleKey,
                due_at: p.dueAt,
                claimed_at: now.getTime(),
                done_at: null,
                notice_id: null,
              })
              .execute();
          });
        } catch (e) {
          if (isUniqueViolation(e)) continue; // another run took it
          throw e;
        }
        out.push(await this.complete(caller, ctx, a, { id, kind: p.kind, facts: p.facts }, now));
      }
    }
    return out;
  }

  /** Finishes actions a crashed run claimed but did not complete. */
  private async resume(caller: Caller, now: Date): Promise<LifecycleAction[]> {
    const open = await this.deps.store.db
      .selectFrom('lifecycle_actions')
      .selectAll()
      .where('done_at', 'is', null)
      .execute();
    if (open.length === 0) return [];
    const ctx = await this.context();
    const out: LifecycleAction[] = [];
    for (const r of open) {
      const a = ctx.accounts.get(r.account_id) ?? (await this.deletedRow(ctx, r.account_id));
      const kind = r.kind as LifecycleKind;
      const since = vnDate(Number(r.cycle_key));
      const claimed = vnDate(Number(r.claimed_at));
      const facts: NoticeFacts = { address: a.address, since };
      if (kind === 'warn-inactive') facts.on = addDays(vnDate(Number(r.due_at)), 14);
      else if (kind === 'notice-deletion') facts.on = addDays(claimed, 4);
      else if (kind.startsWith('password-reminder'))
        facts.on = addDays(vnDate(Number(r.due_at)), Number(kind.slice('password-reminder-'.length)));
      else if (kind === 'delete-inactive') {
        const n = await this.deps.store.db
          .selectFrom('lifecycle_actions')
          .innerJoin('notices', 'notices.id', 'lifecycle_actions.notice_id')
          .select('notices.number')
          .where('lifecycle_actions.account_id', '=', a.id)
          .where('lifecycle_actions.kind', '=', 'notice-deletion')
          .where('lifecycle_actions.cycle_key', '=', Number(r.cycle_key))
          .executeTakeFirst();
        if (n) facts.noticeNumber = n.number;
      }
      out.push(await this.complete(caller, ctx, a, { id: r.id, kind, facts }, now));
    }
    return out;
  }

  private async deletedRow(ctx: Context, id: string): Promise<Row> {
    const r = await this.deps.store.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const org = await this.deps.store.db
      .selectFrom('organisations')
      .select(['id', 'kind', 'parent_id'])
      .where('id', '=', r.org_id)
      .executeTakeFirstOrThrow();
    const row: Row = {
      id: r.id,
      kind: r.kind,
      address: `${r.local_part}@${r.domain}`,
      state: r.state,
      stateReason: r.state_reason,
      lastAccessAt: r.last_access_at,
      createdAt: Number(r.created_at),
      passwordChangedAt: r.password_changed_at,
      passwordMustChange: r.password_must_change === 1,
      agencyId: org.kind === 'agency' ? org.id : org.kind === 'sub-unit' ? org.parent_id : null,
      role: r.role,
    };
    ctx.accounts.set(id, row);
    return row;
  }

  /** Applies one claimed action, each step safe to repeat, and marks it done. */
  private async complete(
    caller: Caller,
    ctx: Context,
    a: Row,
    act: { id: string; kind: LifecycleKind; facts: NoticeFacts },
    now: Date,
  ): Promise<LifecycleAction> {
    const { directory, store, notices, onStep } = this.deps;
    onStep?.('claimed', act.kind, a.address);
    const state = await store.db
      .selectFrom('accounts')
      .select('state')
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    if (act.kind === 'suspend-inactive' && state.state === 'active')
      await directory.admin.suspend(caller, a.address, {
        reason: 'inactivity',
        basis: `Điều 8.2.a: không truy cập từ ${act.facts.since} / no access since ${act.facts.since}`,
      });
    if (act.kind === 'delete-inactive' && state.state !== 'deleted')
      await directory.admin.delete(caller, a.address, {
        reason: 'inactivity',
        basis: `Điều 7.3: thông báo số ${act.facts.noticeNumber ?? '?'} / notice ${act.facts.noticeNumber ?? '?'}`,
      });
    onStep?.('applied', act.kind, a.address);
    const text = noticeText(act.kind, act.facts);
    const notice = await store.write(async (tx) => {
      const n = await notices.register(tx, {
        id: act.id,
        kind: act.kind,
        accountId: a.id,
        recipients: this.recipients(ctx, a, act.kind),
        text,
        actor: caller.actor,
        at: now,
      });
      await tx.db
        .updateTable('lifecycle_actions')
        .set({ notice_id: n.id })
        .where('id', '=', act.id)
        .execute();
      return n;
    });
    onStep?.('registered', act.kind, a.address);
    await notices.deliver(notice, text);
    await store.write(async (tx) => {
      await tx.db
        .updateTable('lifecycle_actions')
        .set({ done_at: now.getTime() })
        .where('id', '=', act.id)
        .execute();
    });
    return {
      address: a.address,
      action: act.kind,
      legalBasis: LEGAL_BASIS[act.kind],
      at: now.toISOString(),
      notice: notice.number,
    };
  }
}
