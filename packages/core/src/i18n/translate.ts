import type { Locale } from './locale';
import { scriptLanguage } from './locale-script';

export type { Locale } from './locale';

/** Strings by locale and key: `{ en: { hi: 'Hi {name}' }, de: { hi: 'Hallo {name}' } }`. `{name}` is replaced by the `name` parameter. */
export type StringTable = {
  readonly [locale: Locale]: Readonly<Record<string, string>> | undefined;
};

/** Texts by locale with English always there: `{ en: 'Search the web', de: 'Im Web suchen' }`. */
export type LocalizedText = { readonly en: string; readonly [locale: Locale]: string };

/** The language every lookup falls back to. */
export const fallbackLocale: Locale = 'en';

/**
 * Languages whose speakers usually read another one that tables are likelier to have, tried
 * before English: a Ukrainian user sees Russian strings when a table has no Ukrainian.
 */
const relatedLocales: Readonly<Record<Locale, readonly Locale[]>> = {
  uk: ['ru'],
  be: ['ru'],
  kk: ['ru'],
};

/** `ru-RU`, `RU`, `de_AT` → `ru`, `ru`, `de`: the language of a BCP-47 tag; anything that is not a tag → `fallback`. */
export function normalizeLocale(
  tag: string | undefined,
  fallback: Locale = fallbackLocale,
): Locale {
  return languageOf(tag) ?? languageOf(fallback) ?? fallback;
}

/** The lower-case language subtag of a BCP-47 tag, or undefined when it is not one. */
function languageOf(tag: string | undefined): Locale | undefined {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return /^[a-z]{2,3}$/.test(base) ? base : undefined;
}

/** The locales to look a string up in, best first: the locale itself, its related languages, then English. */
export function localeChain(locale: Locale): Locale[] {
  return [...new Set([locale, ...(relatedLocales[locale] ?? []), fallbackLocale])];
}

/**
 * The text for `locale` from a value that is either one text for every language or texts by
 * locale (`{ en: 'Search the web', de: 'Im Web suchen' }`), following {@link localeChain}.
 */
export function localizedText(
  value: string | Readonly<Record<Locale, string>>,
  locale: Locale,
): string {
  if (typeof value === 'string') return value;
  for (const each of localeChain(locale)) if (value[each]) return value[each];
  return Object.values(value)[0] ?? '';
}

/** Replaces `{name}` placeholders with parameters. Unknown placeholders stay as written. */
export function interpolate(
  template: string,
  params: Record<string, string | number> = {},
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * Looks a key up in the locale's table, then in its related languages' and in English, then
 * returns the key itself (so a missing string shows up as its key instead of as nothing).
 */
export function translate(
  table: StringTable,
  locale: Locale,
  key: string,
  params?: Record<string, string | number>,
): string {
  let template = key;
  for (const each of localeChain(locale)) {
    const found = table[each]?.[key];
    if (found !== undefined) {
      template = found;
      break;
    }
  }
  return interpolate(template, params);
}

/**
 * A locale read off the text itself, for users whose platform reports none: the usual
 * language of the script most of its letters are in (Cyrillic → `ru`, Greek → `el`). Latin
 * letters say nothing (many languages share them), so `undefined`.
 */
export function guessLocale(text: string): Locale | undefined {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return undefined;
  const counts = new Map<Locale, number>();
  for (const letter of letters) {
    const language = scriptLanguage(letter);
    if (language) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best && best[1] * 2 >= letters.length ? best[0] : undefined;
}
