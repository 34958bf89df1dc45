import { readdirSync, readFileSync } from 'node:fs';
import { BotwireError } from '@botwire/core';

/** The chat page's strings: one flat table per language, `{ en: { 'composer.send': 'Send' } }`. */
export type PageStrings = Record<string, Record<string, string>>;

const localeFile = /^([a-z]{2,3}(?:-[A-Za-z0-9]{1,8})?)\.json$/;

/**
 * Reads the chat page's string tables from `public/locales/<language>.json`. A language is a
 * data file: add `de.json` with the keys of `en.json` and the page offers German. English is
 * the reference: every table must be flat strings, and may not have keys English lacks (a
 * missing key falls back to English on the page).
 *
 * @example
 * loadPageStrings(new URL('../public/locales/', import.meta.url)).ru['composer.send'] // → 'Отправить'
 */
export function loadPageStrings(folder: URL): PageStrings {
  const tables: PageStrings = {};
  for (const name of readdirSync(folder).sort()) {
    const match = localeFile.exec(name);
    if (!match?.[1]) continue;
    const table: unknown = JSON.parse(readFileSync(new URL(name, folder), 'utf8'));
    if (
      typeof table !== 'object' ||
      table === null ||
      Array.isArray(table) ||
      Object.values(table).some((value) => typeof value !== 'string')
    )
      throw invalid(`${name} must be a JSON object of strings.`);
    tables[match[1]] = table as Record<string, string>;
  }
  const english = tables.en;
  if (!english) throw invalid('en.json is missing: English is the reference table.');
  for (const [language, table] of Object.entries(tables)) {
    const unknown = Object.keys(table).filter((key) => !(key in english));
    if (unknown.length > 0)
      throw invalid(`${language}.json has keys en.json lacks: ${unknown.join(', ')}.`);
  }
  return tables;
}

function invalid(message: string): BotwireError {
  return new BotwireError('BOTWIRE_ADAPTER_FAILED', {
    message: `The web chat's strings are invalid: ${message}`,
    hint: 'Fix the file in the web adapter package under public/locales/.',
  });
}
