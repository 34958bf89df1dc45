import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { pickLanguage, translator } from '../public/translate.js';
import { loadPageStrings } from './page-strings';

const shipped = loadPageStrings(new URL('../public/locales/', import.meta.url));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A folder of locale files, as a URL ending in `/`. */
function localeFolder(files: Record<string, unknown>): URL {
  const folder = mkdtempSync(join(tmpdir(), 'botwire-web-locales-'));
  folders.push(folder);
  for (const [name, content] of Object.entries(files))
    writeFileSync(
      join(folder, name),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  return pathToFileURL(`${folder}/`);
}

describe('the chat page strings', () => {
  it('ship English and Russian, each with every key and the same placeholders', () => {
    expect(Object.keys(shipped).sort()).toEqual(['en', 'ru']);
    const english = shipped.en!;
    for (const [language, table] of Object.entries(shipped)) {
      expect(Object.keys(table).sort(), language).toEqual(Object.keys(english).sort());
      for (const [key, text] of Object.entries(table)) {
        expect(text.trim(), `${language} ${key}`).not.toBe('');
        expect(placeholders(text).sort(), `${language} ${key}`).toEqual(
          placeholders(english[key]!).sort(),
        );
      }
    }
  });

  it('cover every label the page marks for translation', () => {
    const page = readFileSync(new URL('../public/index.html', import.meta.url), 'utf8');
    const script = readFileSync(new URL('../public/chat.js', import.meta.url), 'utf8');
    const keys = [
      ...page.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g),
      ...script.matchAll(/(?:t\(|fail\(|setStatus\('\w+', )'([a-zA-Z]+\.[a-zA-Z]+)'/g),
    ].map((match) => match[1]!);
    expect(keys.length).toBeGreaterThan(15);
    for (const key of keys) expect(shipped.en, key).toHaveProperty([key]);
  });

  it('take a third language as a data file, and refuse a malformed one', () => {
    const english = { 'composer.send': 'Send', 'greeting.hello': 'Hello, {name}!' };
    const tables = loadPageStrings(
      localeFolder({
        'en.json': english,
        'de.json': { 'composer.send': 'Senden' },
        'notes.txt': 'x',
      }),
    );
    expect(Object.keys(tables).sort()).toEqual(['de', 'en']);
    const german = translator(tables, pickLanguage(tables, ['de-AT']));
    expect(german('composer.send')).toBe('Senden');
    // A key German lacks falls back to English.
    expect(german('greeting.hello', { name: 'Jo' })).toBe('Hello, Jo!');

    expect(() =>
      loadPageStrings(localeFolder({ 'en.json': english, 'de.json': { 'composer.sned': 'x' } })),
    ).toThrow(/de.json has keys en.json lacks: composer.sned/);
    expect(() => loadPageStrings(localeFolder({ 'en.json': { a: 1 } }))).toThrow(
      /object of strings/,
    );
    expect(() => loadPageStrings(localeFolder({ 'ru.json': {} }))).toThrow(/en.json is missing/);
  });
});

describe('pickLanguage and translator', () => {
  it('take the first candidate the tables have, by full tag or base language, else English', () => {
    expect(pickLanguage(shipped, [undefined, 'ru-RU', 'en'])).toBe('ru');
    expect(pickLanguage(shipped, ['ru_RU'])).toBe('ru');
    expect(pickLanguage(shipped, ['fr-FR', 'EN-gb'])).toBe('en');
    expect(pickLanguage(shipped, ['fr', 'de'])).toBe('en');
    expect(pickLanguage(shipped, ['__proto__', 'constructor'])).toBe('en');
  });

  it('fill placeholders with text, once, and fall back to the key for an unknown one', () => {
    const t = translator(shipped, 'ru');
    expect(t('status.reconnecting', { seconds: 3 })).toBe('переподключение через 3 с');
    expect(t('greeting.hello', { name: '{bot}', bot: 'Ada' })).toBe('Здравствуйте, {bot}! Я Ada.');
    expect(t('no.such.key')).toBe('no.such.key');
  });
});
