import { describe, expect, it } from 'vitest';
import { parseSynonyms } from './synonyms';

describe('parseSynonyms', () => {
  it('reads "canonical = variants" lines, with , and ; and comments', () => {
    const groups = parseSynonyms(
      '# slang\nукрасть = сперли, стащили; stolen  # theft\n\nкредитная карта = кредитка, credit card\nналичные, наличка, cash\n',
    );
    expect(groups).toEqual([
      { canonical: 'украсть', variants: ['сперли', 'стащили', 'stolen'], line: 2 },
      { canonical: 'кредитная карта', variants: ['кредитка', 'credit card'], line: 4 },
      { canonical: 'наличные', variants: ['наличка', 'cash'], line: 5 },
    ]);
  });

  it('reports bad lines with file and line', () => {
    expect(() => parseSynonyms('a = b\n = c\nd =\ne = f = g\n', 'bank.txt')).toThrow(
      /bank\.txt:2.*bank\.txt:3.*bank\.txt:4/s,
    );
  });
});
