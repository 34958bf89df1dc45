import {
  BotwireError,
  checkTimezone,
  formatInstant,
  parseInstant,
  type Recurrence,
} from '@botwire/core';
import { PhraseScan } from './phrase-scan';
import { recognizeSchedule } from './recognize-schedule';
import { resolveSchedule } from './resolve-schedule';
import { type PhraseLanguage, scheduleUnclear } from './schedule-unclear';

/** What {@link parseSchedule} reads. */
export interface ScheduleParseInput {
  /** The user's words, Russian or English, at most 2,000 characters. */
  text: string;
  /** The current instant, ISO-8601 with offset (`2027-03-14T09:00:00-04:00`). */
  now: string;
  /** The user's time zone: an IANA name or `UTC±HH:MM`. */
  timezone: string;
}

/** When a reminder fires, and what it is about. */
export interface ScheduleParse {
  /** The user's words without the request ("напомни мне", "remind me to") and the time. */
  task: string;
  kind: 'once' | 'recurring';
  /** ISO-8601 instants with the zone's offset, strictly after now: 1 for once, 3 for recurring. */
  next: string[];
  /** For once: the instant, the same as `next[0]`. */
  at?: string;
  /** For recurring: the rule, for the scheduler to continue. */
  repeat?: Recurrence;
}

/** The longest text {@link parseSchedule} reads. */
export const maxScheduleTextLength = 2_000;

/**
 * Reads when a reminder should fire from a Russian or English phrase, with wall-clock times in
 * the user's time zone. Conventions: parts of the day are 09:00 (утром, morning), 13:00 (днём,
 * в обед, afternoon), 19:00 (вечером, evening), 23:00 (ночью, at night), 12:00 (полдень) and
 * the next 00:00 (полночь); a date or weekday without a time is at 09:00; a time without a
 * date is today if still ahead, else tomorrow; a weekday is its next occurrence after today;
 * relative offsets ("через 2 часа", "in 2 hours") are exact elapsed time.
 *
 * Throws BOTWIRE_SCHEDULE_UNCLEAR, with a question for the user in the phrase's language, for a
 * phrase it must not guess (no time, a vague or impossible time, an incomplete repetition), and
 * BOTWIRE_INVALID_ARGUMENT for an invalid `now`, `timezone` or an over-long text.
 *
 * @example
 * parseSchedule({ text: 'напомни завтра в 9 позвонить маме', now: '2027-03-10T12:00:00+03:00', timezone: 'Europe/Moscow' });
 * // { task: 'позвонить маме', kind: 'once', next: ['2027-03-11T09:00:00+03:00'], at: '2027-03-11T09:00:00+03:00' }
 */
export function parseSchedule(input: ScheduleParseInput): ScheduleParse {
  if (typeof input !== 'object' || input === null || typeof input.text !== 'string') {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'parseSchedule needs { text, now, timezone } with text a string.',
    });
  }
  if (input.text.length > maxScheduleTextLength) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `The text is ${input.text.length} characters long; a schedule phrase may have at most ${maxScheduleTextLength}.`,
      hint: 'Send the time and a short description of the reminder.',
    });
  }
  checkTimezone(input.timezone);
  const now = parseInstant(input.now, 'now');
  const language: PhraseLanguage = /[а-яё]/i.test(input.text) ? 'ru' : 'en';
  if (input.text.trim() === '') throw scheduleUnclear('no-time', language);

  const scan = new PhraseScan(input.text);
  const found = recognizeSchedule(scan, language);
  const resolved = resolveSchedule(found, now, input.timezone, language);
  let task = scan.rest();
  if (found.englishTrigger) task = task.replace(/^(?:to|about)\s+/i, '');

  const next = resolved.next.map((instant) => formatInstant(instant, input.timezone));
  return resolved.kind === 'once'
    ? { task, kind: 'once', next, at: next[0]! }
    : { task, kind: 'recurring', next, repeat: resolved.repeat! };
}
