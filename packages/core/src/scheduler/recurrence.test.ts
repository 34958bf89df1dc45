import { describe, expect, it } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';
import { checkRecurrence, nextOccurrences, type Recurrence } from './recurrence';
import { formatInstant } from './zoned-time';

const daily = (time: string): Recurrence => ({
  kind: 'weekly',
  time,
  weekdays: [1, 2, 3, 4, 5, 6, 7],
});

/** The next occurrences as ISO strings in the zone, which is how people check them. */
function next(rule: Recurrence, zone: string, after: string, count: number): string[] {
  return nextOccurrences(rule, zone, new Date(after), count).map((date) =>
    formatInstant(date, zone),
  );
}

describe('nextOccurrences: weekly', () => {
  it('keeps a daily 09:00 at 09:00 across the New York spring change', () => {
    expect(next(daily('09:00'), 'America/New_York', '2027-03-13T10:00:00-05:00', 3)).toEqual([
      '2027-03-14T09:00:00-04:00',
      '2027-03-15T09:00:00-04:00',
      '2027-03-16T09:00:00-04:00',
    ]);
  });

  it('counts today when its time is still ahead, and is strictly after', () => {
    expect(next(daily('09:00'), 'Europe/Moscow', '2027-06-01T08:59:59+03:00', 1)).toEqual([
      '2027-06-01T09:00:00+03:00',
    ]);
    expect(next(daily('09:00'), 'Europe/Moscow', '2027-06-01T09:00:00+03:00', 1)).toEqual([
      '2027-06-02T09:00:00+03:00',
    ]);
  });

  it('moves a time skipped by the gap forward and takes the first of a repeated time', () => {
    expect(next(daily('02:30'), 'America/New_York', '2027-03-13T12:00:00-05:00', 2)).toEqual([
      '2027-03-14T03:30:00-04:00',
      '2027-03-15T02:30:00-04:00',
    ]);
    expect(next(daily('01:30'), 'America/New_York', '2027-11-06T12:00:00-04:00', 2)).toEqual([
      '2027-11-07T01:30:00-04:00',
      '2027-11-08T01:30:00-05:00',
    ]);
    expect(next(daily('02:30'), 'Europe/Berlin', '2027-10-30T12:00:00+02:00', 2)).toEqual([
      '2027-10-31T02:30:00+02:00',
      '2027-11-01T02:30:00+01:00',
    ]);
    // Asked between the two 02:30s: the first has passed and the second is not taken again.
    expect(next(daily('02:30'), 'Europe/Berlin', '2027-10-31T02:45:00+02:00', 1)).toEqual([
      '2027-11-01T02:30:00+01:00',
    ]);
  });

  it('keeps weekdays across the Berlin spring change', () => {
    const workdays: Recurrence = { kind: 'weekly', time: '08:00', weekdays: [1, 2, 3, 4, 5] };
    // 2027-03-26 is a Friday.
    expect(next(workdays, 'Europe/Berlin', '2027-03-26T09:00:00+01:00', 3)).toEqual([
      '2027-03-29T08:00:00+02:00',
      '2027-03-30T08:00:00+02:00',
      '2027-03-31T08:00:00+02:00',
    ]);
    const weekends: Recurrence = { kind: 'weekly', time: '10:00', weekdays: [7, 6] };
    expect(next(weekends, 'UTC+03:00', '2027-06-04T12:00:00+03:00', 3)).toEqual([
      '2027-06-05T10:00:00+03:00',
      '2027-06-06T10:00:00+03:00',
      '2027-06-12T10:00:00+03:00',
    ]);
  });
});

describe('nextOccurrences: interval', () => {
  it('is anchor + k·minutes exactly, k ≥ 1, across DST', () => {
    const rule: Recurrence = {
      kind: 'interval',
      minutes: 90,
      anchor: '2027-03-14T00:10:17-05:00',
    };
    expect(next(rule, 'America/New_York', '2027-03-14T00:10:17-05:00', 3)).toEqual([
      '2027-03-14T01:40:17-05:00',
      '2027-03-14T04:10:17-04:00',
      '2027-03-14T05:40:17-04:00',
    ]);
    // From before the anchor, the first is still anchor + one step.
    expect(next(rule, 'UTC', '2020-01-01T00:00:00Z', 1)).toEqual(['2027-03-14T06:40:17+00:00']);
    // From far later, without stepping one by one.
    const later = nextOccurrences(
      { kind: 'interval', minutes: 1, anchor: '2027-01-01T00:00:00Z' },
      'UTC',
      new Date('2127-01-01T00:00:30Z'),
    );
    expect(later[0]?.toISOString()).toBe('2127-01-01T00:01:00.000Z');
  });
});

describe('nextOccurrences: monthly and yearly', () => {
  it('skips months without the 31st', () => {
    expect(
      next(
        { kind: 'monthly', time: '09:00', day: 31 },
        'Europe/Moscow',
        '2027-01-31T10:00:00+03:00',
        3,
      ),
    ).toEqual([
      '2027-03-31T09:00:00+03:00',
      '2027-05-31T09:00:00+03:00',
      '2027-07-31T09:00:00+03:00',
    ]);
  });

  it('keeps the wall time across DST in Berlin', () => {
    expect(
      next(
        { kind: 'monthly', time: '12:00', day: 15 },
        'Europe/Berlin',
        '2027-02-20T00:00:00+01:00',
        2,
      ),
    ).toEqual(['2027-03-15T12:00:00+01:00', '2027-04-15T12:00:00+02:00']);
  });

  it('fires 29 February only in leap years', () => {
    expect(
      next(
        { kind: 'yearly', time: '09:00', month: 2, day: 29 },
        'UTC+03:00',
        '2027-01-01T00:00:00+03:00',
        3,
      ),
    ).toEqual([
      '2028-02-29T09:00:00+03:00',
      '2032-02-29T09:00:00+03:00',
      '2036-02-29T09:00:00+03:00',
    ]);
    expect(
      next(
        { kind: 'yearly', time: '18:30', month: 12, day: 25 },
        'America/New_York',
        '2027-12-25T18:30:00-05:00',
        1,
      ),
    ).toEqual(['2028-12-25T18:30:00-05:00']);
  });
});

describe('checkRecurrence', () => {
  it('accepts valid rules and says what is wrong with invalid ones', () => {
    expect(() => checkRecurrence(daily('23:59'))).not.toThrow();
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      [{ kind: 'hourly' }, /kind must be/],
      [{ kind: 'weekly', time: '24:00', weekdays: [1] }, /time must be HH:MM/],
      [{ kind: 'weekly', time: '9:00', weekdays: [1] }, /time must be HH:MM/],
      [{ kind: 'weekly', time: '09:00', weekdays: [] }, /non-empty/],
      [{ kind: 'weekly', time: '09:00', weekdays: [0] }, /1 \(Monday\) to 7/],
      [{ kind: 'weekly', time: '09:00', weekdays: [2, 2] }, /twice/],
      [{ kind: 'interval', minutes: 0, anchor: '2027-01-01T00:00:00Z' }, /minutes/],
      [{ kind: 'interval', minutes: 0.001, anchor: '2027-01-01T00:00:00Z' }, /minutes/],
      [{ kind: 'interval', minutes: 5, anchor: '2027-01-01T00:00:00' }, /anchor/],
      [{ kind: 'monthly', time: '09:00', day: 32 }, /day must be/],
      [{ kind: 'yearly', time: '09:00', month: 2, day: 30 }, /day must be/],
      [{ kind: 'yearly', time: '09:00', month: 13, day: 1 }, /month must be/],
    ];
    for (const [rule, message] of bad) {
      let caught: unknown;
      try {
        checkRecurrence(rule);
      } catch (error) {
        caught = error;
      }
      expect(isBotwireError(caught, 'BOTWIRE_INVALID_ARGUMENT'), JSON.stringify(rule)).toBe(true);
      expect((caught as Error).message).toMatch(message);
    }
  });

  it('refuses an unknown zone in nextOccurrences', () => {
    expect(() => nextOccurrences(daily('09:00'), 'Nowhere/Town', new Date())).toThrow(
      /Unknown time zone/,
    );
  });
});
