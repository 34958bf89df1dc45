import { checkTimezone, type ToolContext, type ToolReply } from '@botwire/core';
import { GoalStore } from './goal-store';
import { dayWord } from './goal-strings';
import { amountText } from './goal-tools';
import { currentStreak, dayBefore, levelOf, localDay } from './streaks';

/** Cities people name instead of a time zone, in Russian and English. */
const cities: Record<string, string> = {
  moscow: 'Europe/Moscow',
  москва: 'Europe/Moscow',
  'saint petersburg': 'Europe/Moscow',
  петербург: 'Europe/Moscow',
  tashkent: 'Asia/Tashkent',
  ташкент: 'Asia/Tashkent',
  almaty: 'Asia/Almaty',
  алматы: 'Asia/Almaty',
  yekaterinburg: 'Asia/Yekaterinburg',
  екатеринбург: 'Asia/Yekaterinburg',
  novosibirsk: 'Asia/Novosibirsk',
  новосибирск: 'Asia/Novosibirsk',
  kyiv: 'Europe/Kyiv',
  киев: 'Europe/Kyiv',
  minsk: 'Europe/Minsk',
  минск: 'Europe/Minsk',
  berlin: 'Europe/Berlin',
  берлин: 'Europe/Berlin',
  london: 'Europe/London',
  лондон: 'Europe/London',
  'new york': 'America/New_York',
  'нью-йорк': 'America/New_York',
  tbilisi: 'Asia/Tbilisi',
  тбилиси: 'Asia/Tbilisi',
  yerevan: 'Asia/Yerevan',
  ереван: 'Asia/Yerevan',
  dubai: 'Asia/Dubai',
  дубай: 'Asia/Dubai',
};

/** A time zone from an IANA name (`Asia/Tashkent`), `UTC+05:00`, or a city people name; undefined when none. */
export function readTimezone(text: string): string | undefined {
  const wanted = text.trim();
  const city = cities[wanted.toLowerCase()];
  if (city) return city;
  try {
    checkTimezone(wanted);
    return wanted;
  } catch {
    return undefined;
  }
}

/** When the weekly summary comes: Sunday at 19:00 in the user's time zone. */
export const weeklySummaryTime = { weekday: 7, time: '19:00' };

/**
 * `goal_coach_setup`: the user's time zone (kept as their `timezone` preference, shared by every
 * skill), a daily check-in reminder at `checkinTime`, and the weekly summary on Sunday at 19:00
 * in that time zone (run as if they sent `/week`). Setting it again replaces the earlier schedule.
 */
export async function coachSetup(
  input: { timezone?: string; checkinTime?: string; weeklySummary?: boolean },
  context: ToolContext,
): Promise<ToolReply> {
  if (!context.user) throw new Error(context.t('goals.no_user'));
  let timezone = context.timezone;
  if (input.timezone) {
    const read = readTimezone(input.timezone);
    if (!read)
      return {
        text: context.t('coach.bad_timezone', { zone: input.timezone }),
        data: { saved: false },
      };
    timezone = read;
    await context.preferences.set('timezone', timezone);
  }
  for (const job of await context.schedule.list()) await context.schedule.cancel(job.id);
  const lines = [context.t('coach.timezone', { zone: timezone })];
  if (input.checkinTime) {
    await context.schedule.remind({
      text: context.t('coach.checkin_reminder'),
      repeat: { kind: 'weekly', time: input.checkinTime, weekdays: [1, 2, 3, 4, 5, 6, 7] },
      timezone,
      label: context.t('coach.checkin_label'),
    });
    lines.push(context.t('coach.checkin_set', { time: input.checkinTime }));
  }
  if (input.weeklySummary !== false) {
    await context.schedule.remind({
      text: '/week',
      action: 'run',
      repeat: {
        kind: 'weekly',
        time: weeklySummaryTime.time,
        weekdays: [weeklySummaryTime.weekday],
      },
      timezone,
      label: context.t('coach.summary_label'),
    });
    lines.push(context.t('coach.summary_set'));
  }
  return {
    text: lines.join('\n'),
    data: {
      saved: true,
      timezone,
      ...(input.checkinTime ? { checkinTime: input.checkinTime } : {}),
    },
  };
}

/**
 * `/week`: the last seven days in the user's time zone, from the stored check-ins: days with a
 * check-in, points earned, each goal's check-ins and amounts, the streak; then a coach's words
 * (from the chat model when there is one, else by how the week went).
 */
export async function goalWeek(
  _input: Record<string, never>,
  context: ToolContext,
): Promise<ToolReply> {
  if (!context.user) throw new Error(context.t('goals.no_user'));
  const store = new GoalStore(context.userStorage);
  const today = localDay(new Date(), context.timezone);
  const days = [today];
  for (let index = 0; index < 6; index++) days.push(dayBefore(days.at(-1)!));
  const week = new Set(days);
  const checkIns = (await store.checkIns(Date.now() - 8 * 86_400_000)).filter((entry) =>
    week.has(entry.day),
  );
  const goals = await store.all();
  const stats = await store.stats();
  const activeDays = new Set(checkIns.map((entry) => entry.day)).size;
  const points = checkIns.reduce((sum, entry) => sum + entry.earned, 0);
  const streak = currentStreak(stats, today);
  const language = context.locale.startsWith('ru') ? 'ru' : 'en';
  const perGoal = goals
    .map((goal) => {
      const mine = checkIns.filter((entry) => entry.goalId === goal.id);
      if (mine.length === 0) return undefined;
      const amount = mine.reduce((sum, entry) => sum + entry.amount, 0);
      return context.t('coach.week_goal', {
        title: goal.title,
        count: mine.length,
        amount: goal.unit ? `${amountText(amount)} ${goal.unit}` : amountText(amount),
      });
    })
    .filter((line): line is string => line !== undefined);
  const facts = context.t('coach.week_facts', {
    active: activeDays,
    points,
    streak,
    days: dayWord(streak, context.locale),
    level: levelOf(stats.points).level.names[language],
  });
  const words = await coachWords(context, { activeDays, points, streak, goals: perGoal });
  return {
    text: [context.t('coach.week_title'), facts, ...perGoal, '', words].join('\n'),
    data: { activeDays, points, streak, checkIns: checkIns.length, from: days.at(-1), to: today },
  };
}

/** A sentence of encouragement: the model's when there is one (given the numbers only), else a set one. */
async function coachWords(
  context: ToolContext,
  week: { activeDays: number; points: number; streak: number; goals: string[] },
): Promise<string> {
  const fallback = context.t(
    week.activeDays >= 5
      ? 'coach.words_great'
      : week.activeDays >= 2
        ? 'coach.words_good'
        : 'coach.words_start',
  );
  if (!context.model) return fallback;
  try {
    const answer = await context.model.chat({
      messages: [
        {
          role: 'system',
          content: `You are a warm, concise goal coach. In ${context.locale.startsWith('ru') ? 'Russian' : 'English'}, write two sentences of encouragement and one concrete tip for next week, based only on these numbers. No greetings, no lists.`,
        },
        {
          role: 'user',
          content: JSON.stringify({
            daysWithCheckIns: week.activeDays,
            pointsThisWeek: week.points,
            streakDays: week.streak,
            goals: week.goals,
          }),
        },
      ],
      maxTokens: 160,
      signal: context.signal,
    });
    const text = answer.text.trim();
    return text && text.length <= 600 ? `💬 ${text}` : fallback;
  } catch (error) {
    context.log.warn('coach-words-failed', {
      error: error instanceof Error ? error.message : String(error),
    });
    return fallback;
  }
}
