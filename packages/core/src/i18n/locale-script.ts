import type { Locale } from './locale';

/**
 * The usual language of each script that (mostly) one language writes in. Latin is not here:
 * English, German and most others share it, so a Latin letter says nothing about the language.
 */
const languageOfScript: ReadonlyArray<readonly [RegExp, Locale]> = [
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Armenian}/u, 'hy'],
  [/\p{Script=Georgian}/u, 'ka'],
  [/\p{Script=Devanagari}/u, 'hi'],
];

/** The usual language of a letter's script (`я` → `ru`), or undefined for Latin and scripts not listed. */
export function scriptLanguage(letter: string): Locale | undefined {
  for (const [pattern, locale] of languageOfScript) if (pattern.test(letter)) return locale;
  return undefined;
}

/** ISO 15924 scripts that stand for several Unicode scripts. */
const compositeScripts: Readonly<Record<string, string[]>> = {
  Hans: ['Han'],
  Hant: ['Han'],
  Jpan: ['Han', 'Hiragana', 'Katakana'],
  Kore: ['Hangul', 'Han'],
};

const scriptPatterns = new Map<Locale, RegExp | null>();

/**
 * A pattern that finds a letter of the script `locale` is written in (`de` → Latin,
 * `ru` → Cyrillic, `ja` → Han or kana), from the likely-subtags data of `Intl.Locale`;
 * null when the runtime does not know the language.
 */
export function localeLetters(locale: Locale): RegExp | null {
  let pattern = scriptPatterns.get(locale);
  if (pattern !== undefined) return pattern;
  pattern = null;
  try {
    const script = new Intl.Locale(locale).maximize().script;
    if (script) {
      const scripts = compositeScripts[script] ?? [script];
      pattern = new RegExp(`[${scripts.map((each) => `\\p{Script=${each}}`).join('')}]`, 'u');
    }
  } catch {
    // Not a tag Intl knows, or a script JavaScript has no property for: null.
  }
  scriptPatterns.set(locale, pattern);
  return pattern;
}

/** True when the text has a letter of the script `locale` is written in: "wie geht's" is in the script of `de` and of `en`. */
export function writtenInScriptOf(text: string, locale: Locale): boolean {
  return localeLetters(locale)?.test(text) ?? false;
}
