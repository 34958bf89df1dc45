import { describe, expect, it } from 'vitest';
import { splitSentences } from './split-sentences';

describe('splitSentences', () => {
  it('splits Russian and English sentences at . ! ? … before a capital letter or a quote', () => {
    expect(
      splitSentences('Первое предложение. Второе! Третье? «Четвёртое»… Fifth one. "Sixth."'),
    ).toEqual([
      'Первое предложение.',
      'Второе!',
      'Третье?',
      '«Четвёртое»…',
      'Fifth one.',
      '"Sixth."',
    ]);
  });

  it('does not split at abbreviations, initials, page references and decimals', () => {
    const text =
      'Срок, т.е. десять дней, см. стр. 3 и рис. 2. Договор подписал А. С. Пушкин в г. Москва. ' +
      'Fruit, e.g. Apples, i.e. Fuji, cost 1.5 dollars per Mr. Smith. Т. е. Иванов прав. Цена 300 руб. Доставка бесплатно.';
    expect(splitSentences(text)).toEqual([
      'Срок, т.е. десять дней, см. стр. 3 и рис. 2.',
      'Договор подписал А. С. Пушкин в г. Москва.',
      'Fruit, e.g. Apples, i.e. Fuji, cost 1.5 dollars per Mr. Smith.',
      'Т. е. Иванов прав.',
      'Цена 300 руб.',
      'Доставка бесплатно.',
    ]);
  });

  it('ends a sentence after a year with г. or a century with в.', () => {
    expect(splitSentences('Основана в 1998 г. Компания растёт. Это XX в. Эпоха перемен.')).toEqual([
      'Основана в 1998 г.',
      'Компания растёт.',
      'Это XX в.',
      'Эпоха перемен.',
    ]);
  });

  it('does not split before a lower-case word or a number', () => {
    expect(splitSentences('Итого 5 шт. и ещё 3. 4 штуки позже.')).toEqual([
      'Итого 5 шт. и ещё 3. 4 штуки позже.',
    ]);
  });
});
