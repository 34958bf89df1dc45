import { readFileSync } from 'node:fs';
import type { SkillManifest } from '@botwire/core';
import skill from '../index';

/** The python skill's manifest, read from skill.json. */
export const pythonManifest = JSON.parse(
  readFileSync(new URL('../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;

/** The skill as an inline source (its sources, not its build). */
export function pythonSource() {
  return {
    use: { manifest: pythonManifest, definition: skill },
    permissions: ['execute-code' as const],
  };
}
