import { basename, relative, resolve } from 'node:path';
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
      const shown = relative(process.cwd(), resolve(directory)) || '.';
      for (const path of written) print(`  created ${relative(process.cwd(), path)}`);
      print('');
      print('Next:');
      print(`  cd ${shown}`);
      print('  npm install        (or pnpm install)');
      print('  npx botwire chat   talk to your bot in this terminal');
    });
}
