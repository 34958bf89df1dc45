import { describe, expect, it } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';
import {
  checkTimezone,
  daysInMonth,
  formatInstant,
  parseInstant,
  toInstant,
  wallClock,
  weekdayOf,
  zoneOffsetMinutes,
} from './zoned-time';

const at = (iso: string) => new Date(iso);

function codeOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    return isBotwireError(error) ? error.code : 'not a BotwireError';
  }
  return undefined;
}

describe('toInstant', () => {
  it('reads ordinary wall times with the offset in force', () => {
    const wall = { year: 2027, month: 1, day: 15, hour: 9, minute: 0 };
    expect(toInstant(wall, 'America/New_York').toISOString()).toBe('2027-01-15T14:00:00.000Z');
    expect(toInstant({ ...wall, month: 7 }, 'America/New_York').toISOString()).toBe(
      '2027-07-15T13:00:00.000Z',
    );
    expect(toInstant(wall, 'Europe/Moscow').toISOString()).toBe('2027-01-15T06:00:00.000Z');
    expect(toInstant({ ...wall, month: 7 }, 'Europe/Moscow').toISOString()).toBe(
      '2027-07-15T06:00:00.000Z',
    );
    expect(toInstant(wall, 'UTC+03:00').toISOString()).toBe('2027-01-15T06:00:00.000Z');
    expect(toInstant(wall, 'UTC-05:30').toISOString()).toBe('2027-01-15T14:30:00.000Z');
    expect(toInstant({ ...wall, second: 42 }, 'UTC').toISOString()).toBe(
      '2027-01-15T09:00:42.000Z',
    );
  });

  it('moves a wall time skipped by the spring gap forward by the gap', () => {
    // New York: 2027-03-14 02:00 EST → 03:00 EDT.
    expect(
      toInstant({ year: 2027, month: 3, day: 14, hour: 2, minute: 30 }, 'America/New_York'),
    ).toEqual(at('2027-03-14T07:30:00Z')); // 03:30 EDT
    expect(
      toInstant({ year: 2027, month: 3, day: 14, hour: 3, minute: 0 }, 'America/New_York'),
    ).toEqual(at('2027-03-14T07:00:00Z'));
    expect(
      toInstant({ year: 2027, month: 3, day: 14, hour: 1, minute: 59 }, 'America/New_York'),
    ).toEqual(at('2027-03-14T06:59:00Z'));
    // Berlin: 2027-03-28 02:00 CET → 03:00 CEST.
    expect(
      toInstant({ year: 2027, month: 3, day: 28, hour: 2, minute: 15 }, 'Europe/Berlin'),
    ).toEqual(at('2027-03-28T01:15:00Z')); // 03:15 CEST
  });

  it('takes the first of a repeated wall time', () => {
    // New York: 2027-11-07 02:00 EDT → 01:00 EST, so 01:30 happens twice.
    expect(
      toInstant({ year: 2027, month: 11, day: 7, hour: 1, minute: 30 }, 'America/New_York'),
    ).toEqual(at('2027-11-07T05:30:00Z')); // 01:30 EDT
    // Berlin: 2027-10-31 03:00 CEST → 02:00 CET, so 02:30 happens twice.
    expect(
      toInstant({ year: 2027, month: 10, day: 31, hour: 2, minute: 30 }, 'Europe/Berlin'),
    ).toEqual(at('2027-10-31T00:30:00Z')); // 02:30 CEST
    expect(
      toInstant({ year: 2027, month: 10, day: 31, hour: 3, minute: 0 }, 'Europe/Berlin'),
    ).toEqual(at('2027-10-31T02:00:00Z'));
  });

  it('refuses impossible wall times', () => {
    const wall = { year: 2027, month: 2, day: 29, hour: 9, minute: 0 };
    expect(codeOf(() => toInstant(wall, 'UTC'))).toBe('BOTWIRE_INVALID_ARGUMENT');
    expect(codeOf(() => toInstant({ ...wall, day: 1, hour: 24 }, 'UTC'))).toBe(
      'BOTWIRE_INVALID_ARGUMENT',
    );
    expect(codeOf(() => toInstant({ ...wall, year: 2028 }, 'UTC'))).toBeUndefined();
  });
});

describe('wallClock and formatInstant', () => {
  it('shows the wall clock with the weekday', () => {
    expect(wallClock(at('2027-03-14T13:00:00Z'), 'America/New_York')).toEqual({
      year: 2027,
      month: 3,
      day: 14,
      hour: 9,
      minute: 0,
      second: 0,
      weekday: 7,
    });
    expect(wallClock(at('2027-12-31T22:30:15Z'), 'UTC+03:00')).toMatchObject({
      year: 2028,
      month: 1,
      day: 1,
      hour: 1,
      minute: 30,
      second: 15,
      weekday: 6,
    });
    expect(wallClock(at('2027-11-07T05:30:00Z'), 'America/New_York').hour).toBe(1);
    expect(wallClock(at('2027-11-07T06:30:00Z'), 'America/New_York').hour).toBe(1);
  });

  it('formats with the offset in force at that instant', () => {
    expect(formatInstant(at('2027-03-14T13:00:00Z'), 'America/New_York')).toBe(
      '2027-03-14T09:00:00-04:00',
    );
    expect(formatInstant(at('2027-03-13T14:00:00Z'), 'America/New_York')).toBe(
      '2027-03-13T09:00:00-05:00',
    );
    expect(formatInstant(at('2027-10-31T00:30:00Z'), 'Europe/Berlin')).toBe(
      '2027-10-31T02:30:00+02:00',
    );
    expect(formatInstant(at('2027-10-31T01:30:00Z'), 'Europe/Berlin')).toBe(
      '2027-10-31T02:30:00+01:00',
    );
    expect(formatInstant(at('2027-06-01T06:00:00Z'), 'Europe/Moscow')).toBe(
      '2027-06-01T09:00:00+03:00',
    );
    expect(formatInstant(at('2027-06-01T06:00:00.250Z'), 'UTC+03:00')).toBe(
      '2027-06-01T09:00:00.250+03:00',
    );
    expect(formatInstant(at('2027-06-01T06:00:00Z'), 'UTC')).toBe('2027-06-01T06:00:00+00:00');
    expect(formatInstant(at('2027-06-01T06:00:00Z'), 'Asia/Kolkata')).toBe(
      '2027-06-01T11:30:00+05:30',
    );
    expect(zoneOffsetMinutes(at('2027-07-01T00:00:00Z'), 'America/New_York')).toBe(-240);
  });
});

describe('checkTimezone and parseInstant', () => {
  it('accepts IANA names and UTC offsets, refuses the rest with a clear message', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'UTC', 'UTC+03:00', 'UTC-09:30']) {
      expect(codeOf(() => checkTimezone(zone))).toBeUndefined();
    }
    for (const zone of ['Mars/Olympus', 'UTC+15:00', 'UTC+03:75', '', 'not a zone', 42]) {
      expect(codeOf(() => checkTimezone(zone))).toBe('BOTWIRE_INVALID_ARGUMENT');
    }
    expect(() => checkTimezone('Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });

  it('reads ISO-8601 instants with an offset only', () => {
    expect(parseInstant('2027-03-14T09:00:00-04:00')).toEqual(at('2027-03-14T13:00:00Z'));
    expect(parseInstant('2027-03-14T09:00:30.5Z')).toEqual(at('2027-03-14T09:00:30.500Z'));
    for (const text of ['2027-03-14T09:00:00', '2027-02-29T09:00:00Z', 'tomorrow', 5]) {
      expect(codeOf(() => parseInstant(text))).toBe('BOTWIRE_INVALID_ARGUMENT');
    }
  });

  it('knows month lengths and weekdays', () => {
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2027, 2)).toBe(28);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2027, 4)).toBe(30);
    expect(weekdayOf(2027, 3, 14)).toBe(7);
    expect(weekdayOf(2027, 3, 15)).toBe(1);
  });
});
