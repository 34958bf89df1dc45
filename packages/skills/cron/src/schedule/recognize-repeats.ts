import type { PhraseScan } from './phrase-scan';
import type { FoundRepeat, FoundTimes, Unclear } from './recognize-schedule';
import {
  englishMonthPattern,
  numberPattern,
  numberValue,
  ordinal,
  partOfDayValue,
  russianMonthPattern,
  russianOrdinal,
  unitPattern,
  unitValue,
  weekdayPattern,
  weekdayValue,
} from './schedule-words';

const allDays = [1, 2, 3, 4, 5, 6, 7];

/**
 * Reads repetitions ("каждый день", "по будням", "every Tuesday and Thursday", "каждые 2 часа",
 * "каждый месяц 15-го числа", the marker of "каждый год") into `found.repeats`; refuses the
 * ones with no calendar rule ("every 2 weeks").
 */
export function recognizeRepeats(scan: PhraseScan, found: FoundTimes, unclear: Unclear): void {
  const add = (repeat: FoundRepeat) => found.repeats.push(repeat);
  // Every N units: minutes and hours are intervals; days, weeks, months need a calendar rule.
  scan.take(
    `(?:каждые|каждый|каждую|каждое|раз\\s+в|every|each)\\s+(${numberPattern}|полчаса|пол\\s+часа|other|second|втор(?:ой|ую|ое|ые))\\s*(${unitPattern})`,
    (match) => {
      const unit = unitValue(match[2]!);
      const amount = /^(?:полчаса|пол\s+часа)$/.test(match[1]!) ? 0.5 : numberValue(match[1]!);
      if (unit === 'minute' || unit === 'hour' || unit === 'second') {
        const minutes = amount * { second: 1 / 60, minute: 1, hour: 60 }[unit];
        if (!Number.isFinite(minutes) || minutes <= 0) throw unclear('invalid-time', match[0]);
        if (!Number.isInteger(minutes)) throw unclear('unsupported-repeat', match[0]);
        add({ kind: 'interval', minutes, text: match[0] });
        return;
      }
      if (amount === 1) {
        if (unit === 'day') add({ kind: 'weekly', weekdays: allDays, text: match[0] });
        else if (unit === 'week') add({ kind: 'week', text: match[0] });
        else if (unit === 'month') add({ kind: 'monthly', text: match[0] });
        else add({ kind: 'yearly', text: match[0] });
        return;
      }
      throw unclear('unsupported-repeat', match[0]);
    },
  );
  scan.take('every\\s+fortnight|fortnightly|biweekly|bimonthly', (match) => {
    throw unclear('unsupported-repeat', match[0]);
  });
  scan.take(
    '(каждый\\s+час|ежечасно|раз\\s+в\\s+час|every\\s+hour|hourly)|(каждую\\s+минуту|ежеминутно|every\\s+minute)|(каждые\\s+(?:полчаса|пол\\s+часа)|раз\\s+в\\s+полчаса|every\\s+half(?:\\s+an|-an|-)?\\s*hour)',
    (match) => {
      add({ kind: 'interval', minutes: match[1] ? 60 : match[2] ? 1 : 30, text: match[0] });
    },
  );
  // Every morning, every evening: daily at that part of the day.
  scan.take(
    '(?:каждое|каждый|каждую|по)\\s+(утро|утрам|вечер|вечерам|ночь|ночам)|(?:every|each)\\s+(morning|afternoon|evening|night)|(nightly)',
    (match) => {
      const word = match[1] ?? match[2] ?? match[3] ?? '';
      add({ kind: 'weekly', weekdays: allDays, partOfDay: partOfDayValue(word), text: match[0] });
    },
  );
  scan.take(
    'каждый\\s+(?:божий\\s+)?день|ежедневно|каждодневно|каждые\\s+сутки|раз\\s+в\\s+день|every\\s*day|each\\s+day|daily',
    (match) => {
      add({ kind: 'weekly', weekdays: allDays, text: match[0] });
    },
  );
  scan.take(
    'по\\s+будням|по\\s+будним\\s+дням|по\\s+рабочим\\s+дням|(?:каждый|в)\\s+(?:будний|рабочий)\\s+день|в\\s+будни(?:е\\s+дни)?|(?:every|each)\\s+(?:weekday|work\\s*day|working\\s+day|business\\s+day)|on\\s+(?:weekdays|workdays|working\\s+days)|weekdays',
    (match) => {
      add({ kind: 'weekly', weekdays: [1, 2, 3, 4, 5], text: match[0] });
    },
  );
  scan.take(
    'по\\s+выходным(?:\\s+дням)?|каждые\\s+выходные|(?:every|each)\\s+weekend|on\\s+weekends|at\\s+weekends|weekends',
    (match) => {
      add({ kind: 'weekly', weekdays: [6, 7], text: match[0] });
    },
  );
  // Lists of weekdays: "каждый понедельник", "по понедельникам и средам", "every Tuesday and Thursday".
  const englishPlural = `(?:${weekdayPattern})s`;
  const join = (words: string) =>
    `(?:\\s*,\\s*(?:и\\s+|and\\s+)?|\\s+и\\s+|\\s+and\\s+|\\s*&\\s*)(?:(?:${words})\\s+)?`;
  const russianEvery = 'каждый|каждую|каждое|по';
  const list = (head: string, item: string, words: string) =>
    `(?:${head})\\s+${item}(?:${join(words)}${item})*`;
  const weeklyList = (match: RegExpExecArray) => {
    const weekdays = [
      ...match[0].matchAll(new RegExp(`(?:${weekdayPattern})s?(?![\\p{L}])`, 'gu')),
    ].map((day) => weekdayValue(day[0]));
    add({
      kind: 'weekly',
      weekdays: [...new Set(weekdays)].sort((a, b) => a - b),
      text: match[0],
    });
  };
  scan.take(list(russianEvery, weekdayPattern, russianEvery), weeklyList);
  scan.take(list('every|each', `${weekdayPattern}s?`, 'every|each|on'), weeklyList);
  scan.take(`(?:on\\s+)?${englishPlural}(?:${join('on')}${englishPlural})*`, weeklyList);
  scan.take(
    'каждую\\s+неделю|еженедельно|раз\\s+в\\s+неделю|every\\s+week|each\\s+week|weekly',
    (match) => {
      add({ kind: 'week', text: match[0] });
    },
  );

  // Monthly on a day: "каждый месяц 15-го числа", "every month on the 15th".
  const dayOfMonth = (match: RegExpExecArray, text: string | undefined) => {
    const day = Number(text);
    if (!Number.isInteger(day) || day < 1 || day > 31) throw unclear('invalid-date', match[0]);
    add({ kind: 'monthly', day, text: match[0] });
  };
  const monthlyRu = '(?:каждый\\s+месяц|ежемесячно|раз\\s+в\\s+месяц)';
  scan.take(
    `${monthlyRu}\\s*,?\\s+(?:в\\s+)?(\\d{1,2})${russianOrdinal}?(?:\\s+числ[оа])?|каждое\\s+(\\d{1,2})${russianOrdinal}?\\s+число(?:\\s+(?:каждого\\s+)?месяца)?|(?:в\\s+)?(\\d{1,2})${russianOrdinal}?\\s+числа?\\s+(?:каждого\\s+месяца|${monthlyRu})`,
    (match) => dayOfMonth(match, match[1] ?? match[2] ?? match[3]),
  );
  scan.take(
    `(?:(?:every|each)\\s+month|monthly)\\s*,?\\s+on\\s+the\\s+(\\d{1,2})${ordinal}?(?:\\s+day)?|(?:on\\s+)?the\\s+(\\d{1,2})${ordinal}?(?:\\s+day)?\\s+of\\s+(?:every|each)\\s+month|(?:every|each)\\s+(\\d{1,2})${ordinal}(?:\\s+day)?(?:\\s+of\\s+the\\s+month)?`,
    (match) => dayOfMonth(match, match[1] ?? match[2] ?? match[3]),
  );
  scan.take(
    'каждый\\s+месяц|ежемесячно|раз\\s+в\\s+месяц|(?:every|each)\\s+month|monthly',
    (match) => {
      add({ kind: 'monthly', text: match[0] });
    },
  );
  // Yearly: the marker here, the date from the date rules ("каждый год 25 декабря").
  scan.take(
    'каждый\\s+год|ежегодно|раз\\s+в\\s+год|(?:every|each)\\s+year|annually|yearly',
    (match) => {
      add({ kind: 'yearly', text: match[0] });
    },
  );
  scan.take(
    `(?:каждое|every|each)(?=\\s+(?:\\d{1,2}${russianOrdinal}?\\s+${russianMonthPattern}|${englishMonthPattern}\\.?\\s+\\d|(?:the\\s+)?\\d{1,2}${ordinal}?\\s+(?:of\\s+)?${englishMonthPattern}))`,
    (match) => {
      add({ kind: 'yearly', text: match[0] });
    },
  );
}
