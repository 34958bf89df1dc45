import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BotwireError, findConfigFile } from '@botwire/core';
import { skillPackageFiles } from '../templates/skill-package';
import { cliVersion } from '../version';
import { writeFiles } from './scaffold';

/** Options for {@link newSkill}. */
export interface NewSkillOptions {
  /** The folder to create the skill in. Default: `./skills` inside a bot project, else the current folder. */
  dir?: string;
  force?: boolean;
}

/** Scaffolds a skill package (manifest, handler, test). Returns the skill's folder. */
export function newSkill(
  name: string,
  options: NewSkillOptions = {},
): { root: string; files: string[] } {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name) || name.length > 64) {
    throw new BotwireError('BOTWIRE_SCAFFOLD_FAILED', {
      message: `"${name}" is not a valid skill name.`,
      hint: 'Use kebab-case: lower-case letters and digits joined by single dashes, such as weather-report.',
    });
  }
  const cwd = process.cwd();
  const parent = options.dir
    ? resolve(options.dir)
    : findConfigFile(cwd) || existsSync(join(cwd, 'skills'))
      ? join(cwd, 'skills')
      : cwd;
  const root = join(parent, name);
  const files = writeFiles(root, skillPackageFiles(name, `^${cliVersion}`), options.force);
  return { root, files };
}
