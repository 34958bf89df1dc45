import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runGoldenFiles } from '../../../cli/src/golden/index';

/** The skill's golden conversations (`golden/`), on a fake clock, as `botwire test` runs them. */
it('passes its golden conversations', { timeout: 60_000 }, async () => {
  const report: string[] = [];
  const run = await runGoldenFiles([fileURLToPath(new URL('../golden', import.meta.url))], {
    write: (text) => report.push(text),
  });
  expect(run.passed, report.join('\n')).toBe(true);
  expect(run.results.length).toBeGreaterThan(0);
});
