import { isBotwireError, nextOccurrences, parseInstant } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { parseSchedule, type ScheduleParse } from './parse-schedule';
import { type SchedulePhrase, schedulePhrases } from './schedule-phrases';

const wed = '2027-03-10T14:20:35+03:00';
const moscow = 'Europe/Moscow';

function refusal(input: Parameters<typeof parseSchedule>[0]) {
  try {
    parseSchedule(input);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return error as Error & { code: string; details: Record<string, unknown> };
  }
  throw new Error(`Not refused: ${input.text}`);
}

describe('the phrase set', () => {
  it('has at least 100 phrases in both languages, with refusals', () => {
    expect(schedulePhrases.length).toBeGreaterThanOrEqual(100);
    const russian = schedulePhrases.filter((phrase) => /[а-я]/i.test(phrase.text));
    expect(russian.length).toBeGreaterThan(40);
    expect(schedulePhrases.length - russian.length).toBeGreaterThan(40);
    expect(schedulePhrases.filter((phrase) => 'unclear' in phrase.expect).length).toBeGreaterThan(
      15,
    );
  });

  it.each(
    schedulePhrases.map((phrase): [string, string, SchedulePhrase] => [
      phrase.text,
      phrase.timezone,
      phrase,
    ]),
  )('%s (%s)', (_text, _zone, phrase) => {
    if ('unclear' in phrase.expect) {
      const error = refusal(phrase);
      expect(error.code).toBe('BOTWIRE_SCHEDULE_UNCLEAR');
      expect(error.message.length).toBeGreaterThan(10);
      expect(typeof error.details.reason).toBe('string');
      return;
    }
    const result = parseSchedule(phrase);
    expect({ task: result.task, kind: result.kind, next: result.next }).toEqual(phrase.expect);
    if (result.kind === 'once') {
      expect(result.at).toBe(result.next[0]);
      expect(result.repeat).toBeUndefined();
    } else {
      expect(result.at).toBeUndefined();
      // The rule continues the same series the phrase gave.
      const again = nextOccurrences(result.repeat!, phrase.timezone, parseInstant(phrase.now), 3);
      expect(again.map((date) => date.getTime())).toEqual(
        result.next.map((text) => parseInstant(text).getTime()),
      );
    }
  });
});

describe('parseSchedule', () => {
  const parse = (text: string, now = wed, timezone = moscow): ScheduleParse =>
    parseSchedule({ text, now, timezone });

  it('returns the rule of a repetition', () => {
    expect(parse('по понедельникам и средам в 19:00 спортзал').repeat).toEqual({
      kind: 'weekly',
      time: '19:00',
      weekdays: [1, 3],
    });
    expect(parse('every weekday at 8 standup').repeat).toEqual({
      kind: 'weekly',
      time: '08:00',
      weekdays: [1, 2, 3, 4, 5],
    });
    expect(parse('каждые 2 часа пить воду').repeat).toEqual({
      kind: 'interval',
      minutes: 120,
      anchor: wed,
    });
    expect(parse('every month on the 31st pay rent').repeat).toEqual({
      kind: 'monthly',
      time: '09:00',
      day: 31,
    });
    expect(parse('каждый год 29 февраля поздравить').repeat).toEqual({
      kind: 'yearly',
      time: '09:00',
      month: 2,
      day: 29,
    });
  });

  it('reads Russian inflections of units and weekdays', () => {
    const minutes = (text: string) =>
      (parseInstant(parse(text).next[0]!).getTime() - parseInstant(wed).getTime()) / 60_000;
    expect(minutes('через 1 минуту')).toBe(1);
    expect(minutes('через 3 минуты')).toBe(3);
    expect(minutes('через 7 минут')).toBe(7);
    expect(minutes('через 1 час')).toBe(60);
    expect(minutes('через 3 часа')).toBe(180);
    expect(minutes('через 6 часов')).toBe(360);
    expect(minutes('через 1 день')).toBe(1440);
    expect(minutes('через 2 дня')).toBe(2880);
    expect(minutes('через 5 дней')).toBe(7200);
    expect(minutes('через 2 недели')).toBe(20160);
    expect(minutes('через 6 недель')).toBe(60480);
    const weekdays = (text: string) => (parse(text).repeat as { weekdays: number[] }).weekdays;
    expect(weekdays('каждую среду')).toEqual([3]);
    expect(weekdays('по средам')).toEqual([3]);
    expect(weekdays('каждый понедельник')).toEqual([1]);
    expect(weekdays('по понедельникам')).toEqual([1]);
    expect(weekdays('каждую субботу и воскресенье')).toEqual([6, 7]);
    expect(parse('в среду').next[0]).toBe('2027-03-17T09:00:00+03:00');
    expect(parse('в понедельник').next[0]).toBe('2027-03-15T09:00:00+03:00');
  });

  it('keeps the user words that only look like time words', () => {
    expect(parse('завтра поздравить Машу с днём рождения').task).toBe(
      'поздравить Машу с днём рождения',
    );
    expect(parse('завтра взять отпуск на 2 дня')).toMatchObject({
      task: 'взять отпуск на 2 дня',
      next: ['2027-03-11T09:00:00+03:00'],
    });
    expect(parse('remind me tomorrow to water each plant').task).toBe('water each plant');
    expect(parse('купить 2.5 кг муки завтра')).toMatchObject({
      task: 'купить 2.5 кг муки',
      next: ['2027-03-11T09:00:00+03:00'],
    });
  });

  it('asks in the language of the phrase, saying why', () => {
    const russian = refusal({ text: 'напомни позвонить маме', now: wed, timezone: moscow });
    expect(russian.message).toMatch(/Когда напомнить/);
    expect(russian.details.reason).toBe('no-time');
    const english = refusal({ text: 'remind me to call mom', now: wed, timezone: moscow });
    expect(english.message).toMatch(/When should I remind you/);
    const reasons: [string, string][] = [
      ['напомни позже', 'vague'],
      ['in a few minutes', 'vague'],
      ['через несколько дней', 'vague'],
      ['в 25:00', 'invalid-time'],
      ['at 13pm', 'invalid-time'],
      ['31 февраля', 'invalid-date'],
      ['2027-02-29', 'invalid-date'],
      ['каждый', 'incomplete-repeat'],
      ['every', 'incomplete-repeat'],
      ['каждый месяц', 'missing-day'],
      ['every 2 weeks', 'unsupported-repeat'],
      ['сегодня в 9', 'past'],
      ['в 9 и в 18', 'conflict'],
    ];
    for (const [text, reason] of reasons) {
      const error = refusal({ text, now: wed, timezone: moscow });
      expect(error.code, text).toBe('BOTWIRE_SCHEDULE_UNCLEAR');
      expect(error.details.reason, text).toBe(reason);
    }
    expect(refusal({ text: '31 февраля', now: wed, timezone: moscow }).message).toMatch(
      /Такой даты нет: «31 февраля»/,
    );
  });

  it('refuses a bad time zone, now or text as invalid arguments', () => {
    const invalid = (input: { text: string; now: string; timezone: string }) => {
      let caught: unknown;
      try {
        parseSchedule(input);
      } catch (error) {
        caught = error;
      }
      return isBotwireError(caught, 'BOTWIRE_INVALID_ARGUMENT');
    };
    expect(invalid({ text: 'завтра в 9', now: wed, timezone: 'Mars/Olympus' })).toBe(true);
    expect(invalid({ text: 'завтра в 9', now: wed, timezone: 'UTC+25:00' })).toBe(true);
    expect(invalid({ text: 'завтра в 9', now: 'yesterday', timezone: moscow })).toBe(true);
    expect(invalid({ text: 'завтра в 9', now: '2027-02-30T10:00:00Z', timezone: moscow })).toBe(
      true,
    );
    expect(invalid({ text: 'завтра в 9', now: '2027-03-10T10:00:00', timezone: moscow })).toBe(
      true,
    );
    const long = `завтра в 9 ${'а'.repeat(2_000)}`;
    expect(invalid({ text: long, now: wed, timezone: moscow })).toBe(true);
    const longest = `завтра в 9 ${'а'.repeat(2_000 - 11)}`;
    expect(longest).toHaveLength(2_000);
    expect(parseSchedule({ text: longest, now: wed, timezone: moscow }).kind).toBe('once');
    // A bad zone is an invalid argument even when the phrase is unclear too.
    expect(invalid({ text: 'когда-нибудь', now: wed, timezone: 'Nowhere/Town' })).toBe(true);
  });

  it('gives absolute times seconds 0 and keeps the seconds of now for offsets', () => {
    expect(parse('в 18:30').next[0]).toBe('2027-03-10T18:30:00+03:00');
    expect(parse('через 10 минут').next[0]).toBe('2027-03-10T14:30:35+03:00');
    expect(parse('in 10 minutes', '2027-03-10T14:20:35.250+03:00').next[0]).toBe(
      '2027-03-10T14:30:35.250+03:00',
    );
  });
});
