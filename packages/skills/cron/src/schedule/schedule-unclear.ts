import { BotwireError } from '@botwire/core';

/** Why a phrase could not be read as a time without guessing. */
export type UnclearReason =
  | 'no-time'
  | 'vague'
  | 'invalid-time'
  | 'invalid-date'
  | 'past'
  | 'conflict'
  | 'incomplete-repeat'
  | 'unsupported-repeat'
  | 'missing-day';

/** The language of the phrase, for the question asked back. */
export type PhraseLanguage = 'ru' | 'en';

const questions: Record<UnclearReason, Record<PhraseLanguage, (fragment: string) => string>> = {
  'no-time': {
    ru: () => 'Когда напомнить? Назовите дату или время, например «завтра в 9:00».',
    en: () => 'When should I remind you? Give a date or a time, such as "tomorrow at 9:00".',
  },
  vague: {
    ru: (fragment) =>
      `Когда именно напомнить${quote(fragment, 'ru', ' — ')}? Назовите точные дату и время.`,
    en: (fragment) => `When exactly${quote(fragment, 'en', ': ')}? Give the exact date and time.`,
  },
  'invalid-time': {
    ru: (fragment) => `Такого времени нет${quote(fragment, 'ru', ': ')}. Во сколько напомнить?`,
    en: (fragment) =>
      `There is no such time${quote(fragment, 'en', ': ')}. What time should I remind you?`,
  },
  'invalid-date': {
    ru: (fragment) => `Такой даты нет${quote(fragment, 'ru', ': ')}. Какого числа напомнить?`,
    en: (fragment) =>
      `There is no such date${quote(fragment, 'en', ': ')}. On what date should I remind you?`,
  },
  past: {
    ru: (fragment) => `Это время уже прошло${quote(fragment, 'ru', ': ')}. Когда напомнить?`,
    en: (fragment) =>
      `That time has already passed${quote(fragment, 'en', ': ')}. When should I remind you?`,
  },
  conflict: {
    ru: (fragment) =>
      `Не понял, когда именно${quote(fragment, 'ru', ': ')}. Назовите одну дату и одно время.`,
    en: (fragment) =>
      `I could not tell which time you mean${quote(fragment, 'en', ': ')}. Give one date and one time.`,
  },
  'incomplete-repeat': {
    ru: () => 'Как часто повторять? Например: «каждый день в 9:00» или «по понедельникам».',
    en: () => 'How often should it repeat? For example "every day at 9:00" or "every Monday".',
  },
  'unsupported-repeat': {
    ru: (fragment) =>
      `Такой повтор${quote(fragment, 'ru', ' ')} я не умею. Подойдёт каждый день, по дням недели, каждые N минут или часов, каждый месяц или каждый год?`,
    en: (fragment) =>
      `I cannot repeat like that${quote(fragment, 'en', ' ')}. Would every day, certain weekdays, every N minutes or hours, every month or every year do?`,
  },
  'missing-day': {
    ru: () =>
      'В какой день повторять? Например: «каждый понедельник», «каждый месяц 15-го числа» или «каждый год 25 декабря».',
    en: () =>
      'On which day should it repeat? For example "every Monday", "every month on the 15th" or "every year on December 25".',
  },
};

function quote(fragment: string, language: PhraseLanguage, before: string): string {
  if (!fragment) return '';
  return language === 'ru' ? `${before}«${fragment}»` : `${before}"${fragment}"`;
}

/**
 * The error for a phrase the parser must not guess: its message is the question to ask the
 * user, in the phrase's language; `details.reason` says what was unclear.
 */
export function scheduleUnclear(
  reason: UnclearReason,
  language: PhraseLanguage,
  fragment = '',
): BotwireError {
  const text = fragment.trim();
  return new BotwireError('BOTWIRE_SCHEDULE_UNCLEAR', {
    message: questions[reason][language](text),
    details: { reason, ...(text ? { fragment: text } : {}) },
  });
}
