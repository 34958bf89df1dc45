/**
 * Typo tolerance for the FAQ index: a word the index does not know is matched to the known
 * words within a small edit distance (one edit for short words, two for long ones), and a word
 * typed in the wrong keyboard layout (`rfhnf` for `карта`) is switched back.
 */

/** Damerau–Levenshtein distance (adjacent swaps count as one edit), or `limit + 1` past it. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  for (let row = 1; row < rows; row++) {
    let best = limit + 1;
    for (let column = 1; column < columns; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let value = Math.min(
        table[row - 1]![column]! + 1,
        table[row]![column - 1]! + 1,
        table[row - 1]![column - 1]! + cost,
      );
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        value = Math.min(value, table[row - 2]![column - 2]! + 1);
      }
      table[row]![column] = value;
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
  }
  return table[rows - 1]![columns - 1]!;
}

/** How many edits a word of this length may have: none under 4 letters, 1 up to 6, else 2. */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length <= 6 ? 1 : 2;
}

/**
 * The known terms nearest to `term` within its allowed edits (all at the smallest distance, up
 * to `max`), or none. Terms of another script are never candidates.
 */
export function nearestTerms(term: string, vocabulary: readonly string[], max = 3): string[] {
  const limit = allowedEdits(term.length);
  if (limit === 0) return [];
  const cyrillic = /[а-я]/.test(term);
  let best = limit + 1;
  let found: string[] = [];
  for (const candidate of vocabulary) {
    if (/[а-я]/.test(candidate) !== cyrillic) continue;
    const distance = editDistance(term, candidate, Math.min(limit, best));
    if (distance < best) {
      best = distance;
      found = [candidate];
    } else if (distance === best && distance <= limit) found.push(candidate);
  }
  return best <= limit ? found.slice(0, max) : [];
}

const latinKeys = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const cyrillicKeys = 'йцукенгшщзхъфывапролджэячсмитьбюё';

/** A word typed with the other keyboard layout, switched (`rfhnf` → `карта`), or undefined. */
export function switchKeyboardLayout(word: string): string | undefined {
  let switched = '';
  for (const character of word) {
    const latin = latinKeys.indexOf(character);
    if (latin >= 0) switched += cyrillicKeys[latin];
    else return undefined;
  }
  return switched;
}
