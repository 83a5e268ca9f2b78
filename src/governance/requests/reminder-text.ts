/** The wording of the deadline reminder and the overdue alert (Điều 7.2.b, 8.3.b), Vietnamese first. */
import type { Bilingual } from '../../util/errors.ts';
import type { RequestView } from './views.ts';

const dmy = (d: string): string => d.split('-').reverse().join('/');

export function reminderText(
  kind: 'reminder' | 'overdue',
  v: RequestView,
): { subject: Bilingual; body: Bilingual } {
  const agency = v.agency?.name ?? v.summary.vi;
  const article = v.kind === 'restore' ? 'Điều 8.3.b' : 'Điều 7.2.b';
  const articleEn = v.kind === 'restore' ? 'Article 8.3.b' : 'Article 7.2.b';
  if (kind === 'reminder')
    return {
      subject: {
        vi: `Nhắc hạn: đề nghị ${v.ref} phải trả lời chậm nhất ngày ${dmy(v.deadline)}`,
        en: `Reminder: request ${v.ref} is due on ${v.deadline}`,
      },
      body: {
        vi: `Đề nghị ${v.ref} của ${agency} về việc ${v.summary.vi}, tiếp nhận ngày ${dmy(v.receivedOn)}, phải được xử lý và trả lời bằng văn bản chậm nhất ngày ${dmy(v.deadline)} (${article}); còn ${v.daysLeft ?? 0} ngày làm việc. Trạng thái hiện tại: ${v.stateText.vi}.`,
        en: `Request ${v.ref} from ${agency} for ${v.summary.en}, received on ${v.receivedOn}, must be handled and answered in writing by ${v.deadline} (${articleEn}); ${v.daysLeft ?? 0} working day(s) left. Current state: ${v.state}.`,
      },
    };
  return {
    subject: {
      vi: `Quá hạn: đề nghị ${v.ref} chưa được trả lời (hạn ${dmy(v.deadline)})`,
      en: `Overdue: request ${v.ref} was due on ${v.deadline}`,
    },
    body: {
      vi: `Đề nghị ${v.ref} của ${agency} về việc ${v.summary.vi}, tiếp nhận ngày ${dmy(v.receivedOn)}, đã quá hạn trả lời ngày ${dmy(v.deadline)} (${article}). Đề nghị xử lý ngay. Trạng thái hiện tại: ${v.stateText.vi}.`,
      en: `Request ${v.ref} from ${agency} for ${v.summary.en}, received on ${v.receivedOn}, was due on ${v.deadline} (${articleEn}) and is overdue. Please handle it now. Current state: ${v.state}.`,
    },
  };
}
