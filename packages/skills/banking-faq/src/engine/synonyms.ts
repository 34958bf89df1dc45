import { readFile } from 'node:fs/promises';
import { BotwireError, type Problem } from '@botwire/core';

/** One line of a synonyms file: a word or phrase and the words customers use for it. */
export interface SynonymGroup {
  /** The word or phrase the knowledge base uses (`украсть`, `кредитная карта`). */
  canonical: string;
  /** What customers write instead, in any language (`сперли`, `стащили`, `stolen`). */
  variants: string[];
  /** The 1-based line in its file. */
  line: number;
}

/**
 * Parses a synonyms file the bank can edit. One group a line:
 *
 * ```text
 * # comments start with #
 * украсть = сперли, стащили, свистнули; stolen, stole
 * кредитная карта = кредитка, credit card
 * ```
 *
 * Left of `=` is the canonical word or phrase, right of it the variants, separated by `,` or `;`
 * (languages may mix). A line without `=` is a list of equals whose first item is canonical.
 * Throws a `BOTWIRE_INVALID_ARGUMENT` error with the file and line of every bad line.
 */
export function parseSynonyms(text: string, file = 'synonyms.txt'): SynonymGroup[] {
  const groups: SynonymGroup[] = [];
  const problems: Problem[] = [];
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (!line) return;
      const parts = line.split('=');
      const split = (value: string) =>
        value
          .split(/[,;]/)
          .map((item) => item.trim().replace(/\s+/g, ' '))
          .filter(Boolean);
      let canonical: string | undefined;
      let variants: string[] = [];
      if (parts.length === 1) [canonical, ...variants] = split(parts[0]!);
      else if (parts.length === 2) {
        const left = split(parts[0]!);
        canonical = left.length === 1 ? left[0] : undefined;
        variants = split(parts[1]!);
      }
      if (!canonical || variants.length === 0) {
        problems.push({
          path: `line ${index + 1}`,
          file,
          code: 'BOTWIRE_FAQ_SYNONYMS_INVALID',
          message: `${file}:${index + 1}: expected "word = variant, variant" (one word or phrase left of one "="); got "${raw.trim()}".`,
        });
        return;
      }
      groups.push({ canonical, variants, line: index + 1 });
    });
  if (problems.length > 0) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `The synonyms file ${file} is invalid: ${problems.map((problem) => problem.message).join(' ')}`,
      problems,
    });
  }
  return groups;
}

/** Reads and parses a synonyms file (see {@link parseSynonyms}). */
export async function loadSynonyms(file: string): Promise<SynonymGroup[]> {
  return parseSynonyms(await readFile(file, 'utf8'), file);
}
