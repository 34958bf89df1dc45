import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  BotwireError,
  parseManifestText,
  type SkillManifest,
  validateManifest,
} from '@botwire/core';
import { skillTypesFile } from './skill-types-file';

/** Where a skill's generated types go and what they should say. */
export interface SkillTypesPlan {
  /** The skill.json read. */
  manifestFile: string;
  /** The file written: `skill-types.ts` beside the entry module (`src/` by default). */
  outputFile: string;
  /** The file's up-to-date text. */
  text: string;
  /** The file's text on disk now; undefined when it does not exist. */
  current: string | undefined;
}

/**
 * Reads a skill's `skill.json` (its folder or the file itself), validates it and works out
 * the text of its `skill-types.ts`: beside the manifest's `entry` when it is a TypeScript file,
 * else in `src/` when the skill has one, else beside `skill.json`. Throws
 * BOTWIRE_SKILL_MANIFEST_INVALID with every problem when the manifest is not valid.
 */
export function planSkillTypes(path: string, output?: string): SkillTypesPlan {
  const absolute = resolve(path);
  const manifestFile = absolute.endsWith('.json') ? absolute : join(absolute, 'skill.json');
  const root = dirname(manifestFile);
  if (!existsSync(manifestFile))
    throw new BotwireError('BOTWIRE_SKILL_NOT_FOUND', {
      message: `There is no skill.json at ${manifestFile}.`,
      hint: "Pass the skill's folder or its skill.json: botwire skills types skills/notes",
    });
  const { value, problems } = parseManifestText(readFileSync(manifestFile, 'utf8'), manifestFile);
  const all = problems.length ? problems : validateManifest(value, { file: manifestFile });
  if (all.length) throw new BotwireError('BOTWIRE_SKILL_MANIFEST_INVALID', { problems: all });
  const manifest = value as SkillManifest;
  const outputFile = output
    ? resolve(output)
    : join(
        manifest.entry?.endsWith('.ts')
          ? dirname(resolve(root, manifest.entry))
          : existsSync(join(root, 'src'))
            ? join(root, 'src')
            : root,
        'skill-types.ts',
      );
  const current = existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : undefined;
  return { manifestFile, outputFile, text: skillTypesFile(manifest), current };
}

/** Writes the plan's file when it is missing or out of date; true when it wrote. */
export function writeSkillTypes(plan: SkillTypesPlan): boolean {
  if (plan.current === plan.text) return false;
  writeFileSync(plan.outputFile, plan.text);
  return true;
}
