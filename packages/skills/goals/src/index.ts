import { defineSkill } from '@botwire/core';
import { coachSetup, goalWeek } from './coach-tools';
import { goalStrings } from './goal-strings';
import {
  goalArchive,
  goalCheckin,
  goalCreate,
  goalList,
  goalStats,
  goalUpdate,
} from './goal-tools';
import { onboarding } from './onboarding';
import type { SkillInputs } from './skill-types';

export { type GoalStats, goalLevels, levelOf } from './streaks';

/**
 * `@botwire/skill-goals`: a goal coach's tools. Goals with targets (`/goal`, `/goals`,
 * `/archive`), check-ins (`/done`) that earn points and keep a streak of days in a row counted
 * in the user's time zone (a missed day starts it again), levels by points (`/progress`), the
 * onboarding (`/setup`: time zone, first goal, daily reminder) and the weekly summary (`/week`,
 * sent every Sunday at 19:00 in the user's time zone).
 */
export default defineSkill<SkillInputs>({
  tools: {
    goal_create: goalCreate,
    goal_list: goalList,
    goal_update: goalUpdate,
    goal_archive: goalArchive,
    goal_checkin: goalCheckin,
    goal_stats: goalStats,
    goal_coach_setup: coachSetup,
    goal_week: goalWeek,
  },
  conversations: [onboarding],
  strings: goalStrings,
});
