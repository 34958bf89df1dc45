import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalog, problemCatalog } from './error-catalog';

const docs = readFileSync(new URL('../../../../docs/reference/errors.md', import.meta.url), 'utf8');

describe('docs/reference/errors.md', () => {
  it('documents every error and problem code of the catalog', () => {
    const missing = [...Object.keys(errorCatalog), ...Object.keys(problemCatalog)].filter(
      (code) => !docs.includes(`\`${code}\``),
    );
    expect(
      missing,
      `run pnpm docs:errors; missing from docs/reference/errors.md: ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('documents no code that the catalog does not have', () => {
    const known = new Set([...Object.keys(errorCatalog), ...Object.keys(problemCatalog)]);
    const documented = [...docs.matchAll(/^\|\s*`(BOTWIRE_[A-Z_]+)`\s*\|/gm)].map(
      (match) => match[1]!,
    );
    expect(documented.length).toBeGreaterThan(10);
    expect(documented.filter((code) => !known.has(code))).toEqual([]);
  });
});
