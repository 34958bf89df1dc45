import { relative, resolve } from 'node:path';
import {
  accessCommandNames,
  builtinCommandNames,
  loadConfig,
  loadSkills,
  validateSkillPath,
} from '@botwire/core';
import { print, printError, toJson } from '../output';
import { planSkillTypes, writeSkillTypes } from '../skill-types/write-skill-types';

/** `botwire skills list`: the skills the config loads, with their tools and commands. */
export async function listSkills(options: { config?: string; json?: boolean }): Promise<void> {
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
}

/** `botwire skills validate <path>`: every problem of one skill; exit code 1 when there is one. */
export async function validateSkill(
  path: string,
  options: { handlers: boolean; json?: boolean },
): Promise<void> {
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
}

/** `botwire skills types [paths...]`: writes (or with `check`, checks) each skill's input types. */
export function skillTypes(paths: string[], options: { out?: string; check?: boolean }): void {
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
}
