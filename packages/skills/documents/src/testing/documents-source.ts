import { readFileSync } from 'node:fs';
import type { SkillManifest } from '@botwire/core';
import skill from '../index';

/** The documents skill's manifest, read from skill.json. */
export const documentsManifest = JSON.parse(
  readFileSync(new URL('../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;

/** The skill as an inline source (its sources, not its build), with `storage` granted. */
export function documentsSource(config: Record<string, unknown> = {}) {
  return {
    use: { manifest: documentsManifest, definition: skill },
    permissions: ['storage' as const],
    config,
  };
}
