/**
 * The checks a request passes when it is filed (before anything is stored): the agency may ask
 * only about its own mailboxes and organisations, the fields give a valid address (Điều 6), a
 * restore is for a suspended mailbox, a deletion's reason fits the kind of mailbox, and one
 * mailbox has at most one open request at a time.
 */
import { conflict, forbidden, invalid, notFound } from '../../util/errors.ts';
import type { Db } from '../../store/index.ts';
import {
  agencyLocalPart,
  personalLocalPart,
  resolveAccount,
  subUnitLocalPart,
  type DirectorySettings,
} from '../../directory/index.ts';
import { agencyIdOf, findOrgByCode, findOrgById } from '../../directory/context.ts';
import type { RequestDetails } from './kinds.ts';

/** The checks a request must pass when filed; returns the mailbox it is about, if any. */
export async function checkFiling(
  db: Db,
  settings: DirectorySettings,
  r: RequestDetails,
  agency: { id: string; code: string; abbrev: string } | null,
): Promise<{ id: string; address: string } | null> {
  switch (r.kind) {
    case 'create-personal': {
      personalLocalPart(r.details.name); // Điều 6.2.a: a name that gives no address is refused now
      const org = await findOrgByCode(db, r.details.org ?? agency!.code);
      if (agencyIdOf(org) !== agency!.id)
        throw forbidden(
          'request.other-agency',
          `Đơn vị "${org.code}" không thuộc cơ quan ${agency!.code}; chỉ được đề nghị cho cơ quan mình.`,
          `"${org.code}" is not part of ${agency!.code}; an agency files requests for itself only.`,
        );
      if (r.details.personId) {
        const holder = await db
          .selectFrom('accounts')
          .select(['local_part', 'domain'])
          .where('person_id', '=', r.details.personId)
          .executeTakeFirst();
        if (holder)
          throw conflict(
            'account.person-has-mailbox',
            `Người có mã định danh ${r.details.personId} đã có hộp thư ${holder.local_part}@${holder.domain}; mỗi cá nhân chỉ được cấp một hộp thư (Điều 3.2). Khi chuyển công tác, hãy đề nghị thay đổi (change --transfer-to).`,
            `The person ${r.details.personId} already has the mailbox ${holder.local_part}@${holder.domain} (Article 3.2). For a transfer, file a change request instead.`,
          );
      }
      return null;
    }
    case 'create-sub-unit': {
      const code = subUnitLocalPart(r.details.code, agency!.abbrev);
      await assertCodeFree(db, settings.domain, code);
      return null;
    }
    case 'create-agency': {
      await assertCodeFree(db, settings.domain, agencyLocalPart(r.details.code));
      const contact = await resolveAccount(db, settings, r.details.contact);
      if (!contact || contact.state === 'deleted')
        throw invalid(
          'request.bad-contact',
          `Không tìm thấy hộp thư liên hệ "${r.details.contact}" để nhận văn bản trả lời và đường dẫn kích hoạt.`,
          `No contact mailbox "${r.details.contact}" to receive the reply and the activation link.`,
        );
      return null;
    }
    case 'change':
    case 'delete':
    case 'restore': {
      const account = await resolveAccount(db, settings, r.details.address);
      if (!account || account.state === 'deleted')
        throw notFound(
          'account.not-found',
          `Không tìm thấy hộp thư "${r.details.address}".`,
          `No mailbox "${r.details.address}".`,
        );
      const address = `${account.local_part}@${account.domain}`;
      if (agencyIdOf(await findOrgById(db, account.org_id)) !== agency!.id)
        throw forbidden(
          'request.other-agency',
          `Hộp thư ${address} không thuộc cơ quan ${agency!.code}; chỉ được đề nghị cho hộp thư của cơ quan mình.`,
          `The mailbox ${address} does not belong to ${agency!.code}; an agency files requests for its own mailboxes only.`,
        );
      if (r.kind === 'restore' && account.state !== 'suspended')
        throw conflict(
          'request.not-suspended',
          `Hộp thư ${address} không bị tạm khóa; không cần khôi phục.`,
          `The mailbox ${address} is not suspended; there is nothing to restore.`,
        );
      if (r.kind === 'delete') {
        const orgMailbox = account.kind !== 'personal';
        if ((r.details.reason === 'dissolution') !== orgMailbox)
          throw invalid(
            'request.bad-delete-reason',
            orgMailbox
              ? 'Hộp thư cơ quan, đơn vị chỉ bị xóa khi giải thể, sáp nhập (dissolution).'
              : 'Hộp thư cá nhân bị xóa khi nghỉ hưu, nghỉ việc hoặc chuyển công tác ra ngoài (retirement, resignation, transfer-out).',
            orgMailbox
              ? 'An agency or sub-unit mailbox is deleted only on dissolution.'
              : 'A personal mailbox is deleted on retirement, resignation or transfer out.',
          );
      }
      if (r.kind === 'change' && r.details.transferTo) {
        const to = await findOrgByCode(db, r.details.transferTo);
        if (to.kind === 'province' || account.kind !== 'personal')
          throw invalid(
            'request.bad-transfer',
            'Chỉ hộp thư cá nhân được chuyển, và chỉ sang một cơ quan, đơn vị hoặc phòng, ban.',
            'Only a personal mailbox is transferred, and only to an agency or a sub-unit.',
          );
      }
      return { id: account.id, address };
    }
  }
}

export async function assertCodeFree(db: Db, domain: string, code: string): Promise<void> {
  const taken = await db
    .selectFrom('addresses')
    .select('account_id')
    .where('local_part', '=', code)
    .where('domain', '=', domain)
    .executeTakeFirst();
  const org = await db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirst();
  if (taken || org)
    throw conflict(
      'request.code-taken',
      `Địa chỉ ${code}@${domain} đã được cấp (kể cả đã xóa, không cấp lại).`,
      `The address ${code}@${domain} has been issued already (never re-issued).`,
    );
}

export async function assertNoOpenRequest(db: Db, accountId: string): Promise<void> {
  const open = await db
    .selectFrom('requests')
    .select('ref')
    .where('target_account_id', '=', accountId)
    .where('state', 'in', ['filed', 'in-review'])
    .executeTakeFirst();
  if (open)
    throw conflict(
      'request.open-exists',
      `Hộp thư này đang có đề nghị ${open.ref} chưa giải quyết; hãy chờ kết quả hoặc rút đề nghị đó.`,
      `This mailbox has request ${open.ref} still open; wait for it or withdraw it.`,
      { ref: open.ref },
    );
}
