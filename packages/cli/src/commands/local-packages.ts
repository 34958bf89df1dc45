import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/** The folder of an installed package, resolved from this CLI (symlinks followed). */
export function packageFolder(name: string): string {
  return dirname(realpathSync(require.resolve(`${name}/package.json`)));
}

/** The folder of the CLI package itself. */
export function cliFolder(): string {
  return dirname(realpathSync(require.resolve('../package.json')));
}
