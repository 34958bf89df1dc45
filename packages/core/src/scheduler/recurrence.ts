import { BotwireError } from '../errors/botwire-error';
import {
  checkTimezone,
  daysInMonth,
  parseInstant,
  toInstant,
  wallClock,
  weekdayOf,
} from './zoned-time';

/**
 * How a reminder repeats. Times are wall-clock `HH:MM` in the user's time zone, so a daily
 * 09:00 stays 09:00 across DST changes; only `interval` counts elapsed minutes.
 */
export type Recurrence =
  | {
      kind: 'weekly';
      /** `HH:MM`, 24-hour. */
      time: string;
      /** 1 = Monday … 7 = Sunday; all seven is every day. */
      weekdays: number[];
    }
  | {
      kind: 'interval';
      /** Minutes between occurrences: at least 0.01 (0.6 s; fractions are for tests), at most ten years. */
      minutes: number;
      /** An ISO-8601 instant with offset: occurrences are anchor + k·minutes for k ≥ 1. */
      anchor: string;
    }
  | {
      kind: 'monthly';
      time: string;
      /** 1–31; months without that day are skipped. */
      day: number;
    }
  | {
      kind: 'yearly';
      time: string;
      month: number;
      /** A day that month can have; 29 February fires only in leap years. */
      day: number;
    };

/**
 * The next `count` occurrences of `rule` strictly after `after`, with wall-clock times read
 * in `timezone` (an IANA name or `UTC±HH:MM`). A time a DST change skips fires at the same
 * wall time moved forward by the gap; a time that happens twice fires at its first occurrence.
 *
 * @example
 * nextOccurrences({ kind: 'weekly', time: '09:00', weekdays: [1, 2, 3, 4, 5] }, 'Europe/Berlin',
 *   new Date('2027-03-26T12:00:00Z'), 2);
 * // [2027-03-29T07:00:00Z (09:00 CEST), 2027-03-30T07:00:00Z]
 */
export function nextOccurrences(
  rule: Recurrence,
  timezone: string,
  after: Date,
  count = 1,
): Date[] {
  checkRecurrence(rule);
  checkTimezone(timezone);
  if (!(after instanceof Date) || Number.isNaN(after.getTime())) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message: '`after` is not a valid Date.' });
  }
  if (!Number.isInteger(count) || count < 0 || count > 10_000) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `count must be a whole number from 0 to 10000, not ${count}.`,
    });
  }
  if (rule.kind === 'interval') return intervalOccurrences(rule, after, count);

  const [hour, minute] = rule.time.split(':').map(Number) as [number, number];
  const start = wallClock(after, timezone);
  const found: Date[] = [];
  const accept = (year: number, month: number, day: number) => {
    const instant = toInstant({ year, month, day, hour, minute }, timezone);
    if (instant.getTime() > after.getTime()) found.push(instant);
  };

  if (rule.kind === 'weekly') {
    const weekdays = new Set(rule.weekdays);
    // A DST gap can move a day's time forward past `after`, never back: starting a day early
    // is enough. Each week holds at least one occurrence, so this loop is short.
    let date = addDays(start.year, start.month, start.day, -1);
    while (found.length < count) {
      if (weekdays.has(weekdayOf(date.year, date.month, date.day))) {
        accept(date.year, date.month, date.day);
      }
      date = addDays(date.year, date.month, date.day, 1);
    }
  } else if (rule.kind === 'monthly') {
    let year = start.year;
    let month = start.month;
    while (found.length < count) {
      if (rule.day <= daysInMonth(year, month)) accept(year, month, rule.day);
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
    }
  } else {
    // yearly
    for (let year = start.year; found.length < count; year += 1) {
      if (rule.day <= daysInMonth(year, rule.month)) accept(year, rule.month, rule.day);
    }
  }
  return found;
}

/**
 * Checks that `rule` is a well-formed {@link Recurrence}; throws BOTWIRE_INVALID_ARGUMENT
 * saying what is wrong otherwise.
 */
export function checkRecurrence(rule: unknown): asserts rule is Recurrence {
  const fail = (problem: string): never => {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `The recurrence rule is invalid: ${problem}.`,
      hint: 'Use { kind: "weekly", time: "09:00", weekdays: [1, 2, 3, 4, 5] }, { kind: "interval", minutes, anchor }, { kind: "monthly", time, day } or { kind: "yearly", time, month, day }.',
      details: { rule },
    });
  };
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) fail('it is not an object');
  const value = rule as Record<string, unknown>;
  const whole = (field: string, min: number, max: number) => {
    const number = value[field];
    if (!Number.isInteger(number) || (number as number) < min || (number as number) > max) {
      fail(`${field} must be a whole number from ${min} to ${max}, not ${JSON.stringify(number)}`);
    }
  };
  const time = () => {
    if (typeof value.time !== 'string' || !/^(?:[01]\d|2[0-3]):[0-5]\d$/.test(value.time)) {
      fail(`time must be HH:MM from 00:00 to 23:59, not ${JSON.stringify(value.time)}`);
    }
  };
  switch (value.kind) {
    case 'weekly': {
      time();
      const weekdays = value.weekdays;
      if (!Array.isArray(weekdays) || weekdays.length === 0) {
        fail('weekdays must be a non-empty list of numbers 1 (Monday) to 7 (Sunday)');
      }
      for (const weekday of weekdays as unknown[]) {
        if (!Number.isInteger(weekday) || (weekday as number) < 1 || (weekday as number) > 7) {
          fail(
            `weekdays must hold numbers 1 (Monday) to 7 (Sunday), not ${JSON.stringify(weekday)}`,
          );
        }
      }
      if (new Set(weekdays as number[]).size !== (weekdays as number[]).length) {
        fail('weekdays lists a day twice');
      }
      return;
    }
    case 'interval':
      {
        const minutes = value.minutes;
        if (
          typeof minutes !== 'number' ||
          !Number.isFinite(minutes) ||
          minutes < 0.01 ||
          minutes > 10 * 366 * 24 * 60
        ) {
          fail(
            `minutes must be a number from 0.01 to ${10 * 366 * 24 * 60}, not ${JSON.stringify(minutes)}`,
          );
        }
      }
      try {
        parseInstant(value.anchor, 'The anchor');
      } catch {
        fail(`anchor must be an ISO-8601 instant with offset, not ${JSON.stringify(value.anchor)}`);
      }
      return;
    case 'monthly':
      time();
      whole('day', 1, 31);
      return;
    case 'yearly':
      time();
      whole('month', 1, 12);
      whole('day', 1, daysInMonth(2000, value.month as number));
      return;
    default:
      fail(
        `kind must be "weekly", "interval", "monthly" or "yearly", not ${JSON.stringify(value.kind)}`,
      );
  }
}

function intervalOccurrences(
  rule: Extract<Recurrence, { kind: 'interval' }>,
  after: Date,
  count: number,
): Date[] {
  const anchor = parseInstant(rule.anchor, 'The anchor').getTime();
  const step = rule.minutes * 60_000;
  const first = Math.max(1, Math.floor((after.getTime() - anchor) / step) + 1);
  return Array.from({ length: count }, (_, index) => new Date(anchor + (first + index) * step));
}

function addDays(
  year: number,
  month: number,
  day: number,
  days: number,
): { year: number; month: number; day: number } {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day + days);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}
