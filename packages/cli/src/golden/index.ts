import { relative } from 'node:path';
import { findGoldenFiles } from './find-golden-files';
import { GoldenFileError, readGoldenFile } from './golden-file';
import { formatResult, formatSummary } from './golden-report';
import { type GoldenResult, runGolden } from './run-golden';

export { findGoldenFiles, isGoldenFile } from './find-golden-files';
export {
  type GoldenConversation,
  type GoldenExpectation,
  GoldenFileError,
  type GoldenTurn,
  parseGolden,
  readGoldenFile,
} from './golden-file';
export { formatResult, formatSummary } from './golden-report';
export { findGoldenConfig, type GoldenFailure, type GoldenResult, runGolden } from './run-golden';

/** What {@link runGoldenFiles} returns: each result, the report's text and the closing line. */
export interface GoldenRun {
  results: GoldenResult[];
  passed: boolean;
  summary: string;
}

/**
 * Runs the golden conversations the paths name (files, or folders searched for
 * `*.golden.yaml`), one after another, writing each result as it ends, then the closing line.
 *
 * @example
 * const run = await runGoldenFiles(['examples/'], { write: (line) => console.log(line) });
 * if (!run.passed) process.exitCode = 1;
 */
export async function runGoldenFiles(
  paths: string[],
  options: { configPath?: string; write?: (text: string) => void; cwd?: string } = {},
): Promise<GoldenRun> {
  const started = performance.now();
  const write = options.write ?? (() => {});
  const cwd = options.cwd ?? process.cwd();
  const files = await findGoldenFiles(paths);
  if (files.length === 0)
    throw new Error(
      `no golden conversations (*.golden.yaml) in ${paths.join(', ') || '.'}: write one, or run \`botwire init\` for an example`,
    );
  const results: GoldenResult[] = [];
  for (const file of files) {
    let result: GoldenResult;
    try {
      result = await runGolden(await readGoldenFile(file), options);
    } catch (error) {
      result = {
        file,
        name: file,
        passed: false,
        turns: 0,
        failures: [],
        error:
          error instanceof GoldenFileError
            ? error.detail
            : String((error as Error).message ?? error),
        ms: 0,
      };
    }
    results.push(result);
    write(formatResult(result, relative(cwd, file) || file));
  }
  const summary = formatSummary(results, performance.now() - started);
  write(summary);
  return { results, passed: results.every((result) => result.passed), summary };
}
