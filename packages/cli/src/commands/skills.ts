import { Command } from 'commander';

/** `botwire skills list` and `botwire skills validate <dir|skill.json>`; their code loads when they run. */
export function skillsCommand(): Command {
  const skills = new Command('skills').description("list the bot's skills, or validate a skill");

  skills
    .command('list')
    .description('list the skills the bot config loads, with their tools and commands')
    .option(
      '-c, --config <file>',
      'the bot config (default: botwire.config.ts|js|json in this folder)',
    )
    .option('--json', 'print JSON')
    .action(async (options: { config?: string; json?: boolean }) => {
      const { listSkills } = await import('./skills-actions');
      await listSkills(options);
    });

  skills
    .command('validate')
    .description(
      "check a skill's skill.json (and that its module has every handler); exit 1 on any problem",
    )
    .argument('<path>', "the skill's folder or its skill.json")
    .option('--no-handlers', "check only skill.json, without loading the skill's module")
    .option('--json', 'print JSON')
    .action(async (path: string, options: { handlers: boolean; json?: boolean }) => {
      const { validateSkill } = await import('./skills-actions');
      await validateSkill(path, options);
    });

  return skills;
}
