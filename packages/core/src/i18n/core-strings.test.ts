import { describe, expect, it } from 'vitest';
import { coreStrings } from './core-strings';
import { localizedText, normalizeLocale, translate } from './translate';

describe('core strings', () => {
  it('has every key in both English and Russian', () => {
    expect(Object.keys(coreStrings.ru).sort()).toEqual(Object.keys(coreStrings.en).sort());
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) =>
      [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const key of Object.keys(coreStrings.en) as Array<keyof typeof coreStrings.en>) {
      expect(placeholders(coreStrings.ru[key]), key).toEqual(placeholders(coreStrings.en[key]));
    }
  });
});

describe('translate', () => {
  it('looks a third language up, then a related one, then English', () => {
    const table = {
      en: { hi: 'Hi', bye: 'Bye', only_en: 'English' },
      ru: { hi: 'Привет', bye: 'Пока' },
      de: { hi: 'Hallo' },
    };
    expect(translate(table, 'de', 'hi')).toBe('Hallo');
    expect(translate(table, 'de', 'bye')).toBe('Bye');
    expect(translate(table, 'uk', 'bye')).toBe('Пока');
    expect(translate(table, 'uk', 'only_en')).toBe('English');
    expect(localizedText({ en: 'Weather', de: 'Wetter' }, 'de')).toBe('Wetter');
    expect(localizedText({ en: 'Weather', de: 'Wetter' }, 'fr')).toBe('Weather');
    expect(localizedText('Weather', 'de')).toBe('Weather');
  });

  it('interpolates, falls back to English, then to the key', () => {
    const table = { en: { hi: 'Hi {name}', only_en: 'English' }, ru: { hi: 'Привет, {name}' } };
    expect(translate(table, 'ru', 'hi', { name: 'Аня' })).toBe('Привет, Аня');
    expect(translate(table, 'ru', 'only_en')).toBe('English');
    expect(translate(table, 'en', 'missing.key')).toBe('missing.key');
    expect(translate(table, 'en', 'hi')).toBe('Hi {name}');
  });

  it('normalizes locale tags', () => {
    expect(normalizeLocale('ru-RU')).toBe('ru');
    expect(normalizeLocale('ru_RU')).toBe('ru');
    expect(normalizeLocale('en-GB')).toBe('en');
    expect(normalizeLocale('de', 'ru')).toBe('de');
    expect(normalizeLocale('pt-BR')).toBe('pt');
    expect(normalizeLocale('English please', 'ru')).toBe('ru');
    expect(normalizeLocale(undefined, 'pt-BR')).toBe('pt');
    expect(normalizeLocale(undefined)).toBe('en');
  });
});

describe('guessLocale', () => {
  it('reads Russian off Cyrillic text and nothing off the rest', async () => {
    const { guessLocale } = await import('./translate');
    expect(guessLocale('привет, как дела?')).toBe('ru');
    expect(guessLocale('напомни про meeting завтра')).toBe('ru');
    expect(guessLocale('hello there')).toBeUndefined();
    expect(guessLocale('12:30 !!')).toBeUndefined();
    expect(guessLocale('καλημέρα')).toBe('el');
    expect(guessLocale('wie ist das Wetter')).toBeUndefined();
  });
});
