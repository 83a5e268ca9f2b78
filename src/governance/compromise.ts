/**
 * A mailbox that may be compromised (Điều 5.1: the user "thông báo ngay" a leak; Điều 8.2.b: a
 * mailbox taken over or whose password leaked is suspended):
 *
 * - `report(caller, address | null)`: the holder (address null: itself), the operator, or the
 *   agency administrator for its own agency reports it. The mailbox is suspended at once (reason
 *   'compromised'; the directory ends every web and API session in the same transaction), and a
 *   numbered notice alerts the operators and the agency mailbox. Audited (the suspension names
 *   the reporter; the notice is in the register).
 * - `restoreAfterCompromise(caller, address)`: the operator restores it with a NEW default
 *   password (Điều 9.2.a: to be changed at the first sign-in), never the leaked one. The password
 *   is set first, then the state restored: if the second step fails, the mailbox stays suspended
 *   with a fresh password, never active with the leaked one. Item 2's restore requests call this.
 */
import { conflict } from '../util/errors.ts';
import { uuidv7 } from '../util/ids.ts';
import type { DataStore } from '../store/index.ts';
import {
  authorise,
  systemCaller,
  type AccountView,
  type Caller,
  type Directory,
} from '../directory/index.ts';
import { agencyIdOf, findOrgById, requireAccount } from '../directory/context.ts';
import { LEGAL_BASIS, noticeText } from './lifecycle-texts.ts';
import type { NoticeService } from './notices.ts';

export interface CompromiseReport {
  address: string;
  state: 'suspended';
  legalBasis: string;
  notice: string;
}

export class CompromiseService {
  constructor(
    private readonly store: DataStore,
    private readonly directory: Directory,
    private readonly notices: NoticeService,
  ) {}

  async report(caller: Caller, address: string | null): Promise<CompromiseReport> {
    const db = this.store.db;
    const settings = this.directory.ctx.settings;
    const account =
      address === null
        ? await db
            .selectFrom('accounts')
            .selectAll()
            .where('id', '=', caller.principal.accountId)
            .executeTakeFirstOrThrow()
        : await requireAccount(db, settings, address);
    const org = await findOrgById(db, account.org_id);
    const agencyId = agencyIdOf(org);
    authorise(caller, 'account.report-compromised', { agencyId, accountId: account.id });
    const addr = `${account.local_part}@${account.domain}`;
    // Authorised above for this report; the directory's own check is the operator's 'account.state'.
    await this.directory.admin.suspend({ principal: systemCaller.principal, actor: caller.actor }, addr, {
      reason: 'compromised',
      basis: `Điều 8.2.b: báo bởi ${caller.actor.label ?? caller.actor.id} / reported by ${caller.actor.label ?? caller.actor.id}`,
    });
    const recipients = await db
      .selectFrom('accounts')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('role', '=', 'operator'), eb('state', '=', 'active')]),
          ...(agencyId ? [eb.and([eb('kind', '=', 'agency'), eb('org_id', '=', agencyId)])] : []),
        ]),
      )
      .where('id', '<>', account.id)
      .execute();
    const text = noticeText('compromised', {
      address: addr,
      since: '',
      reportedBy: caller.actor.label ?? caller.actor.id,
    });
    const now = this.directory.ctx.clock.now();
    const notice = await this.store.write((tx) =>
      this.notices.register(tx, {
        id: uuidv7(now.getTime()),
        kind: 'compromised',
        accountId: account.id,
        recipients: recipients.map((r) => r.id),
        text,
        actor: caller.actor,
        at: now,
      }),
    );
    await this.notices.deliver(notice, text);
    return { address: addr, state: 'suspended', legalBasis: LEGAL_BASIS.compromised, notice: notice.number };
  }

  async restoreAfterCompromise(
    caller: Caller,
    address: string,
    input: { basis?: string } = {},
  ): Promise<{ account: AccountView; oneTimePassword: string }> {
    const account = await requireAccount(this.store.db, this.directory.ctx.settings, address);
    authorise(caller, 'account.state', {
      agencyId: agencyIdOf(await findOrgById(this.store.db, account.org_id)),
      accountId: account.id,
    });
    if (account.state !== 'suspended' || account.state_reason !== 'compromised')
      throw conflict(
        'account.not-compromised',
        'Hộp thư không ở trạng thái tạm khóa do bị lộ mật khẩu.',
        'The mailbox is not suspended as compromised.',
      );
    const addr = `${account.local_part}@${account.domain}`;
    const pw = await this.directory.credentials.setPassword(caller, addr, {
      reason: 'Điều 8.2.b, 8.3: khôi phục sau khi bị lộ mật khẩu / restore after compromise',
    });
    const restored = await this.directory.admin.restore(caller, addr, {
      basis: input.basis ?? 'Điều 8.3',
    });
    return { account: restored, oneTimePassword: pw.oneTimePassword! };
  }
}
