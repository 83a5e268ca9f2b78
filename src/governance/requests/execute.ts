/**
 * What an approval does (Điều 7.2.b "xử lý", 8.3.b "thực hiện khôi phục"), inside the decision's
 * transaction: the directory's own operations (each with its checks and audit event) are called
 * with that transaction, so the change, the decision and the numbered reply commit together or
 * not at all. Returns the lines the letter reports and the mailbox that needs an activation link.
 */
import type { Bilingual } from '../../util/errors.ts';
import type { Tx } from '../../store/index.ts';
import type { Caller, Directory } from '../../directory/index.ts';
import { findOrgById, requireAccount } from '../../directory/context.ts';
import { DELETE_REASON_TEXT, type RequestDetails } from './kinds.ts';

export interface Execution {
  done: Bilingual[];
  result: Record<string, unknown>;
  /** A mailbox without a password that needs an activation link (new, or restored after a compromise). */
  activate?: { accountId: string; address: string };
}

const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(1).replace(/\.0$/, '')} GB`;

export async function executeApproval(
  directory: Directory,
  tx: Tx,
  caller: Caller,
  input: { request: RequestDetails; agencyCode: string | null; basis: string },
): Promise<Execution> {
  const r = input.request;
  switch (r.kind) {
    case 'create-personal': {
      const d = r.details;
      const { account } = await directory.accounts.createPersonal(
        caller,
        {
          name: d.name,
          orgCode: d.org ?? input.agencyCode!,
          ...(d.title ? { title: d.title } : {}),
          ...(d.personId ? { personId: d.personId } : {}),
          password: null,
        },
        { tx },
      );
      return {
        done: [
          {
            vi: `Đã cấp hộp thư điện tử công vụ cho ông/bà ${account.displayName}: địa chỉ ${account.address} (Điều 6.2), thuộc ${account.org.name}.`,
            en: `A mailbox was issued to ${account.displayName}: ${account.address} (Article 6.2), at ${account.org.name}.`,
          },
        ],
        result: { address: account.address, accountId: account.id },
        activate: { accountId: account.id, address: account.address },
      };
    }
    case 'create-sub-unit':
    case 'create-agency': {
      const d = r.details;
      const { org, mailbox } = await directory.orgs.create(
        caller,
        r.kind === 'create-sub-unit'
          ? { code: d.code, name: d.name, parentCode: input.agencyCode!, kind: 'sub-unit' }
          : {
              code: d.code,
              name: d.name,
              ...('category' in d && d.category ? { kind: d.category } : {}),
            },
        { tx },
      );
      return {
        done: [
          {
            vi: `Đã tạo ${r.kind === 'create-sub-unit' ? 'đơn vị trực thuộc' : 'cơ quan, đơn vị'} ${org.name} và cấp hộp thư điện tử công vụ: địa chỉ ${mailbox.address} (Điều 6.1).`,
            en: `The ${r.kind === 'create-sub-unit' ? 'sub-unit' : 'agency'} ${org.name} was created with its mailbox ${mailbox.address} (Article 6.1).`,
          },
        ],
        result: { org: org.code, address: mailbox.address, accountId: mailbox.id },
        activate: { accountId: mailbox.id, address: mailbox.address },
      };
    }
    case 'change': {
      const d = r.details;
      const done: Bilingual[] = [];
      const result: Record<string, unknown> = { address: d.address };
      if (d.name !== undefined || d.title !== undefined) {
        const v = await directory.admin.updateProfile(
          caller,
          d.address,
          {
            ...(d.name !== undefined ? { displayName: d.name } : {}),
            ...(d.title !== undefined ? { title: d.title } : {}),
          },
          { tx },
        );
        if (d.name !== undefined) {
          done.push({ vi: `Đổi tên thành: ${v.displayName}.`, en: `Name changed to: ${v.displayName}.` });
          result.name = v.displayName;
        }
        if (d.title !== undefined) {
          done.push({
            vi: `Đổi chức danh thành: ${v.title ?? ''}.`,
            en: `Title changed to: ${v.title ?? ''}.`,
          });
          result.title = v.title;
        }
      }
      if (d.quotaBytes !== undefined) {
        const v = await directory.admin.setQuota(caller, d.address, d.quotaBytes, { tx });
        done.push({
          vi: `Dung lượng hộp thư: ${gb(v.quotaBytes)}${v.quotaOverride ? '' : ' (mức mặc định)'} (Điều 9.1).`,
          en: `Mailbox quota: ${gb(v.quotaBytes)}${v.quotaOverride ? '' : ' (the default)'} (Article 9.1).`,
        });
        result.quotaBytes = v.quotaBytes;
      }
      for (const alias of d.addAliases ?? []) {
        await directory.admin.addAlias(caller, d.address, alias, { tx });
        done.push({ vi: `Thêm bí danh ${alias}.`, en: `Alias ${alias} added.` });
      }
      for (const alias of d.removeAliases ?? []) {
        await directory.admin.removeAlias(caller, d.address, alias, { tx });
        done.push({
          vi: `Bỏ bí danh ${alias} (địa chỉ không được cấp lại cho người khác).`,
          en: `Alias ${alias} removed (it is never given to anyone else).`,
        });
      }
      if (d.addAliases?.length) result.addAliases = d.addAliases;
      if (d.removeAliases?.length) result.removeAliases = d.removeAliases;
      if (d.transferTo !== undefined) {
        const v = await directory.admin.move(caller, d.address, d.transferTo, input.basis, { tx });
        done.push({
          vi: `Chuyển công tác sang ${v.org.name}; hộp thư và địa chỉ ${v.address} được giữ nguyên (Điều 7.2.a).`,
          en: `Transferred to ${v.org.name}; the mailbox and its address ${v.address} stay (Article 7.2.a).`,
        });
        result.transferTo = v.org.code;
      }
      return { done, result };
    }
    case 'delete': {
      const d = r.details;
      const v = await directory.admin.delete(
        caller,
        d.address,
        { reason: DELETE_REASON_TEXT[d.reason].vi, basis: input.basis },
        { tx },
      );
      return {
        done: [
          {
            vi: `Đã xóa hộp thư ${v.address} (lý do: ${DELETE_REASON_TEXT[d.reason].vi}). Dữ liệu được lưu giữ đến ngày ${v.purgeAfter?.slice(0, 10) ?? ''} trước khi hủy; địa chỉ không được cấp lại cho người khác (Điều 6.2.b).`,
            en: `The mailbox ${v.address} was deleted (reason: ${DELETE_REASON_TEXT[d.reason].en}). Its data is kept until ${v.purgeAfter?.slice(0, 10) ?? ''} before it is purged; the address is never issued again (Article 6.2.b).`,
          },
        ],
        result: { address: v.address, purgeAfter: v.purgeAfter },
      };
    }
    case 'restore': {
      const d = r.details;
      const row = await requireAccount(tx.db, directory.ctx.settings, d.address);
      const compromised = row.state === 'suspended' && row.state_reason === 'compromised';
      if (compromised)
        // Điều 8.2.b: the leaked password must never work again; the holder sets a new one.
        await directory.credentials.clearPassword(
          tx,
          caller.actor,
          row.id,
          `Điều 8.3: khôi phục sau khi bị lộ mật khẩu / restore after compromise | ${input.basis}`,
        );
      const v = await directory.admin.restore(caller, d.address, { basis: input.basis }, { tx });
      const org = await findOrgById(tx.db, row.org_id);
      return {
        done: [
          {
            vi: `Đã khôi phục hộp thư ${v.address} (${org.name}) (Điều 8.3).${compromised ? ' Mật khẩu cũ đã bị hủy do nghi bị lộ; người sử dụng đặt mật khẩu mới qua đường dẫn kích hoạt.' : ''}`,
            en: `The mailbox ${v.address} (${org.name}) was restored (Article 8.3).${compromised ? ' The old password, possibly leaked, no longer works; the holder sets a new one through the activation link.' : ''}`,
          },
        ],
        result: { address: v.address, passwordReset: compromised },
        ...(compromised ? { activate: { accountId: row.id, address: v.address } } : {}),
      };
    }
  }
}
