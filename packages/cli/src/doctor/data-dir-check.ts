import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { CheckResult } from './doctor-check';

const shown = (path: string) => {
  const fromHere = relative(process.cwd(), path);
  return fromHere === '' ? '.' : fromHere.startsWith('..') ? path : fromHere;
};

/** Tries to create and remove a folder inside `parent`; returns the error text, or undefined. */
function tryWrite(parent: string): string | undefined {
  try {
    rmSync(mkdtempSync(join(parent, '.botwire-doctor-')), { recursive: true, force: true });
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/**
 * The data directory (SQLite file, artifacts, each skill's files) exists and is writable, or
 * can be created: a real write is tried, since file modes alone do not tell (root ignores them;
 * a read-only mount does not).
 */
export function checkDataDir(dataDir: string): CheckResult {
  const fix = `set BOTWIRE_DATA_DIR (or dataDir in the config) to a folder you can write, or fix the permissions of ${shown(dataDir)}`;
  if (existsSync(dataDir)) {
    if (!statSync(dataDir).isDirectory()) {
      return {
        name: 'data-dir',
        status: 'fail',
        message: `${shown(dataDir)} is a file, not a folder`,
        fix,
      };
    }
    const problem = tryWrite(dataDir);
    return problem
      ? {
          name: 'data-dir',
          status: 'fail',
          message: `${shown(dataDir)} is not writable (${problem})`,
          fix,
        }
      : { name: 'data-dir', status: 'ok', message: `${shown(dataDir)} is writable` };
  }
  let parent = dirname(dataDir);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  const problem = statSync(parent).isDirectory() ? tryWrite(parent) : `${parent} is a file`;
  return problem
    ? {
        name: 'data-dir',
        status: 'fail',
        message: `${shown(dataDir)} does not exist and cannot be created (${problem})`,
        fix,
      }
    : {
        name: 'data-dir',
        status: 'ok',
        message: `${shown(dataDir)} does not exist yet; the bot creates it at start`,
      };
}
