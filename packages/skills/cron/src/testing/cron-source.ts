import { readFileSync } from 'node:fs';
import type { SkillManifest } from '@botwire/core';
import skill from '../index';

/** The cron skill's manifest, read from skill.json. */
export const cronManifest = JSON.parse(
  readFileSync(new URL('../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;

/** The skill as an inline source (its sources, not its build). */
export function cronSource() {
  return {
    use: { manifest: cronManifest, definition: skill },
    permissions: ['schedule' as const],
  };
}
