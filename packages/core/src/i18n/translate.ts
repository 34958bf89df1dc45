/** The languages Botwire ships strings in. */
export type Locale = 'en' | 'ru';

/** Strings by locale and key. `{name}` in a string is replaced by the `name` parameter. */
export type StringTable = Partial<Record<Locale, Record<string, string>>>;

/** `ru-RU`, `RU`, `uk` → a supported locale; anything unknown → `fallback`. */
export function normalizeLocale(tag: string | undefined, fallback: Locale = 'en'): Locale {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  if (base === 'ru' || base === 'uk' || base === 'be' || base === 'kk') return 'ru';
  if (base === 'en') return 'en';
  return fallback;
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
 * Looks a key up in the locale's table, then in English, then returns the key itself
 * (so a missing string shows up as its key instead of as nothing).
 */
export function translate(
  table: StringTable,
  locale: Locale,
  key: string,
  params?: Record<string, string | number>,
): string {
  const template = table[locale]?.[key] ?? table.en?.[key] ?? key;
  return interpolate(template, params);
}

/** A locale read off the text itself, for users whose platform reports none: Cyrillic → `ru`. */
export function guessLocale(text: string): Locale | undefined {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return undefined;
  const cyrillic = letters.filter((letter) => /\p{Script=Cyrillic}/u.test(letter)).length;
  return cyrillic * 2 >= letters.length ? 'ru' : undefined;
}
