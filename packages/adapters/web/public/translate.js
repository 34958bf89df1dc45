// The chat page's translations: picking a language from what is known about the user, and
// looking strings up in the tables of public/locales (served as strings.js).

/**
 * The first candidate language the tables have (`ru-RU` matches `ru`), else English.
 *
 * @example
 * pickLanguage(strings, [undefined, 'ru-RU', 'en']) // → 'ru'
 */
export function pickLanguage(tables, candidates) {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || !candidate) continue;
    const tag = candidate.replace('_', '-').toLowerCase();
    if (Object.hasOwn(tables, tag)) return tag;
    const base = tag.split('-')[0];
    if (Object.hasOwn(tables, base)) return base;
  }
  return 'en';
}

/**
 * A lookup function for one language: `t('greeting.hello', { name: 'Ann' })`. A key the
 * language lacks falls back to English, then to the key itself; `{name}` is replaced by the
 * parameter's text (never parsed as HTML: the page puts strings in with textContent).
 */
export function translator(tables, language) {
  const table = tables[language] ?? {};
  const english = tables.en ?? {};
  return (key, parameters = {}) => {
    const template = table[key] ?? english[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      Object.hasOwn(parameters, name) ? String(parameters[name]) : whole,
    );
  };
}

const attributes = {
  i18nPlaceholder: 'placeholder',
  i18nAriaLabel: 'aria-label',
  i18nTitle: 'title',
};

/**
 * Translates the page's fixed labels: `data-i18n` sets the text, `data-i18n-placeholder`,
 * `data-i18n-aria-label` and `data-i18n-title` set those attributes.
 */
export function translatePage(root, t) {
  for (const element of root.querySelectorAll('[data-i18n]'))
    element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll(
    '[data-i18n-placeholder], [data-i18n-aria-label], [data-i18n-title]',
  ))
    for (const [name, attribute] of Object.entries(attributes))
      if (element.dataset[name]) element.setAttribute(attribute, t(element.dataset[name]));
}
