// Request deadlines in working days on the 2026 calendar of state agencies (REQUIREMENTS.md
// "Working days"): weekends, Tết, the worked Saturday 10/1, the 30/4–3/5 holiday; days left and
// overdue as the days pass.
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar, vn2026StateAgencies } from '../calendar/index.ts';
import { deadlineFor, progressOf } from './deadlines.ts';

const cal = new WorkingDayCalendar([vn2026StateAgencies({ cultureDay: false })]);
const at = (vnLocal: string): Date => new Date(`${vnLocal}+07:00`);

describe('request deadlines', () => {
  it.each([
    // received (Vietnam time), kind, deadline, remind on
    ['2026-03-02T09:00', 'create-personal', '2026-03-09', '2026-03-06'], // Monday: next Monday
    ['2026-03-06T16:59', 'change', '2026-03-13', '2026-03-12'], // Friday afternoon
    ['2026-03-07T10:00', 'delete', '2026-03-13', '2026-03-12'], // Saturday: counted from Monday
    ['2026-02-12T09:00', 'create-personal', '2026-02-26', '2026-02-25'], // before Tết (off 14–22/2)
    ['2026-02-12T09:00', 'restore', '2026-02-24', '2026-02-23'], // restore: 3 working days
    ['2026-02-16T09:00', 'restore', '2026-02-25', '2026-02-24'], // received during Tết
    ['2026-01-05T09:00', 'create-personal', '2026-01-10', '2026-01-09'], // Saturday 10/1 is worked
    ['2026-04-29T23:30', 'create-personal', '2026-05-08', '2026-05-07'], // off 30/4–3/5
    ['2026-08-27T09:00', 'restore', '2026-09-04', '2026-09-03'], // Friday 28/8, off 29/8–2/9, then 3/9, 4/9
  ])('received %s (%s): due %s, reminder %s', (received, kind, deadline, remindOn) => {
    const d = deadlineFor(cal, kind, at(received));
    expect([d.deadline, d.remindOn]).toEqual([deadline, remindOn]);
    expect(cal.workingDaysBetween(d.receivedOn, d.deadline)).toBe(kind === 'restore' ? 3 : 5);
  });

  it('counts the working days left, zero on the deadline, negative and overdue after it', () => {
    const d = deadlineFor(cal, 'create-personal', at('2026-02-12T09:00'));
    const left = (when: string) =>
      progressOf(cal, { state: 'in-review', deadline: d.deadline, decidedAt: null }, at(when));
    expect(left('2026-02-12T09:00')).toEqual({ daysLeft: 5, overdue: false, decidedLate: null });
    expect(left('2026-02-13T23:59').daysLeft).toBe(4);
    expect(left('2026-02-20T10:00').daysLeft).toBe(4); // Tết: nothing moves
    expect(left('2026-02-25T10:00').daysLeft).toBe(1);
    expect(left('2026-02-26T23:59')).toEqual({ daysLeft: 0, overdue: false, decidedLate: null });
    expect(left('2026-02-27T00:00')).toEqual({ daysLeft: -1, overdue: true, decidedLate: null });
    expect(left('2026-03-02T08:00').daysLeft).toBe(-2); // Friday 27/2 and Monday 2/3 have passed
    // Decided: no days left; late or not by the decision's date in Vietnam.
    const decided = (when: string) =>
      progressOf(
        cal,
        { state: 'approved', deadline: d.deadline, decidedAt: at(when) },
        at('2026-06-01T00:00'),
      );
    expect(decided('2026-02-26T23:30')).toEqual({ daysLeft: null, overdue: false, decidedLate: false });
    expect(decided('2026-02-27T00:30')).toEqual({ daysLeft: null, overdue: false, decidedLate: true });
    expect(
      progressOf(cal, { state: 'withdrawn', deadline: d.deadline, decidedAt: null }, at('2026-06-01T00:00')),
    ).toEqual({
      daysLeft: null,
      overdue: false,
      decidedLate: null,
    });
  });
});
