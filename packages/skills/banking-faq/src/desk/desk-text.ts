/** Texts of one part of the desk, in Russian and English, with `{name}` placeholders. */
export type DeskStrings<Key extends string> = Record<'ru' | 'en', Record<Key, string>>;

/**
 * The text for `key` in the locale, with placeholders filled in.
 *
 * @example
 * text(ticketStrings, 'ru', 'ticket.opened', { minutes: 10 })
 */
export function text<Key extends string>(
  strings: DeskStrings<Key>,
  locale: 'ru' | 'en',
  key: Key,
  params: Record<string, string | number> = {},
): string {
  return strings[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
