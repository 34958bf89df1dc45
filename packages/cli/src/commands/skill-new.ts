import { relative } from 'node:path';
import { Command } from 'commander';
import { print } from '../output';
import type { NewSkillOptions } from './new-skill';

/** `botwire skill new <name>`; the scaffolding code loads when the command runs. */
export function skillNewCommand(): Command {
  const skill = new Command('skill').description('work with one skill package');
  skill
    .command('new')
    .description('scaffold a skill package with manifest, handler and a test')
    .argument('<name>', "the skill's name, in kebab-case")
    .option('--dir <dir>', 'the folder to create it in (default: ./skills in a bot project)')
    .option('--force', 'write into a folder that is not empty')
    .action(async (name: string, options: NewSkillOptions) => {
      const { newSkill } = await import('./new-skill');
      const { root, files } = newSkill(name, options);
      for (const path of files) print(`  created ${relative(process.cwd(), path)}`);
      print('');
      print(`Check it:   npx botwire skills validate ${relative(process.cwd(), root) || '.'}`);
      print(
        `Use it:     skills: [{ use: './${relative(process.cwd(), root)}', permissions: [] }] in botwire.config.ts`,
      );
    });
  return skill;
}
