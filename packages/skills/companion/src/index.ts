import { defineSkill } from '@botwire/core';
import { companionLevel, recallBond } from './companion-tools';
import type { SkillInputs } from './skill-types';

export { type BondLevel, bondLevelOf, bondLevels } from './levels';

/**
 * `@botwire/skill-companion`: the companion's relationship as the model and the user see it:
 * `/level` shows it, and the recall gives the model the level and its tone with every message.
 * Points are earned through the `companionBond()` extension from `@botwire/skill-companion/bond`.
 */
export default defineSkill<SkillInputs>({
  tools: { companion_level: companionLevel },
  recall: recallBond,
});
