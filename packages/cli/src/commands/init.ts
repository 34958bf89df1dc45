import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { print } from '../output';
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

/** True when a folder above `directory` holds a pnpm-workspace.yaml (pnpm would install that workspace instead). */
function insidePnpmWorkspace(directory: string): boolean {
  for (let folder = dirname(directory); ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'pnpm-workspace.yaml'))) return true;
    if (dirname(folder) === folder) return false;
  }
}

/**
 * The commands that install and run a new project, as printed after `init`. A `--local` project
 * links this checkout's packages (`link:`), which only pnpm installs; inside another pnpm
 * workspace (this repository) pnpm must be told to ignore it.
 */
export function nextSteps(directory: string, options: Pick<InitOptions, 'local'> = {}): string[] {
  const root = resolve(directory);
  const shown = relative(process.cwd(), root) || '.';
  const install = options.local
    ? `npx pnpm@10 install${insidePnpmWorkspace(root) ? ' --ignore-workspace' : ''}`
    : 'npm install';
  const why = options.local
    ? "links this checkout's packages (npm cannot install link:)"
    : 'or: npx pnpm@10 install';
  const width = Math.max(install.length, 'npx botwire chat'.length) + 3;
  return [
    `cd ${shown}`,
    `${install.padEnd(width)}${why}`,
    `${'npx botwire chat'.padEnd(width)}talk to your bot in this terminal`,
  ];
}

/** `botwire init <dir>`. */
export function initCommand(): Command {
  return new Command('init')
    .description('scaffold a bot project with a sample skill')
    .argument('<dir>', 'the folder to create')
    .option('--name <name>', "the bot's name (default: the folder name)")
    .option('--local', 'depend on the Botwire packages of this checkout (link:) instead of npm')
    .option('--force', 'write into a folder that is not empty')
    .action((directory: string, options: InitOptions) => {
      const written = initProject(directory, options);
      for (const path of written) print(`  created ${relative(process.cwd(), path)}`);
      print('');
      print('Next:');
      for (const line of nextSteps(directory, options)) print(`  ${line}`);
    });
}
