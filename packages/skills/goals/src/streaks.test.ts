import { describe, expect, it } from 'vitest';
import { checkIn, currentStreak, dayBefore, type GoalStats, levelOf, localDay } from './streaks';

const fresh: GoalStats = { points: 0, streak: 0, best: 0, checkIns: 0 };

describe('streaks', () => {
  it('reads the local day in the user’s time zone, not UTC’s', () => {
    // 00:30 in Tashkent (UTC+5) is still the day before in UTC.
    const early = new Date('2030-01-07T00:30:00+05:00');
    expect(localDay(early, 'Asia/Tashkent')).toBe('2030-01-07');
    expect(localDay(early, 'UTC')).toBe('2030-01-06');
    expect(localDay(new Date('2030-01-08T23:50:00+05:00'), 'Asia/Tashkent')).toBe('2030-01-08');
    expect(dayBefore('2030-03-01')).toBe('2030-02-28');
    expect(dayBefore('2032-03-01')).toBe('2032-02-29');
  });

  it('continues a streak from yesterday, keeps it within a day, and starts again after a missed day', () => {
    const first = checkIn(fresh, '2030-01-07');
    expect(first.stats).toMatchObject({ streak: 1, best: 1, points: 10, lastDay: '2030-01-07' });
    const again = checkIn(first.stats, '2030-01-07');
    expect(again.stats.streak).toBe(1);
    expect(again.firstToday).toBe(false);
    expect(again.earned).toBe(10);
    const next = checkIn(again.stats, '2030-01-08');
    expect(next.stats.streak).toBe(2);
    expect(next.earned).toBe(12);
    expect(currentStreak(next.stats, '2030-01-09')).toBe(2);
    expect(currentStreak(next.stats, '2030-01-10')).toBe(0);
    const after = checkIn(next.stats, '2030-01-10');
    expect(after.streakBroken).toBe(true);
    expect(after.stats).toMatchObject({ streak: 1, best: 2, checkIns: 4 });
  });

  it('gives levels by points', () => {
    expect(levelOf(0).level.names.en).toBe('Beginner');
    expect(levelOf(99).next?.from).toBe(100);
    expect(levelOf(100).level.names.ru).toBe('Ученик');
    expect(levelOf(5000).next).toBeUndefined();
  });
});
