import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findGoldenFiles, runGoldenFiles } from '../packages/cli/src/golden/index';

/**
 * Every example's golden conversations (`<example>/golden/*.golden.yaml`), as `botwire test`
 * runs them; a broken expectation fails with the runner's diff as the message.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const examples = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
  .map((entry) => entry.name);

describe('golden conversations of the examples', () => {
  it('every example ships at least one', async () => {
    for (const example of examples)
      expect(await findGoldenFiles([join(here, example)]), example).not.toHaveLength(0);
  });

  for (const example of examples)
    it(`${example}: all pass`, { timeout: 120_000 }, async () => {
      const report: string[] = [];
      const run = await runGoldenFiles([join(here, example)], {
        cwd: here,
        write: (text) => report.push(text),
      });
      expect(run.passed, report.join('\n')).toBe(true);
      expect(run.results.every((result) => result.turns > 0)).toBe(true);
    });
});
