/**
 * First start: the province at the root of the organisation tree, the operator's agency
 * (Sở Khoa học và Công nghệ, Điều 4.1) and a first operator account with a one-time password.
 * Idempotent: a second run changes nothing and reveals nothing.
 */
import { appendAudit } from '../store/index.ts';
import { systemCaller, type Directory } from '../directory/index.ts';
import type { CalendarService } from '../governance/index.ts';

export interface InitOptions {
  operatorName?: string;
  operatorAgencyCode?: string;
  operatorAgencyName?: string;
}

export interface InitResult {
  /** Only on the run that created it: show once, never store or log. */
  firstOperator?: { address: string; oneTimePassword: string };
  operatorAgency: string;
}

export async function initialise(
  directory: Directory,
  calendar: CalendarService,
  options: InitOptions = {},
): Promise<InitResult> {
  await calendar.seed();
  const agencyCode = options.operatorAgencyCode ?? 'sokhcn';
  await directory.orgs.ensureProvince();
  const db = directory.ctx.store.db;
  const hasOperator = await db
    .selectFrom('accounts')
    .select('id')
    .where('role', '=', 'operator')
    .executeTakeFirst();
  if (hasOperator) return { operatorAgency: agencyCode };

  const agency = await db
    .selectFrom('organisations')
    .select('id')
    .where('code', '=', agencyCode)
    .executeTakeFirst();
  if (!agency)
    await directory.orgs.create(systemCaller, {
      code: agencyCode,
      name: options.operatorAgencyName ?? 'Sở Khoa học và Công nghệ',
      kind: 'department',
    });
  const created = await directory.accounts.createPersonal(systemCaller, {
    name: options.operatorName ?? 'Quản Trị Hệ Thống',
    orgCode: agencyCode,
    title: 'Quản trị hệ thống thư điện tử công vụ',
  });
  await directory.admin.setRole(systemCaller, created.account.address, 'operator');
  await directory.ctx.store.write(async (tx) =>
    appendAudit(
      tx,
      systemCaller.actor,
      { action: 'system.init', targetType: 'system', details: { operator: created.account.address } },
      directory.ctx.clock.now(),
    ),
  );
  return {
    operatorAgency: agencyCode,
    firstOperator: { address: created.account.address, oneTimePassword: created.oneTimePassword! },
  };
}
