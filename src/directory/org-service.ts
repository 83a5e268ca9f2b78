/**
 * Organisations as a tree (REQUIREMENTS "Mailboxes and addresses"): the province at the root,
 * agencies under it (departments, boards, People's Committees of communes, wards and the special
 * zone, other bodies), sub-units (phòng, ban) under an agency. Each agency and sub-unit has exactly
 * one mailbox, created in the same transaction: `<abbrev>@domain` (Điều 6.1.a) and
 * `<unit>.<agency>@domain` (Điều 6.1.b).
 */
import { uuidv7 } from '../util/ids.ts';
import { invalid } from '../util/errors.ts';
import { appendAudit } from '../store/index.ts';
import type { Tx } from '../store/index.ts';
import { agencyLocalPart, subUnitLocalPart } from './address.ts';
import { issueExactAddress } from './address-registry.ts';
import {
  accountView,
  agencyIdOf,
  authorise,
  findOrgByCode,
  inTransaction,
  newAccountRow,
  type AccountView,
  type Caller,
  type DirectoryContext,
  type OrgRow,
  type TxOption,
} from './context.ts';

export const AGENCY_CATEGORIES = [
  'provincial-committee', // UBND tỉnh, Văn phòng UBND tỉnh
  'department', // sở
  'board', // ban, ngành
  'commune', // UBND xã
  'ward', // UBND phường
  'special-zone', // UBND đặc khu
  'other',
] as const;
export type AgencyCategory = (typeof AGENCY_CATEGORIES)[number];

export const PROVINCE_CODE = 'province';

export interface OrgView {
  id: string;
  code: string;
  abbrev: string;
  name: string;
  kind: OrgRow['kind'];
  category: string | null;
  parentCode: string | null;
  mailbox: string | null;
  createdAt: string;
}

function cleanName(name: string): string {
  const n = name.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (n === '' || n.length > 300 || /\p{Cc}/u.test(n))
    throw invalid(
      'org.bad-name',
      'Tên cơ quan, đơn vị không được để trống, không quá 300 ký tự và không chứa ký tự điều khiển.',
      'An organisation name must be 1 to 300 characters without control characters.',
    );
  return n;
}

function parseCategory(kind: string | undefined): AgencyCategory {
  if (kind === undefined) return 'other';
  if ((AGENCY_CATEGORIES as readonly string[]).includes(kind)) return kind as AgencyCategory;
  throw invalid(
    'org.bad-kind',
    `Loại cơ quan "${kind}" không hợp lệ; chọn một trong: ${AGENCY_CATEGORIES.join(', ')}, sub-unit.`,
    `Organisation kind "${kind}" is not valid; use one of: ${AGENCY_CATEGORIES.join(', ')}, sub-unit.`,
  );
}

export class OrgService {
  constructor(private readonly ctx: DirectoryContext) {}

  /** The root of the tree; created once by `init`. */
  async ensureProvince(name = 'Tỉnh Quảng Trị'): Promise<OrgRow> {
    const { store, clock } = this.ctx;
    return store.write(async (tx) => {
      const existing = await tx.db
        .selectFrom('organisations')
        .selectAll()
        .where('kind', '=', 'province')
        .executeTakeFirst();
      if (existing) return existing;
      const now = clock.now().getTime();
      const row: OrgRow = {
        id: uuidv7(now),
        code: PROVINCE_CODE,
        abbrev: PROVINCE_CODE,
        name,
        kind: 'province',
        category: null,
        parent_id: null,
        created_at: now,
        updated_at: now,
        dissolved_at: null,
      };
      await tx.db.insertInto('organisations').values(row).execute();
      return row;
    });
  }

  async create(
    caller: Caller,
    input: { code: string; name: string; parentCode?: string; kind?: string },
    opts: TxOption = {},
  ): Promise<{ org: OrgView; mailbox: AccountView }> {
    const { ctx } = this;
    authorise(caller, 'org.create', {});
    const name = cleanName(input.name);
    const subUnit =
      input.kind === 'sub-unit' || (input.parentCode !== undefined && input.parentCode !== PROVINCE_CODE);
    const category = subUnit ? null : parseCategory(input.kind);
    return inTransaction(ctx, opts, async (tx) => {
      const now = ctx.clock.now();
      const province = await tx.db
        .selectFrom('organisations')
        .selectAll()
        .where('kind', '=', 'province')
        .executeTakeFirst();
      if (!province)
        throw invalid(
          'org.no-province',
          'Chưa khởi tạo hệ thống: chạy "congthu init".',
          'Not initialised: run "congthu init".',
        );
      let parent: OrgRow = province;
      let abbrev: string;
      let code: string;
      if (subUnit) {
        if (input.parentCode === undefined)
          throw invalid(
            'org.parent-required',
            'Phòng, ban trực thuộc phải có cơ quan chủ quản (--parent).',
            'A sub-unit needs its parent agency (--parent).',
          );
        parent = await findOrgByCode(tx.db, input.parentCode);
        if (parent.kind !== 'agency')
          throw invalid(
            'org.bad-parent',
            `"${parent.code}" không phải là cơ quan, đơn vị; phòng, ban chỉ đặt trực thuộc một cơ quan, đơn vị (Điều 6.1.b).`,
            `"${parent.code}" is not an agency; sub-units sit directly under an agency.`,
          );
        code = subUnitLocalPart(input.code, parent.abbrev);
        abbrev = code.split('.')[0]!;
      } else {
        abbrev = agencyLocalPart(input.code);
        code = abbrev;
      }
      const orgId = uuidv7(now.getTime());
      const accountId = uuidv7(now.getTime());
      const org: OrgRow = {
        id: orgId,
        code,
        abbrev,
        name,
        kind: subUnit ? 'sub-unit' : 'agency',
        category,
        parent_id: parent.id,
        created_at: now.getTime(),
        updated_at: now.getTime(),
        dissolved_at: null,
      };
      // The address first: it is the check that the code is free in the one namespace.
      await tx.db
        .insertInto('organisations')
        .values(org)
        .execute()
        .catch((e: unknown) => {
          throw codeTakenOr(e, code);
        });
      await this.insertOrgMailbox(tx, org, accountId, now);
      await issueExactAddress(tx, {
        local: code,
        domain: ctx.settings.domain,
        accountId,
        kind: 'primary',
        now,
      });
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'org.create',
          targetType: 'organisation',
          targetId: orgId,
          details: {
            code,
            name,
            kind: org.kind,
            category,
            parent: parent.code,
            mailbox: `${code}@${ctx.settings.domain}`,
          },
        },
        now,
      );
      const account = await tx.db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      return { org: await this.view(tx, org), mailbox: await accountView(tx.db, ctx.settings, account) };
    });
  }

  private async insertOrgMailbox(tx: Tx, org: OrgRow, accountId: string, now: Date): Promise<void> {
    await tx.db
      .insertInto('accounts')
      .values(
        newAccountRow({
          id: accountId,
          kind: org.kind === 'sub-unit' ? 'sub-unit' : 'agency',
          orgId: org.id,
          personId: null,
          displayName: org.name,
          title: null,
          localPart: org.code,
          domain: this.ctx.settings.domain,
          now,
        }),
      )
      .execute();
  }

  async rename(caller: Caller, code: string, newName: string): Promise<OrgView> {
    const { ctx } = this;
    const name = cleanName(newName);
    return ctx.store.write(async (tx) => {
      const org = await findOrgByCode(tx.db, code);
      authorise(caller, 'org.update', { agencyId: agencyIdOf(org) });
      const now = ctx.clock.now();
      await tx.db
        .updateTable('organisations')
        .set({ name, updated_at: now.getTime() })
        .where('id', '=', org.id)
        .execute();
      // The mailbox's display name follows the organisation's name; the address does not change.
      await tx.db
        .updateTable('accounts')
        .set({ display_name: name, updated_at: now.getTime() })
        .where('org_id', '=', org.id)
        .where('kind', '<>', 'personal')
        .execute();
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'org.rename',
          targetType: 'organisation',
          targetId: org.id,
          details: { from: org.name, to: name },
        },
        now,
      );
      return this.view(tx, { ...org, name });
    });
  }

  async show(caller: Caller, code: string): Promise<OrgView & { children: OrgView[] }> {
    const db = this.ctx.store.db;
    const org = await findOrgByCode(db, code);
    authorise(caller, 'org.read', { agencyId: agencyIdOf(org) });
    const children = await db
      .selectFrom('organisations')
      .selectAll()
      .where('parent_id', '=', org.id)
      .orderBy('code')
      .execute();
    return {
      ...(await this.view({ db }, org)),
      children: await Promise.all(children.map((c) => this.view({ db }, c))),
    };
  }

  /** Every organisation the caller may see, parents before children. */
  async list(caller: Caller, filter: { parentCode?: string } = {}): Promise<OrgView[]> {
    const db = this.ctx.store.db;
    let q = db.selectFrom('organisations').selectAll().where('kind', '<>', 'province');
    if (filter.parentCode) q = q.where('parent_id', '=', (await findOrgByCode(db, filter.parentCode)).id);
    const rows = await q.orderBy('code').execute();
    const visible = rows.filter((o) => {
      try {
        authorise(caller, 'org.read', { agencyId: agencyIdOf(o) });
        return true;
      } catch {
        return false;
      }
    });
    return Promise.all(visible.map((o) => this.view({ db }, o)));
  }

  private async view(tx: Pick<Tx, 'db'>, org: OrgRow): Promise<OrgView> {
    const parent = org.parent_id
      ? await tx.db
          .selectFrom('organisations')
          .select('code')
          .where('id', '=', org.parent_id)
          .executeTakeFirst()
      : undefined;
    const mailbox = await tx.db
      .selectFrom('accounts')
      .select(['local_part', 'domain'])
      .where('org_id', '=', org.id)
      .where('kind', '<>', 'personal')
      .executeTakeFirst();
    return {
      id: org.id,
      code: org.code,
      abbrev: org.abbrev,
      name: org.name,
      kind: org.kind,
      category: org.category,
      parentCode: parent?.code ?? null,
      mailbox: mailbox ? `${mailbox.local_part}@${mailbox.domain}` : null,
      createdAt: new Date(Number(org.created_at)).toISOString(),
    };
  }
}

function codeTakenOr(e: unknown, code: string): unknown {
  const c = (e as { code?: string }).code;
  if (c === '23505' || c === 'SQLITE_CONSTRAINT_UNIQUE')
    return invalid(
      'org.code-taken',
      `Mã "${code}" đã được dùng cho một cơ quan, đơn vị khác.`,
      `The code "${code}" is already used by another organisation.`,
    );
  return e;
}
