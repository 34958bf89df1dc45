import { wallClock } from '@botwire/core';

/** A user's score: points, the current streak of days with a check-in, the best one. */
export interface GoalStats {
  points: number;
  /** Days in a row with at least one check-in, ending on `lastDay`. */
  streak: number;
  best: number;
  /** The user's local date of their last check-in (`2030-01-07`). */
  lastDay?: string;
  checkIns: number;
}

/** A level and the points it starts at, in Russian and English. */
export interface GoalLevel {
  from: number;
  names: { ru: string; en: string };
}

/** The levels, by the points they start at. */
export const goalLevels: readonly GoalLevel[] = [
  { from: 0, names: { ru: 'Новичок', en: 'Beginner' } },
  { from: 100, names: { ru: 'Ученик', en: 'Apprentice' } },
  { from: 300, names: { ru: 'Практик', en: 'Practitioner' } },
  { from: 600, names: { ru: 'Мастер', en: 'Master' } },
  { from: 1000, names: { ru: 'Легенда', en: 'Legend' } },
];

/** Points for a check-in, and the bonus for each day of the streak it continues (up to 7). */
export const pointsPerCheckIn = 10;
export const streakBonusPerDay = 2;

/** The level for this many points, and the next one (undefined at the top). */
export function levelOf(points: number): { level: GoalLevel; index: number; next?: GoalLevel } {
  let index = 0;
  for (let at = 0; at < goalLevels.length; at++) if (points >= goalLevels[at]!.from) index = at;
  const next = goalLevels[index + 1];
  return { level: goalLevels[index]!, index, ...(next ? { next } : {}) };
}

/** The local date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDay(instant: Date, timezone: string): string {
  const { year, month, day } = wallClock(instant, timezone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date before a `YYYY-MM-DD` date. */
export function dayBefore(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/**
 * The streak as it stands on `today`: the stored one while its last day is today or yesterday
 * (today's check-in may still come), else 0 (a day was missed).
 */
export function currentStreak(stats: GoalStats, today: string): number {
  if (!stats.lastDay) return 0;
  return stats.lastDay === today || stats.lastDay === dayBefore(today) ? stats.streak : 0;
}

/**
 * Counts a check-in made on the user's local `today`: points, and the streak (the first
 * check-in of a day continues a streak whose last day was yesterday, and starts a new one after
 * a missed day; more check-ins the same day add points only).
 */
export function checkIn(
  stats: GoalStats,
  today: string,
): { stats: GoalStats; earned: number; firstToday: boolean; streakBroken: boolean } {
  const firstToday = stats.lastDay !== today;
  const continues = stats.lastDay === dayBefore(today);
  const streakBroken = firstToday && !continues && stats.streak > 0;
  const streak = firstToday ? (continues ? stats.streak + 1 : 1) : stats.streak;
  const earned = pointsPerCheckIn + (firstToday ? streakBonusPerDay * Math.min(streak - 1, 7) : 0);
  return {
    stats: {
      points: stats.points + earned,
      streak,
      best: Math.max(stats.best, streak),
      lastDay: today,
      checkIns: stats.checkIns + 1,
    },
    earned,
    firstToday,
    streakBroken,
  };
}
