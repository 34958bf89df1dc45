/**
 * The words the schedule parser knows, as regular-expression sources (lower case, `ё` read as
 * `е`) and the tables that turn a match into a number.
 */

const numberWords: Record<string, number> = {
  ноль: 0,
  один: 1,
  одна: 1,
  одну: 1,
  одного: 1,
  два: 2,
  две: 2,
  три: 3,
  четыре: 4,
  пять: 5,
  шесть: 6,
  семь: 7,
  восемь: 8,
  девять: 9,
  десять: 10,
  одиннадцать: 11,
  двенадцать: 12,
  тринадцать: 13,
  четырнадцать: 14,
  пятнадцать: 15,
  шестнадцать: 16,
  семнадцать: 17,
  восемнадцать: 18,
  девятнадцать: 19,
  двадцать: 20,
  тридцать: 30,
  сорок: 40,
  пятьдесят: 50,
  шестьдесят: 60,
  полтора: 1.5,
  полторы: 1.5,
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
};

const tens = ['двадцать', 'тридцать', 'сорок', 'пятьдесят', 'twenty', 'thirty', 'forty', 'fifty'];
const units = Object.keys(numberWords).filter((word) => {
  const value = numberWords[word] ?? 0;
  return value >= 1 && value <= 9 && Number.isInteger(value);
});

const byLength = (words: string[]) => [...words].sort((a, b) => b.length - a.length).join('|');

/** A whole number in words: a number word, or tens and units ("двадцать пять", "twenty-five"). */
export const numberWordPattern = `(?:(?:${byLength(tens)})(?:[\\s-]+(?:${byLength(units)}))?|${byLength(Object.keys(numberWords))})`;

/** A number: digits (with a decimal part) or words. */
export const numberPattern = `(?:\\d+(?:[.,]\\d+)?|${numberWordPattern})`;

const notHours = new Set(['одна', 'одну', 'одного', 'две', 'полтора', 'полторы', 'ноль', 'zero']);

/** An hour of the clock: one or two digits, or words ("в пять", "at seven"). */
export const hourPattern = `(?:\\d{1,2}|(?:${byLength(tens)})(?:[\\s-]+(?:${byLength(units.filter((word) => !notHours.has(word)))}))?|${byLength(Object.keys(numberWords).filter((word) => !notHours.has(word)))})`;

/** The value of a match of {@link numberPattern}; `a`/`an` count as 1. */
export function numberValue(text: string): number {
  const trimmed = text.trim();
  if (/^\d/.test(trimmed)) return Number(trimmed.replace(',', '.'));
  if (trimmed === 'a' || trimmed === 'an') return 1;
  return trimmed.split(/[\s-]+/).reduce((sum, word) => sum + (numberWords[word] ?? Number.NaN), 0);
}

/** Weekday names, 1 = Monday, in every inflection the parser accepts. */
export const weekdayWords: [number, string][] = [
  [1, 'понедельник(?:а|у|ом|е|и|ам|ами|ах)?|monday'],
  [2, 'вторник(?:а|у|ом|е|и|ам|ами|ах)?|tuesday'],
  [3, 'сред(?:а|у|ы|е|ой|ам|ами|ах)|wednesday'],
  [4, 'четверг(?:а|у|ом|е|и|ам|ами|ах)?|thursday'],
  [5, 'пятниц(?:а|у|ы|е|ей|ам|ами|ах)|friday'],
  [6, 'суббот(?:а|у|ы|е|ой|ам|ами|ах)|saturday'],
  [7, 'воскресень(?:е|я|ю|ем|ям|ями|ях)|sunday'],
];

/** Any weekday name (singular; English plurals are added where a rule accepts them). */
export const weekdayPattern = `(?:${weekdayWords.map(([, words]) => words).join('|')})`;

/** The weekday (1 = Monday) a weekday word names, English plurals included. */
export function weekdayValue(word: string): number {
  const singular = word.replace(/(day)s$/, '$1');
  for (const [weekday, words] of weekdayWords) {
    if (new RegExp(`^(?:${words})$`, 'u').test(singular)) return weekday;
  }
  return 0;
}

const monthWords: [number, string][] = [
  [1, 'января|january|jan'],
  [2, 'февраля|february|feb'],
  [3, 'марта|march|mar'],
  [4, 'апреля|april|apr'],
  [5, 'мая|may'],
  [6, 'июня|june|jun'],
  [7, 'июля|july|jul'],
  [8, 'августа|august|aug'],
  [9, 'сентября|september|sept|sep'],
  [10, 'октября|october|oct'],
  [11, 'ноября|november|nov'],
  [12, 'декабря|december|dec'],
];

/** Russian month names in the genitive ("25 декабря"). */
export const russianMonthPattern = `(?:${monthWords.map(([, words]) => words.split('|')[0]).join('|')})`;

/** English month names and their abbreviations. */
export const englishMonthPattern = `(?:${monthWords
  .flatMap(([, words]) => words.split('|').slice(1))
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

/** The month (1–12) a month word names. */
export function monthValue(word: string): number {
  const plain = word.replace(/\.$/, '');
  for (const [month, words] of monthWords) {
    if (words.split('|').includes(plain)) return month;
  }
  return 0;
}

/** An English ordinal ending ("25th"). */
export const ordinal = '(?:st|nd|rd|th)';

/** A Russian ordinal ending ("25-го", "30-е"). */
export const russianOrdinal = '(?:-?(?:го|е|ое|ого))';

/** Time units of relative phrases, with what one of them is. */
export type TimeUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

const unitWords: [TimeUnit, string][] = [
  ['second', 'секунд[уы]?|сек|seconds?|secs?'],
  ['minute', 'минут[уы]?|минутк[уи]|мин|minutes?|mins?'],
  ['hour', 'час(?:а|ов|ик)?|hours?|hrs?'],
  ['day', 'день|дня|дней|сутки|суток|days?'],
  ['week', 'недел(?:ю|и|я)|недель|weeks?'],
  ['month', 'месяц(?:а|ев)?|months?'],
  ['year', 'год(?:а)?|лет|years?'],
];

/** Any time unit word. */
export const unitPattern = `(?:${unitWords.map(([, words]) => words).join('|')})`;

/** The unit a unit word names. */
export function unitValue(word: string): TimeUnit {
  for (const [unit, words] of unitWords) {
    if (new RegExp(`^(?:${words})$`, 'u').test(word)) return unit;
  }
  throw new Error(`Not a time unit: ${word}`);
}

/** A part of the day and the hour it stands for when no clock time is given. */
export type PartOfDay = 'morning' | 'afternoon' | 'evening' | 'night';

export const partOfDayHours: Record<PartOfDay, number> = {
  morning: 9,
  afternoon: 13,
  evening: 19,
  night: 23,
};

/** The part of the day a word names (утром, вечера, evening, ...). */
export function partOfDayValue(word: string): PartOfDay {
  if (/утр|morning/.test(word)) return 'morning';
  if (/дн|обед|afternoon|lunch/.test(word)) return 'afternoon';
  if (/веч|evening|tonight/.test(word)) return 'evening';
  return 'night';
}
