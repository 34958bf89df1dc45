import { basename, resolve } from 'node:path';
import { botProjectFiles } from '../templates/bot-project';
import { cliVersion } from '../version';
import { cliFolder, packageFolder } from './local-packages';
import { writeFiles } from './scaffold';

/** Options for {@link initProject}. */
export interface InitOptions {
  /** The project's name. Default: the folder's name. */
  name?: string;
  /** Depend on the Botwire packages this CLI runs from (`link:`) instead of npm versions. */
  local?: boolean;
  /** Write into a folder that is not empty. */
  force?: boolean;
}

/** Scaffolds a bot project that `botwire chat` runs at once. Returns the paths written. */
export function initProject(directory: string, options: InitOptions = {}): string[] {
  const root = resolve(directory);
  const name =
    (options.name ?? basename(root))
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'my-bot';
  const sources = options.local
    ? {
        core: `link:${packageFolder('@botwire/core')}`,
        consoleAdapter: `link:${packageFolder('@botwire/adapter-console')}`,
        cli: `link:${cliFolder()}`,
      }
    : { core: `^${cliVersion}`, consoleAdapter: `^${cliVersion}`, cli: `^${cliVersion}` };
  return writeFiles(root, botProjectFiles(name, sources), options.force);
}
