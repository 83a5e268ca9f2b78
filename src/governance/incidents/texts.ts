/**
 * The wording of the incident notices (Điều 10.4, 11.3), Vietnamese first with English below.
 * They name the incident, the message by its Message-ID, sender and date, and where it was found;
 * never its subject or content (those may themselves be the secret).
 */
import type { NoticeText } from '../notices.ts';

export interface IncidentFacts {
  number: string;
  reporter: string;
  mailbox: string;
  agencyName: string | null;
  messageId: string | null;
  sender: string | null;
  /** The message's Date field, "dd/mm/yyyy", or null. */
  sentOn: string | null;
}

const ref = (f: IncidentFacts, lang: 'vi' | 'en'): string =>
  [
    `${lang === 'vi' ? 'Mã sự cố' : 'Incident'}: ${f.number}`,
    `Message-ID: ${f.messageId ?? (lang === 'vi' ? '(không có)' : '(none)')}`,
    `${lang === 'vi' ? 'Người gửi' : 'Sender'}: ${f.sender ?? (lang === 'vi' ? '(không rõ)' : '(unknown)')}`,
    ...(f.sentOn ? [`${lang === 'vi' ? 'Ngày gửi' : 'Sent on'}: ${f.sentOn}`] : []),
  ].join('\r\n');

/** To the head of the agency where it was found (agency mailbox, administrators) and the operator. */
export function reportedText(f: IncidentFacts): NoticeText {
  const where = f.agencyName ? ` (${f.agencyName})` : '';
  return {
    subject: {
      vi: `Sự cố tài liệu mật ${f.number}: thư có nội dung thuộc danh mục bí mật nhà nước`,
      en: `Incident ${f.number}: a message reported as containing state secrets`,
    },
    body: {
      vi: [
        `${f.reporter} báo cáo một thư điện tử nhận tại hộp thư ${f.mailbox}${where} có chứa nội dung thuộc danh mục bí mật nhà nước (Điều 10.4, Điều 11.3 Quy chế).`,
        '',
        ref(f, 'vi'),
        '',
        'Sở Khoa học và Công nghệ cách ly mọi bản sao của thư trên hệ thống; bản lưu làm chứng cứ không ai trong cơ quan truy cập được. Thủ trưởng cơ quan, đơn vị thông báo cho nơi gửi để kịp thời gỡ bỏ và báo cáo cơ quan chức năng phối hợp đánh giá mức độ lộ, lọt thông tin. Không chuyển tiếp, sao chép hay in thư đó.',
      ].join('\r\n'),
      en: [
        `${f.reporter} reported that a message received in the mailbox ${f.mailbox}${where} contains state-secret content (Articles 10.4, 11.3).`,
        '',
        ref(f, 'en'),
        '',
        'The operator removes every copy of the message from the system into a quarantine kept as evidence that no user can reach. The head of the agency informs the sender so that the document is removed, and reports to the authorities for the assessment of the leak. Do not forward, copy or print that message.',
      ].join('\r\n'),
    },
  };
}

/** To the sending agency (its agency mailbox when local) or the remote sender. */
export function senderText(f: IncidentFacts): NoticeText {
  const where = f.agencyName ?? f.mailbox;
  return {
    subject: {
      vi: `Đề nghị gỡ bỏ tài liệu có nội dung bí mật nhà nước (sự cố ${f.number})`,
      en: `Please remove a document containing state secrets (incident ${f.number})`,
    },
    body: {
      vi: [
        `Thư điện tử do ${f.sender ?? 'quý cơ quan'} gửi đến ${where} đã được báo cáo là có chứa nội dung thuộc danh mục bí mật nhà nước (Điều 10.4, Điều 11.3 Quy chế).`,
        '',
        ref(f, 'vi'),
        '',
        'Đề nghị cơ quan, đơn vị, cá nhân nơi gửi kịp thời gỡ bỏ tài liệu (xóa thư khỏi hộp thư đã gửi và mọi nơi lưu trữ khác), không gửi lại qua thư điện tử công vụ, và phối hợp với cơ quan chức năng đánh giá mức độ lộ, lọt thông tin.',
      ].join('\r\n'),
      en: [
        `A message sent by ${f.sender ?? 'your agency'} to ${where} was reported as containing state-secret content (Articles 10.4, 11.3).`,
        '',
        ref(f, 'en'),
        '',
        'Please remove the document at once (delete the message from the sent folder and every other place it is kept), do not send it again by official e-mail, and work with the authorities on the assessment of the leak.',
      ].join('\r\n'),
    },
  };
}
