import { relative, resolve } from 'node:path';
import {
  accessCommandNames,
  builtinCommandNames,
  loadConfig,
  loadSkills,
  validateSkillPath,
} from '@botwire/core';
import { Command } from 'commander';
import { print, printError, toJson } from '../output';
import { planSkillTypes, writeSkillTypes } from '../skill-types/write-skill-types';

/** `botwire skills list`, `botwire skills validate <dir|skill.json>` and `botwire skills types [dirs...]`. */
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
      const loaded = await loadConfig(options.config);
      const registry = await loadSkills(loaded.config.skills ?? [], {
        baseDir: loaded.rootDir,
        reservedCommands: [...builtinCommandNames, ...accessCommandNames],
      });
      if (options.json) {
        print(
          toJson(
            registry.skills.map((skill) => ({
              ...skill.manifest,
              granted: skill.grantedPermissions,
              root: skill.root,
            })),
          ),
        );
        return;
      }
      if (registry.skills.length === 0)
        print('No skills. Add some to the config: skills: ["./skills/my-skill"]');
      for (const skill of registry.skills) {
        print(`${skill.manifest.name} ${skill.manifest.version} — ${skill.manifest.description}`);
        for (const tool of skill.manifest.tools) {
          const missing = tool.permissions.filter(
            (permission) => !skill.grantedPermissions.includes(permission),
          );
          const needs = tool.permissions.length
            ? ` [needs ${tool.permissions.join(', ')}${missing.length ? `; NOT GRANTED: ${missing.join(', ')}` : ''}]`
            : '';
          print(
            `  tool ${tool.name}${tool.side_effects ? ' (side effects)' : ''}${needs}: ${tool.description}`,
          );
        }
        for (const command of skill.manifest.commands ?? []) {
          const description =
            typeof command.description === 'string' ? command.description : command.description.en;
          print(
            `  /${command.name}${command.argument ? ` <${command.argument}>` : ''} → ${command.tool}: ${description}`,
          );
        }
      }
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
      const result = await validateSkillPath(resolve(path), { checkHandlers: options.handlers });
      if (options.json)
        print(
          toJson({
            valid: result.problems.length === 0,
            manifestPath: result.manifestPath,
            problems: result.problems,
          }),
        );
      if (result.problems.length > 0) {
        if (!options.json) {
          printError(
            `${result.manifestPath}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`,
          );
          for (const problem of result.problems)
            printError(`  - ${problem.path || '/'}: ${problem.message} [${problem.code}]`);
        }
        process.exitCode = 1;
        return;
      }
      if (!options.json) {
        const manifest = result.manifest!;
        print(
          `✓ ${manifest.name} ${manifest.version} is valid: ${manifest.tools.length} tool(s), ${(manifest.commands ?? []).length} command(s)`,
        );
      }
    });

  skills
    .command('types')
    .description(
      "write src/skill-types.ts: each tool's input type from its input_schema in skill.json, for defineSkill<SkillInputs>()",
    )
    .argument('[paths...]', 'skill folders or skill.json files (default: this folder)')
    .option('-o, --out <file>', 'where to write (one skill only; default: beside the entry module)')
    .option('--check', 'write nothing; exit 1 when a file is missing or out of date (for CI)')
    .action((paths: string[], options: { out?: string; check?: boolean }) => {
      const targets = paths.length ? paths : ['.'];
      if (options.out && targets.length > 1) {
        printError('--out takes one skill only.');
        process.exitCode = 1;
        return;
      }
      for (const path of targets) {
        const plan = planSkillTypes(path, options.out);
        const shown = relative(process.cwd(), plan.outputFile) || plan.outputFile;
        if (options.check) {
          if (plan.current === plan.text) print(`✓ ${shown} is up to date`);
          else {
            printError(
              `${shown} is ${plan.current === undefined ? 'missing' : 'out of date'}: run botwire skills types ${path}`,
            );
            process.exitCode = 1;
          }
          continue;
        }
        print(writeSkillTypes(plan) ? `wrote ${shown}` : `✓ ${shown} is up to date`);
      }
    });

  return skills;
}
