import { defineSkill } from '@botwire/core';
import { goalStrings } from './goal-strings';
import {
  goalArchive,
  goalCheckin,
  goalCreate,
  goalList,
  goalStats,
  goalUpdate,
} from './goal-tools';
import type { SkillInputs } from './skill-types';

export { type GoalStats, goalLevels, levelOf } from './streaks';

/**
 * `@botwire/skill-goals`: a goal coach's tools. Goals with targets (`/goal`, `/goals`,
 * `/archive`), check-ins (`/done`) that earn points and keep a streak of days in a row counted
 * in the user's time zone (a missed day starts it again), levels by points (`/progress`).
 */
export default defineSkill<SkillInputs>({
  tools: {
    goal_create: goalCreate,
    goal_list: goalList,
    goal_update: goalUpdate,
    goal_archive: goalArchive,
    goal_checkin: goalCheckin,
    goal_stats: goalStats,
  },
  strings: goalStrings,
});
