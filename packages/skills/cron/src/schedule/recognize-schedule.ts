import { consumedMark, type PhraseScan } from './phrase-scan';
import { recognizeRepeats } from './recognize-repeats';
import { type PhraseLanguage, scheduleUnclear } from './schedule-unclear';
import {
  englishMonthPattern,
  hourPattern,
  monthValue,
  numberPattern,
  numberValue,
  ordinal,
  type PartOfDay,
  partOfDayValue,
  russianMonthPattern,
  russianOrdinal,
  type TimeUnit,
  unitPattern,
  unitValue,
  weekdayPattern,
  weekdayValue,
} from './schedule-words';

/** A clock time found in the phrase. `adjustable`: a bare hour that a part of day may shift. */
export interface ClockTime {
  hour: number;
  minute: number;
  adjustable: boolean;
  /** Midnight: the one that ends the day it is said of. */
  midnight?: boolean;
  text: string;
}

/** A calendar date found in the phrase; `year` is absent when the phrase gives none. */
export interface CalendarDate {
  year?: number;
  month: number;
  day: number;
  text: string;
}

/** A repetition found in the phrase, before its time of day is known. */
export type FoundRepeat =
  | { kind: 'weekly'; weekdays: number[]; partOfDay?: PartOfDay; text: string }
  | { kind: 'interval'; minutes: number; text: string }
  | { kind: 'monthly'; day?: number; text: string }
  | { kind: 'yearly'; date?: CalendarDate; text: string }
  | { kind: 'week'; text: string };

/** Everything about time that the phrase says. */
export interface FoundTimes {
  repeats: FoundRepeat[];
  relatives: { amounts: { amount: number; unit: TimeUnit }[]; text: string }[];
  dates: CalendarDate[];
  dayOffsets: { days: number; text: string }[];
  weekdays: { weekday: number; text: string }[];
  times: ClockTime[];
  partsOfDay: { partOfDay: PartOfDay; text: string }[];
  /** A word such as "later" that says nothing exact; refused if nothing else gives a time. */
  vagueWord?: string;
  /** The phrase began with "remind me" and the task may start with a stray "to"/"about". */
  englishTrigger: boolean;
}

const minuteRu = '(?:\\s+(\\d{1,2})\\s+минут\\w*)?';

/** Reads every time expression of the phrase into {@link FoundTimes}, masking what it read. */
export function recognizeSchedule(scan: PhraseScan, language: PhraseLanguage): FoundTimes {
  const found: FoundTimes = {
    repeats: [],
    relatives: [],
    dates: [],
    dayOffsets: [],
    weekdays: [],
    times: [],
    partsOfDay: [],
    englishTrigger: false,
  };
  const unclear = (reason: Parameters<typeof scheduleUnclear>[0], text: string) =>
    scheduleUnclear(reason, language, text);

  // The request itself: "напомни мне", "remind me to", "поставь напоминание на".
  scan.take(
    '(?:поставь|создай|установи|сделай|добавь)(?:те)?\\s+(?:мне\\s+)?напоминание(?:\\s+на)?|напомина(?:й|йте)(?:\\s+мне)?|напомни(?:те)?(?:\\s+мне)?',
    () => true,
  );
  scan.take(
    '(?:remind\\s+me|(?:set|create|add)\\s+(?:a\\s+|me\\s+a\\s+)?reminder)(?:\\s+(?:to|about|for))?',
    () => {
      found.englishTrigger = true;
    },
  );

  // Vague times that cannot be made exact.
  const vague = scan.has(
    `через\\s+(?:несколько|пару|какое-то\\s+время|некоторое\\s+время|немного)(?:\\s+${unitPattern})?|на\\s+днях|в\\s+ближайшее\\s+время|in\\s+(?:a\\s+few|a\\s+couple(?:\\s+of)?|several|some|a\\s+number\\s+of)\\s+${unitPattern}|in\\s+a\\s+(?:while|bit|little\\s+while)|one\\s+of\\s+these\\s+days`,
  );
  if (vague) throw unclear('vague', vague[0]);
  // An offset from another day ("a week from Tuesday", "two days after Friday"): not read, so
  // asked about rather than half read.
  const anchored = scan.has(
    `(?:\\d+|${numberPattern}|an?)\\s+${unitPattern}\\s+(?:from|after|before)\\s+\\p{L}+`,
  );
  if (anchored) throw unclear('conflict', anchored[0]);

  recognizeRepeats(scan, found, unclear);
  recognizeRelatives(scan, found);
  recognizeDates(scan, found, unclear);
  recognizeDays(scan, found);
  recognizeTimes(scan, found, unclear);
  recognizePartsOfDay(scan, found);

  const every = scan.has(
    `(?:каждый|каждую|каждое|каждые|каждого|ежедневно|every|each)(?=\\s*(?:$|${consumedMark}|\\d|${numberPattern}(?![\\p{L}])|${unitPattern}(?![\\p{L}])|other|second|раз|втор))`,
  );
  if (every) throw unclear('incomplete-repeat', every[0]);
  const vagueWord = scan.has(
    'позже|попозже|потом|скоро|вскоре|когда-нибудь|когда-то|как-нибудь|later|soon|sometime|some\\s+time|some\\s*day|one\\s+day|at\\s+some\\s+point|in\\s+a\\s+moment|eventually',
  );
  if (vagueWord) found.vagueWord = vagueWord[0];
  // A day that has gone ("вчера в 9", "remind me yesterday at 9"), when nothing else names a day;
  // taken only beside the request or a time, so "…кто звонил вчера" in the task stays the task's.
  const named =
    found.repeats.length + found.relatives.length + found.dates.length + found.dayOffsets.length;
  if (named + found.weekdays.length === 0) {
    const gone = `позавчера|вчера|(?:the\\s+)?day\\s+before\\s+yesterday|yesterday|last\\s+night`;
    const past = scan.has(
      `(?:(?<=^\\s*)|(?<=${consumedMark}[\\s,]*))(?:${gone})|(?:${gone})(?=[\\s,]*${consumedMark})`,
    );
    if (past) throw unclear('past', past[0]);
  }
  return found;
}

export type Unclear = (reason: Parameters<typeof scheduleUnclear>[0], text: string) => Error;

function recognizeRelatives(scan: PhraseScan, found: FoundTimes): void {
  const halfRu = 'пол\\s*-?\\s*(?:часа|минуты|дня|недели|года)';
  const amountRu = `(?:${numberPattern})\\s+${unitPattern}|${halfRu}`;
  const firstRu = `${amountRu}|${unitPattern}`;
  const amountEn = `(?:${numberPattern}|an?)(?:\\s+and\\s+a\\s+half)?\\s+${unitPattern}(?:\\s+and\\s+a\\s+half)?|half\\s+an?\\s+${unitPattern}|a\\s+half\\s+${unitPattern}`;
  const chain = (first: string, amount: string, joiner: string) =>
    `(?:${first})(?:(?:\\s*,\\s*|\\s+${joiner}\\s+|\\s+)(?:${amount}))*`;
  const read = (text: string) => {
    const amounts: { amount: number; unit: TimeUnit }[] = [];
    const parts = text.matchAll(
      new RegExp(
        `(?:(${numberPattern}|an?|half\\s+an?|a\\s+half|пол)\\s*-?\\s*)?(?:(and\\s+a\\s+half)\\s+)?(${unitPattern})(\\s+and\\s+a\\s+half)?`,
        'gu',
      ),
    );
    for (const part of parts) {
      let amount =
        part[1] === undefined ? 1 : /half|пол/.test(part[1]) ? 0.5 : numberValue(part[1]);
      if (part[2] || part[4]) amount += 0.5;
      amounts.push({ amount, unit: unitValue(part[3]!) });
    }
    return amounts;
  };
  scan.take(`(?:через|спустя)\\s+(${chain(firstRu, amountRu, 'и')})`, (match) => {
    found.relatives.push({ amounts: read(match[1]!), text: match[0] });
  });
  const english = chain(amountEn, amountEn, 'and');
  scan.take(`(?:in|after)\\s+(${english})|(${english})\\s+from\\s+now`, (match) => {
    found.relatives.push({ amounts: read(match[1] ?? match[2]!), text: match[0] });
  });
}

function recognizeDates(scan: PhraseScan, found: FoundTimes, unclear: Unclear): void {
  const add = (match: RegExpExecArray, year: string | undefined, month: number, day: number) => {
    let fullYear = year === undefined ? undefined : Number(year);
    if (fullYear !== undefined && fullYear < 100) fullYear += 2000;
    const longest = month === 2 ? (fullYear === undefined || isLeap(fullYear) ? 29 : 28) : 31;
    const monthDays = [4, 6, 9, 11].includes(month) ? 30 : longest;
    if (month < 1 || month > 12 || day < 1 || day > monthDays) {
      throw unclear('invalid-date', match[0]);
    }
    found.dates.push({
      ...(fullYear === undefined ? {} : { year: fullYear }),
      month,
      day,
      text: match[0],
    });
  };
  const prefix = '(?:(?:на|к|до|с|on|by|for)\\s+)?';
  // "в 9.30" is a time, not a date, when it can be one.
  scan.take('(?:в|во|at|к|by)\\s+(\\d{1,2})\\.(\\d{2})(?![.,]?\\d)', (match) => {
    const hour = Number(match[1]);
    const minute = Number(match[2]);
    if (hour > 23 || minute > 59) return false;
    found.times.push({ hour, minute, adjustable: hour <= 12, text: match[0] });
  });
  scan.take(`${prefix}(\\d{4})-(\\d{1,2})-(\\d{1,2})`, (match) => {
    add(match, match[1], Number(match[2]), Number(match[3]));
  });
  // Not "2.5 кг": a number with a unit of measure is no date.
  const measure =
    '(?!\\s*(?:кг|г|л|мл|км|м|см|мм|руб|р|шт|kg|g|l|ml|km|m|cm|mm|lbs?|oz|%|\\$|€)(?![\\p{L}]))';
  scan.take(
    `${prefix}(\\d{1,2})\\.(\\d{1,2})(?:\\.(\\d{4}|\\d{2}))?(?![.,]?\\d)${measure}`,
    (match) => {
      add(match, match[3], Number(match[2]), Number(match[1]));
    },
  );
  scan.take(
    `${prefix}(\\d{1,2})${russianOrdinal}?\\s+(${russianMonthPattern})(?:\\s+(\\d{4})(?:\\s*(?:года|год|г\\.?))?)?`,
    (match) => {
      add(match, match[3], monthValue(match[2]!), Number(match[1]));
    },
  );
  scan.take(
    `${prefix}(${englishMonthPattern})\\.?\\s+(?:the\\s+)?(\\d{1,2})${ordinal}?(?:,?\\s+(\\d{4}))?|${prefix}(?:the\\s+)?(\\d{1,2})${ordinal}?\\s+(?:of\\s+)?(${englishMonthPattern})\\.?(?:,?\\s+(\\d{4}))?`,
    (match) => {
      if (match[1]) add(match, match[3], monthValue(match[1]), Number(match[2]));
      else add(match, match[6], monthValue(match[5]!), Number(match[4]));
    },
  );
}

function recognizeDays(scan: PhraseScan, found: FoundTimes): void {
  scan.take(
    '(?:на\\s+)?(послезавтра|завтра|сегодня)|(?:(?:on|for|by)\\s+)?(?:the\\s+)?(day\\s+after\\s+tomorrow)|(?:(?:for|by)\\s+)?(tomorrow|today)|(tonight)|this\\s+(morning|afternoon|evening)',
    (match) => {
      const word = match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5] ?? '';
      const days = /послезавтра|after/.test(word) ? 2 : /завтра|tomorrow/.test(word) ? 1 : 0;
      found.dayOffsets.push({ days, text: match[0] });
      if (match[4] || match[5]) {
        found.partsOfDay.push({ partOfDay: partOfDayValue(word), text: match[0] });
      }
    },
  );
  scan.take(
    `(?:(?:в|во|на)\\s+)?(?:(?:эт(?:у|от|о)|следующ(?:ую|ий|ее)|ближайш(?:ую|ий|ее))\\s+)?(${weekdayPattern})|(?:(?:on|by|for)\\s+)?(?:(?:this|next|coming|this\\s+coming)\\s+)?(${weekdayPattern})`,
    (match) => {
      found.weekdays.push({ weekday: weekdayValue(match[1] ?? match[2]!), text: match[0] });
    },
  );
}

function recognizeTimes(scan: PhraseScan, found: FoundTimes, unclear: Unclear): void {
  const push = (time: ClockTime) => found.times.push(time);
  const hourOf = (match: RegExpExecArray, text: string) => {
    const hour = numberValue(text);
    if (!Number.isInteger(hour)) throw unclear('invalid-time', match[0]);
    return hour;
  };
  const minuteOf = (match: RegExpExecArray, text: string | undefined) => {
    const minute = text === undefined ? 0 : Number(text);
    if (minute > 59) throw unclear('invalid-time', match[0]);
    return minute;
  };
  const at = '(?:(?:at|by|around|в|во|к)\\s+)?';
  // 12-hour clock: "7pm", "7:30 am", "at five p.m.".
  scan.take(
    `${at}(${hourPattern})(?:[:.](\\d{2}))?\\s*(a\\.?\\s?m\\.?|p\\.?\\s?m\\.?)(?![\\p{L}])`,
    (match) => {
      const hour = hourOf(match, match[1]!);
      const minute = minuteOf(match, match[2]);
      if (hour < 1 || hour > 12) throw unclear('invalid-time', match[0]);
      const pm = match[3]!.startsWith('p');
      push({ hour: (hour % 12) + (pm ? 12 : 0), minute, adjustable: false, text: match[0] });
    },
  );
  // With the part of the day: "в 7 вечера", "в час ночи", "at 7 in the evening".
  scan.take(
    `(?:(?:в|во|к)\\s+)?(?:(${hourPattern})(?:[:.](\\d{2}))?(?:\\s+час(?:а|ов)?)?|(час))\\s+(утра|дня|вечера|ночи)|${at}(${hourPattern})(?::(\\d{2}))?(?:\\s+o'?clock)?\\s+(?:in\\s+the\\s+(morning|afternoon|evening)|at\\s+(night))`,
    (match) => {
      if (/^\S+\s+(?:дня|ночи)$/u.test(match[0])) return false; // "на 2 дня" is two days
      const hour = match[3] ? 1 : hourOf(match, match[1] ?? match[5]!);
      const minute = minuteOf(match, match[2] ?? match[6]);
      const partOfDay = partOfDayValue(match[4] ?? match[7] ?? match[8]!);
      const shifted = withPartOfDay(hour, partOfDay, true);
      if (shifted === undefined) throw unclear('invalid-time', match[0]);
      const midnight = shifted === 24;
      push({ hour: midnight ? 0 : shifted, minute, adjustable: false, midnight, text: match[0] });
    },
  );
  // 24-hour clock: "в 18:30", "at 18:30".
  scan.take(
    `(?:(?:at|by|around|в|во|к|на|@)\\s*)?(\\d{1,2}):(\\d{1,2})(?!\\d)(?:\\s*(?:часов|ч\\.?|h))?`,
    (match) => {
      const hour = Number(match[1]);
      const minute = Number(match[2]);
      if (hour > 23 || minute > 59 || match[2]!.length !== 2)
        throw unclear('invalid-time', match[0]);
      push({ hour, minute, adjustable: hour <= 12 && !match[1]!.startsWith('0'), text: match[0] });
    },
  );
  // Noon and midnight.
  scan.take(`${at}(?:12\\s+)?(полдень|полночь|noon|midday|midnight)`, (match) => {
    const midnight = /полночь|midnight/.test(match[1]!);
    push({ hour: midnight ? 0 : 12, minute: 0, adjustable: false, midnight, text: match[0] });
  });
  // A bare hour after a preposition: "в 9", "в 9 часов", "at 7", "at 7 o'clock".
  scan.take(
    `(?:в|во|к)\\s+(${hourPattern})(?:\\s+час(?:а|ов)?)?${minuteRu}(?!\\s*(?:раз|%|процент|руб|человек|штук|кг|км|\\$|€))|(?:at|by|around)\\s+(${hourPattern})(?:\\s+o'?clock)?(?!\\s*(?:%|\\$|€|percent))`,
    (match) => {
      const hour = hourOf(match, match[1] ?? match[3]!);
      const minute = minuteOf(match, match[2]);
      if (hour > 23) throw unclear('invalid-time', match[0]);
      push({ hour, minute, adjustable: hour <= 12, text: match[0] });
    },
  );
}

function recognizePartsOfDay(scan: PhraseScan, found: FoundTimes): void {
  scan.take(
    `(утром|с\\s+утра|поутру|(?<!с\\s)дн[её]м(?!\\s+рождени)|в\\s+обед|в\\s+обеденное\\s+время|вечером|ночью)|in\\s+the\\s+(morning|afternoon|evening)|at\\s+(night|lunch)(?:\\s*time)?|(?<=${consumedMark}\\s{0,3})(morning|afternoon|evening|night)`,
    (match) => {
      const word = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
      found.partsOfDay.push({ partOfDay: partOfDayValue(word), text: match[0] });
    },
  );
}

/**
 * The 24-hour hour of `hour` said with a part of the day ("7 вечера" → 19); 24 stands for
 * midnight. `strict`: the part of the day is part of the time itself, so a contradiction
 * ("13 утра") is undefined rather than ignored.
 */
export function withPartOfDay(
  hour: number,
  partOfDay: PartOfDay,
  strict: boolean,
): number | undefined {
  if (hour < 0 || hour > 23) return undefined;
  if (hour > 12) {
    if (partOfDay === 'morning') return strict ? undefined : hour;
    return hour;
  }
  switch (partOfDay) {
    case 'morning':
      return hour;
    case 'afternoon':
      if (hour === 0) return strict ? undefined : hour;
      return hour <= 6 ? hour + 12 : hour;
    case 'evening':
      if (hour === 0) return strict ? undefined : hour;
      return hour === 12 ? 24 : hour + 12;
    case 'night':
      if (hour === 12 || hour === 0) return 24;
      return hour <= 5 ? hour : hour + 12;
  }
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
