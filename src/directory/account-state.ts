/**
 * Account states and the only transitions allowed between them (Điều 7.3, 8).
 *
 *   active ──suspend──▶ suspended ──restore──▶ active
 *     │                    │
 *     └──────delete────────┴──delete──▶ deleted (final: data kept until the purge date,
 *                                                 addresses retired for ever)
 *
 * Suspension reasons follow Điều 8.2: a) no access for 3 months (inactivity), b) taken over or
 * password leaked (compromised), c) other lawful reasons (other). A suspended mailbox still
 * receives mail; it cannot sign in or send.
 */
import { conflict, invalid } from '../util/errors.ts';
import type { AccountState } from '../store/schema.ts';

export type SuspensionReason = 'inactivity' | 'compromised' | 'other';
export const SUSPENSION_REASONS: readonly SuspensionReason[] = ['inactivity', 'compromised', 'other'];

export type StateEvent = 'suspend' | 'restore' | 'delete';

const TRANSITIONS: Record<AccountState, Partial<Record<StateEvent, AccountState>>> = {
  active: { suspend: 'suspended', delete: 'deleted' },
  suspended: { restore: 'active', delete: 'deleted' },
  deleted: {},
};

const STATE_VI: Record<AccountState, string> = {
  active: 'đang hoạt động',
  suspended: 'đang tạm khóa',
  deleted: 'đã xóa',
};
const EVENT_VI: Record<StateEvent, string> = { suspend: 'tạm khóa', restore: 'khôi phục', delete: 'xóa' };

/** The state after `event`, or a clear error when the transition is not allowed. */
export function nextState(from: AccountState, event: StateEvent): AccountState {
  const to = TRANSITIONS[from][event];
  if (!to)
    throw conflict(
      'account.bad-transition',
      `Không thể ${EVENT_VI[event]} hộp thư ${STATE_VI[from]}.`,
      `Cannot ${event} a mailbox that is ${from}.`,
      { from, event },
    );
  return to;
}

export function parseSuspensionReason(value: string): SuspensionReason {
  if ((SUSPENSION_REASONS as readonly string[]).includes(value)) return value as SuspensionReason;
  throw invalid(
    'account.bad-reason',
    `Lý do tạm khóa "${value}" không hợp lệ; chọn một trong: inactivity (không truy cập 3 tháng, Điều 8.2.a), compromised (bị chiếm dụng, lộ mật khẩu, Điều 8.2.b), other (lý do khác, Điều 8.2.c).`,
    `Suspension reason "${value}" is not valid; use one of: ${SUSPENSION_REASONS.join(', ')}.`,
  );
}
