import { Command } from 'commander';

/** `botwire skills list`, `skills validate <dir|skill.json>` and `skills types [dirs...]`; their code loads when they run. */
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

  skills
    .command('types')
    .description(
      "write src/skill-types.ts: each tool's input type from its input_schema in skill.json, for defineSkill<SkillInputs>()",
    )
    .argument('[paths...]', 'skill folders or skill.json files (default: this folder)')
    .option('-o, --out <file>', 'where to write (one skill only; default: beside the entry module)')
    .option('--check', 'write nothing; exit 1 when a file is missing or out of date (for CI)')
    .action(async (paths: string[], options: { out?: string; check?: boolean }) => {
      const { skillTypes } = await import('./skills-actions');
      skillTypes(paths, options);
    });

  return skills;
}
