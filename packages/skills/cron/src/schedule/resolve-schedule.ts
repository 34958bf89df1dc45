import {
  daysInMonth,
  formatInstant,
  nextOccurrences,
  type Recurrence,
  toInstant,
  wallClock,
} from '@botwire/core';
import { type FoundTimes, withPartOfDay } from './recognize-schedule';
import { type PhraseLanguage, scheduleUnclear, type UnclearReason } from './schedule-unclear';
import { partOfDayHours, type TimeUnit } from './schedule-words';

/** When the phrase fires: once or by a rule, with the next instants. */
export interface ResolvedSchedule {
  kind: 'once' | 'recurring';
  next: Date[];
  repeat?: Recurrence;
}

interface Clock {
  hour: number;
  minute: number;
  /** The midnight that ends the day it is said of. */
  midnight: boolean;
}

interface Day {
  year: number;
  month: number;
  day: number;
}

const elapsed: Partial<Record<TimeUnit, number>> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

/**
 * Turns what {@link recognizeSchedule} found into instants, by the parser's conventions
 * (see parse-schedule.ts); throws BOTWIRE_SCHEDULE_UNCLEAR when the parts disagree, are
 * missing, or lie in the past.
 */
export function resolveSchedule(
  found: FoundTimes,
  now: Date,
  zone: string,
  language: PhraseLanguage,
): ResolvedSchedule {
  const unclear = (reason: UnclearReason, text = '') => scheduleUnclear(reason, language, text);
  const texts = (items: { text: string }[]) => items.map((item) => item.text.trim()).join(', ');

  const partsOfDay = [
    ...new Set([
      ...found.partsOfDay.map((part) => part.partOfDay),
      ...found.repeats.flatMap((repeat) =>
        repeat.kind === 'weekly' && repeat.partOfDay ? [repeat.partOfDay] : [],
      ),
    ]),
  ];
  if (partsOfDay.length > 1) throw unclear('conflict', texts(found.partsOfDay));
  if (found.times.length > 1) throw unclear('conflict', texts(found.times));
  const partOfDay = partsOfDay[0];
  const time = found.times[0];
  let clock: Clock | undefined;
  if (time) {
    const hour =
      partOfDay && time.adjustable ? withPartOfDay(time.hour, partOfDay, false) : time.hour;
    clock =
      hour === 24 || hour === undefined
        ? { hour: 0, minute: time.minute, midnight: true }
        : { hour, minute: time.minute, midnight: time.midnight === true };
  } else if (partOfDay) {
    clock = { hour: partOfDayHours[partOfDay], minute: 0, midnight: false };
  }

  const dated = found.dates.length + found.dayOffsets.length + found.weekdays.length > 0;
  if (found.repeats.length > 0) {
    const kinds = new Set(found.repeats.map((repeat) => repeat.kind));
    if (found.repeats.length > 1 && !(kinds.size === 1 && kinds.has('yearly'))) {
      throw unclear('conflict', texts(found.repeats));
    }
    if (found.relatives.length > 0) {
      throw unclear('conflict', texts([...found.repeats, ...found.relatives]));
    }
    const repeat = found.repeats[0]!;
    const at = clock ?? { hour: 9, minute: 0 };
    const hhmm = `${pad(at.hour)}:${pad(at.minute)}`;
    let rule: Recurrence;
    if (repeat.kind === 'interval') {
      if (dated || clock) throw unclear('conflict', texts([repeat, ...found.times]));
      rule = { kind: 'interval', minutes: repeat.minutes, anchor: formatInstant(now, zone) };
    } else if (repeat.kind === 'weekly' || repeat.kind === 'week') {
      if (found.dates.length > 0 || found.dayOffsets.length > 0) {
        throw unclear('conflict', texts([repeat, ...found.dates, ...found.dayOffsets]));
      }
      let weekdays = repeat.kind === 'weekly' ? repeat.weekdays : [];
      if (found.weekdays.length > 0) {
        if (repeat.kind === 'weekly') throw unclear('conflict', texts([repeat, ...found.weekdays]));
        weekdays = [...new Set(found.weekdays.map((day) => day.weekday))].sort((a, b) => a - b);
      }
      if (weekdays.length === 0) throw unclear('missing-day', repeat.text);
      rule = { kind: 'weekly', time: hhmm, weekdays };
    } else if (repeat.kind === 'monthly') {
      if (dated) throw unclear('conflict', texts([repeat, ...found.dates, ...found.weekdays]));
      if (repeat.day === undefined) throw unclear('missing-day', repeat.text);
      rule = { kind: 'monthly', time: hhmm, day: repeat.day };
    } else {
      if (found.dayOffsets.length > 0 || found.weekdays.length > 0 || found.dates.length > 1) {
        throw unclear('conflict', texts([repeat, ...found.dates, ...found.weekdays]));
      }
      const date = found.dates[0];
      if (!date) throw unclear('missing-day', repeat.text);
      if (date.year !== undefined)
        throw unclear('conflict', `${repeat.text.trim()}, ${date.text.trim()}`);
      rule = { kind: 'yearly', time: hhmm, month: date.month, day: date.day };
    }
    return { kind: 'recurring', repeat: rule, next: nextOccurrences(rule, zone, now, 3) };
  }

  const clockNow = wallClock(now, zone);
  const today: Day = { year: clockNow.year, month: clockNow.month, day: clockNow.day };
  const instantOn = (day: Day, at: Clock): Date => {
    const date = at.midnight ? addDays(day, 1) : day;
    return toInstant(
      { year: date.year, month: date.month, day: date.day, hour: at.hour, minute: at.minute },
      zone,
    );
  };
  const once = (instant: Date, text: string): ResolvedSchedule => {
    if (instant.getTime() <= now.getTime()) throw unclear('past', text);
    return { kind: 'once', next: [instant] };
  };

  if (found.relatives.length > 0) {
    if (found.relatives.length > 1 || dated) {
      throw unclear(
        'conflict',
        texts([...found.relatives, ...found.dates, ...found.dayOffsets, ...found.weekdays]),
      );
    }
    const relative = found.relatives[0]!;
    const clockUnits = relative.amounts.some((amount) =>
      ['second', 'minute', 'hour'].includes(amount.unit),
    );
    let months = 0;
    let milliseconds = 0;
    for (const { amount, unit } of relative.amounts) {
      if (!Number.isFinite(amount)) throw unclear('invalid-time', relative.text);
      if (unit === 'month' || unit === 'year') {
        const count = amount * (unit === 'year' ? 12 : 1);
        if (!Number.isInteger(count)) throw unclear('conflict', relative.text);
        months += count;
      } else {
        milliseconds += amount * (elapsed[unit] ?? 0);
      }
    }
    if (months === 0 && milliseconds <= 0) throw unclear('past', relative.text);
    if (clock) {
      if (clockUnits)
        throw unclear('conflict', texts([relative, ...found.times, ...found.partsOfDay]));
      const day = addDays(addMonths(today, months), Math.round(milliseconds / elapsed.day!));
      return once(instantOn(day, clock), relative.text);
    }
    let start = now;
    if (months > 0) {
      const day = addMonths(today, months);
      start = new Date(
        toInstant(
          { ...day, hour: clockNow.hour, minute: clockNow.minute, second: clockNow.second },
          zone,
        ).getTime() +
          (now.getTime() % 1000),
      );
    }
    return once(new Date(start.getTime() + milliseconds), relative.text);
  }

  const at = clock ?? { hour: 9, minute: 0, midnight: false };
  const days: { day: Day; text: string }[] = [];
  for (const offset of found.dayOffsets)
    days.push({ day: addDays(today, offset.days), text: offset.text });
  for (const { weekday, text } of found.weekdays) {
    const ahead = (weekday - clockNow.weekday + 7) % 7 || 7;
    days.push({ day: addDays(today, ahead), text });
  }
  for (const date of found.dates) {
    if (date.year !== undefined) {
      days.push({ day: { year: date.year, month: date.month, day: date.day }, text: date.text });
      continue;
    }
    // No year: the next time this date comes, at the time asked for (29 February: a leap year).
    for (let year = today.year; year <= today.year + 8; year += 1) {
      if (date.day > daysInMonth(year, date.month)) continue;
      const day = { year, month: date.month, day: date.day };
      if (instantOn(day, at).getTime() > now.getTime()) {
        days.push({ day, text: date.text });
        break;
      }
    }
  }
  if (days.length > 0) {
    const first = days[0]!;
    if (days.some(({ day }) => !sameDay(day, first.day))) throw unclear('conflict', texts(days));
    return once(instantOn(first.day, at), texts([...days, ...found.times, ...found.partsOfDay]));
  }
  if (clock) {
    const todayAt = instantOn(today, clock);
    return once(
      todayAt.getTime() > now.getTime() ? todayAt : instantOn(addDays(today, 1), clock),
      '',
    );
  }
  if (found.vagueWord) throw unclear('vague', found.vagueWord);
  throw unclear('no-time');
}

function addDays(day: Day, days: number): Day {
  const date = new Date(0);
  date.setUTCFullYear(day.year, day.month - 1, day.day + days);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** `months` calendar months later; a day the month lacks becomes its last day. */
function addMonths(day: Day, months: number): Day {
  const index = day.year * 12 + (day.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(day.day, daysInMonth(year, month)) };
}

function sameDay(a: Day, b: Day): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
