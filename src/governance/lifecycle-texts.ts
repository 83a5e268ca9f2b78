/**
 * The wording of the lifecycle notices, Vietnamese first with English below (issue 6 item 6),
 * each citing its article: warning before suspension and suspension for inactivity (Điều 8.2.a),
 * the written notice before deletion and the deletion (Điều 7.3), password expiry reminders
 * (Điều 5.1), and the compromise alert (Điều 5.1, 8.2.b).
 */
import type { NoticeText } from './notices.ts';

export type LifecycleKind =
  | 'warn-inactive'
  | 'suspend-inactive'
  | 'report-inactive'
  | 'notice-deletion'
  | 'delete-inactive'
  | 'password-reminder-14'
  | 'password-reminder-7'
  | 'password-reminder-1';

export const LEGAL_BASIS: Record<LifecycleKind | 'compromised', string> = {
  'warn-inactive': 'Điều 8.2.a',
  'suspend-inactive': 'Điều 8.2.a',
  'report-inactive': 'Điều 8.2.a',
  'notice-deletion': 'Điều 7.3',
  'delete-inactive': 'Điều 7.3',
  'password-reminder-14': 'Điều 5.1',
  'password-reminder-7': 'Điều 5.1',
  'password-reminder-1': 'Điều 5.1',
  compromised: 'Điều 8.2.b',
};

export interface NoticeFacts {
  address: string;
  /** The last access (or creation) date, YYYY-MM-DD, Vietnam. */
  since: string;
  /** The date the next step applies (suspension, deletion, password expiry), YYYY-MM-DD. */
  on?: string;
  /** For a deletion: the number of the notice it follows. */
  noticeNumber?: string;
  reportedBy?: string;
}

const vi = (d: string | undefined): string => (d ? d.split('-').reverse().join('/') : '');

export function noticeText(kind: LifecycleKind | 'compromised', f: NoticeFacts): NoticeText {
  const a = f.address;
  switch (kind) {
    case 'warn-inactive':
      return {
        subject: { vi: `Cảnh báo sắp tạm khóa hộp thư ${a}`, en: `Warning: mailbox ${a} will be suspended` },
        body: {
          vi: `Hộp thư ${a} không phát sinh truy cập từ ngày ${vi(f.since)}. Nếu không đăng nhập, hộp thư sẽ bị tạm khóa từ ngày ${vi(f.on)} (Điều 8.2.a Quy chế). Nếu có lý do (nghỉ dài hạn, biệt phái…), quản trị cơ quan thông báo lý do để tạm dừng việc tính thời gian.`,
          en: `The mailbox ${a} has not been accessed since ${f.since}. Unless someone signs in, it will be suspended on ${f.on} (Article 8.2.a). If there is a reason (long leave, secondment…), the agency administrator can state it to pause the clock.`,
        },
      };
    case 'suspend-inactive':
      return {
        subject: {
          vi: `Tạm khóa hộp thư ${a} do không truy cập 03 tháng`,
          en: `Mailbox ${a} suspended after 3 months without access`,
        },
        body: {
          vi: `Hộp thư ${a} không phát sinh truy cập từ ngày ${vi(f.since)} và đã bị tạm khóa (Điều 8.2.a). Hộp thư vẫn nhận thư. Để khôi phục, cơ quan gửi văn bản đề nghị (Điều 8.3). Nếu không khôi phục, hộp thư sẽ bị xóa sau 06 tháng không truy cập (Điều 7.3).`,
          en: `The mailbox ${a} has not been accessed since ${f.since} and has been suspended (Article 8.2.a). It still receives mail. To restore it, the agency files a request (Article 8.3). Otherwise it will be deleted after 6 months without access (Article 7.3).`,
        },
      };
    case 'report-inactive':
      return {
        subject: {
          vi: `Hộp thư cơ quan ${a} không truy cập 03 tháng`,
          en: `Agency mailbox ${a}: no access for 3 months`,
        },
        body: {
          vi: `Hộp thư cơ quan, đơn vị ${a} không phát sinh truy cập từ ngày ${vi(f.since)}. Hộp thư cơ quan không bị tạm khóa hay xóa tự động; đề nghị người đứng đầu cơ quan kiểm tra và Sở Khoa học và Công nghệ xem xét (Điều 8.2.a, Điều 12).`,
          en: `The agency mailbox ${a} has not been accessed since ${f.since}. Agency mailboxes are never suspended or deleted automatically; the head of the agency should check it and the operator will review (Article 8.2.a, Article 12).`,
        },
      };
    case 'notice-deletion':
      return {
        subject: {
          vi: `Thông báo xóa hộp thư ${a} do không truy cập 06 tháng`,
          en: `Notice: mailbox ${a} will be deleted after 6 months without access`,
        },
        body: {
          vi: `Căn cứ Điều 7.3 Quy chế, hộp thư ${a} không phát sinh truy cập từ ngày ${vi(f.since)} (06 tháng) mà không thông báo lý do. Sau 03 ngày kể từ ngày ban hành thông báo này, Sở Khoa học và Công nghệ sẽ xóa hộp thư khỏi hệ thống (từ ngày ${vi(f.on)}). Địa chỉ hộp thư không được cấp lại cho người khác.`,
          en: `Under Article 7.3, the mailbox ${a} has not been accessed since ${f.since} (6 months) and no reason was given. 3 days after this notice is issued the operator deletes it (on ${f.on}). The address is never given to anyone else.`,
        },
      };
    case 'delete-inactive':
      return {
        subject: { vi: `Đã xóa hộp thư ${a}`, en: `Mailbox ${a} deleted` },
        body: {
          vi: `Theo thông báo số ${f.noticeNumber ?? ''}, hộp thư ${a} đã bị xóa khỏi hệ thống (Điều 7.3). Dữ liệu được lưu giữ trong thời hạn quy định trước khi hủy; địa chỉ không được cấp lại.`,
          en: `Following notice ${f.noticeNumber ?? ''}, the mailbox ${a} has been deleted (Article 7.3). Its data is kept for the retention period before it is purged; the address is never issued again.`,
        },
      };
    case 'password-reminder-14':
    case 'password-reminder-7':
    case 'password-reminder-1': {
      const days = kind.slice('password-reminder-'.length);
      return {
        subject: {
          vi: `Mật khẩu hộp thư ${a} hết hạn sau ${days} ngày`,
          en: `The password of ${a} expires in ${days} day${days === '1' ? '' : 's'}`,
        },
        body: {
          vi: `Mật khẩu của hộp thư ${a} hết hạn vào ngày ${vi(f.on)}. Theo Điều 5.1 Quy chế, mật khẩu phải được thay đổi ít nhất 03 tháng/lần. Hãy đổi mật khẩu trước ngày đó; sau đó chỉ có thể đổi mật khẩu, không sử dụng được hộp thư.`,
          en: `The password of ${a} expires on ${f.on}. Article 5.1 requires a change at least every 3 months. Please change it before then; afterwards nothing but the password change is possible.`,
        },
      };
    }
    case 'compromised':
      return {
        subject: {
          vi: `Tạm khóa hộp thư ${a}: nghi bị lộ mật khẩu`,
          en: `Mailbox ${a} suspended: possibly compromised`,
        },
        body: {
          vi: `Hộp thư ${a} được báo có dấu hiệu bị chiếm dụng hoặc lộ mật khẩu (người báo: ${f.reportedBy ?? ''}) và đã bị tạm khóa ngay, mọi phiên đăng nhập đã bị hủy (Điều 5.1, 8.2.b). Việc khôi phục thực hiện theo đề nghị của cơ quan (Điều 8.3) và kết thúc bằng một mật khẩu mặc định mới.`,
          en: `The mailbox ${a} was reported as possibly taken over or its password leaked (reported by ${f.reportedBy ?? ''}); it has been suspended at once and every session ended (Articles 5.1, 8.2.b). It is restored on the agency's request (Article 8.3), with a new default password.`,
        },
      };
  }
}
