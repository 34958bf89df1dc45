import { readFileSync } from 'node:fs';
import type { SkillManifest } from '@botwire/core';
import skill from '../index';

/** The memory skill's manifest, read from skill.json. */
export const memoryManifest = JSON.parse(
  readFileSync(new URL('../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;

/** The skill as an inline source (its sources, not its build), with `storage` granted. */
export function memorySource(config: Record<string, unknown> = {}) {
  return {
    use: { manifest: memoryManifest, definition: skill },
    permissions: ['storage' as const],
    config,
  };
}
