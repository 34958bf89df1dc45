#!/usr/bin/env node
// The API reports of @botwire/core: packages/core/etc/*.api.md list every declaration its entry
// points export (`@botwire/core`, `/testing`, `/contract-suites`), written by api-extractor
// from the built .d.ts files. `api:check` (CI) fails when the built surface differs from the
// committed reports; `api:update` (`--local`) rewrites them, to be committed with the change.
// The /testing and /contract-suites configs do not flag the core types their declarations use
// (Adapter, ChatModel, ...) as forgotten exports: `@botwire/core` exports them, core.api.md lists
// them. The reports are generated, so Biome leaves them alone (biome.json).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');

const root = new URL('..', import.meta.url).pathname;
const core = join(root, 'packages/core');
const configs = [
  'api-extractor.json',
  'api-extractor.testing.json',
  'api-extractor.contract-suites.json',
];
const update = process.argv.includes('--local');

/** The newest modification time under a folder, test files left out (they are not built). */
const newest = (path) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return path.endsWith('.test.ts') ? 0 : stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
};
const declarations = join(core, 'dist/index.d.ts');
if (!existsSync(declarations) || statSync(declarations).mtimeMs < newest(join(core, 'src'))) {
  console.error(
    'packages/core/dist is missing or older than its sources: build core first ' +
      '(npx pnpm@10 --filter @botwire/core run build), then run this again.',
  );
  process.exit(1);
}

const failed = [];
for (const name of configs) {
  const config = ExtractorConfig.loadFileAndPrepare(join(core, name));
  const result = Extractor.invoke(config, {
    localBuild: update,
    messageCallback: (message) => {
      // The banner and the "completed" line carry nothing the summary below does not.
      if (
        message.messageId === 'console-preamble' ||
        message.messageId === 'console-compiler-version-notice'
      ) {
        message.handled = true;
      }
    },
  });
  const report = relative(root, config.reportFilePath);
  if (!result.succeeded) {
    failed.push(report);
    if (existsSync(config.reportFilePath) && existsSync(config.reportTempFilePath)) {
      const diff = spawnSync('diff', ['-u', config.reportFilePath, config.reportTempFilePath], {
        encoding: 'utf8',
      });
      console.error(diff.stdout.split('\n').slice(0, 200).join('\n'));
    }
  } else if (update && result.apiReportChanged) console.log(`updated ${report}`);
  else console.log(`${report}: up to date`);
}

if (failed.length > 0) {
  console.error(
    `The public API differs from ${failed.join(', ')} (or api-extractor reported an error above).\n` +
      'If the change is intended, run `npx pnpm@10 run api:update` and commit packages/core/etc/.',
  );
  process.exit(1);
}
