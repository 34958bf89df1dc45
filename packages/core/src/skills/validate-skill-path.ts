import { isAbsolute, resolve } from 'node:path';
import type { Problem } from '../errors/botwire-error';
import { loadSkill } from './load-skill';
import type { SkillManifest } from './skill-manifest';

/** What {@link validateSkillPath} found. */
export interface SkillPathValidation {
  /** The manifest, present only when it is valid. */
  manifest?: SkillManifest;
  /** Every problem; empty when the skill is valid. */
  problems: Problem[];
  /** The skill.json that was checked (absolute). */
  manifestPath: string;
}

/**
 * Validates the skill in a directory, or a skill.json, for `botwire skills validate <dir|skill.json>`.
 * With `checkHandlers`, also loads the handler module and checks every declared tool has a handler.
 * Never throws for a broken skill: it returns the problems.
 *
 * @example
 * const { problems } = await validateSkillPath('./skills/notes', { checkHandlers: true });
 * for (const problem of problems) console.log(`${problem.path}: ${problem.message} [${problem.code}]`);
 */
export async function validateSkillPath(
  path: string,
  options: { checkHandlers?: boolean; cwd?: string } = {},
): Promise<SkillPathValidation> {
  const cwd = options.cwd ?? process.cwd();
  const target = isAbsolute(path) ? path : resolve(cwd, path);
  const result = await loadSkill(target, {
    baseDir: cwd,
    checkHandlers: options.checkHandlers ?? false,
  });
  return {
    ...(result.manifest ? { manifest: result.manifest } : {}),
    problems: result.problems,
    manifestPath: result.manifestPath,
  };
}
