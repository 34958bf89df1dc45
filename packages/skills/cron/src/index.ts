import { defineSkill } from '@botwire/core';
import { parseSchedule } from './schedule/parse-schedule';
import type { SkillInputs } from './skill-types';

export { parseSchedule, type ScheduleParse } from './schedule/parse-schedule';
export type { SkillInputs } from './skill-types';

/**
 * The `cron` skill: `schedule_parse` reads when something should happen from a Russian or
 * English phrase, in the user's time zone (see docs/guides/skills/cron.md for the conventions).
 * Add it to a bot with `skills: [{ use: '@botwire/skill-cron', permissions: [] }]`.
 */
const skill = defineSkill<SkillInputs>({
  tools: {
    schedule_parse: (input, context) =>
      parseSchedule({
        text: input.text,
        now: input.now ?? new Date().toISOString(),
        timezone: input.timezone ?? context.timezone,
      }),
  },
});

export default skill;
