import { relative } from 'node:path';
import { Command } from 'commander';
import { print } from '../output';
import type { InitOptions } from './init-project';

/** `botwire init <dir>`; the scaffolding code loads when the command runs. */
export function initCommand(): Command {
  return new Command('init')
    .description('scaffold a bot project with a sample skill')
    .argument('<dir>', 'the folder to create')
    .option('--name <name>', "the bot's name (default: the folder name)")
    .option('--local', 'depend on the Botwire packages of this checkout (link:) instead of npm')
    .option('--force', 'write into a folder that is not empty')
    .action(async (directory: string, options: InitOptions) => {
      const { initProject, nextSteps } = await import('./init-project');
      const written = initProject(directory, options);
      for (const path of written) print(`  created ${relative(process.cwd(), path)}`);
      print('');
      print('Next:');
      for (const line of nextSteps(directory, options)) print(`  ${line}`);
    });
}
