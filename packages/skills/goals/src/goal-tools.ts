import type { ToolContext, ToolReply } from '@botwire/core';
import { findGoal, type GoalRecord, GoalStore, newGoalId } from './goal-store';
import { dayWord } from './goal-strings';
import { checkIn, currentStreak, levelOf, localDay } from './streaks';

/** The most active goals a user keeps. */
const maxActiveGoals = 20;

function storeOf(context: ToolContext): GoalStore {
  if (!context.user) throw new Error(context.t('goals.no_user'));
  return new GoalStore(context.userStorage);
}

const languageOf = (context: ToolContext): 'ru' | 'en' =>
  context.locale.startsWith('ru') ? 'ru' : 'en';

/** An amount as people write it: `5`, `7.5`. */
export function amountText(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
}

function progressText(goal: GoalRecord): string {
  if (goal.target === undefined)
    return goal.progress > 0
      ? ` (${amountText(goal.progress)}${goal.unit ? ` ${goal.unit}` : ''})`
      : '';
  const share = Math.min(1, goal.progress / goal.target);
  const filled = Math.round(share * 10);
  return ` ${'▓'.repeat(filled)}${'░'.repeat(10 - filled)} ${amountText(goal.progress)}/${amountText(goal.target)}${goal.unit ? ` ${goal.unit}` : ''}`;
}

/** `/goal <title>`: sets a goal; a trailing amount and unit (`run 100 km`) become its target. */
export async function goalCreate(
  input: { title: string; target?: number; unit?: string },
  context: ToolContext,
): Promise<ToolReply> {
  const store = storeOf(context);
  const active = await store.active();
  if (active.length >= maxActiveGoals)
    return {
      text: context.t('goals.too_many', { count: active.length }),
      data: { created: false },
    };
  let { title, target, unit } = input;
  title = title.trim();
  if (target === undefined) {
    // "run 100 km", "прочитать 12 книг": the last number (and the word after it) is the target.
    const match = /^(.*?\S)\s+(\d+(?:[.,]\d+)?)\s*([\p{L}%]{1,20})?$/u.exec(title);
    if (match) {
      target = Number(match[2]!.replace(',', '.'));
      unit ??= match[3];
    }
  }
  const goal: GoalRecord = {
    id: newGoalId(),
    title,
    ...(target !== undefined && target > 0 ? { target } : {}),
    ...(unit ? { unit } : {}),
    progress: 0,
    createdAt: Date.now(),
    archived: false,
  };
  await store.save(goal);
  const number = active.length + 1;
  return {
    text: context.t('goals.created', { number, title }),
    data: {
      created: true,
      number,
      title,
      ...(goal.target ? { target: goal.target } : {}),
      ...(unit ? { unit } : {}),
    },
  };
}

/** `/goals`: the active goals with progress (or the archived ones), and the score. */
export async function goalList(
  input: { archived?: boolean },
  context: ToolContext,
): Promise<ToolReply> {
  const store = storeOf(context);
  const goals = (await store.all()).filter((goal) => goal.archived === Boolean(input.archived));
  const today = localDay(new Date(), context.timezone);
  if (goals.length === 0)
    return {
      text: context.t(input.archived ? 'goals.none_archived' : 'goals.none'),
      data: { goals: [] },
    };
  const stats = await store.stats();
  const streak = currentStreak(stats, today);
  const lines = goals.map((goal, index) =>
    context.t('goals.line', {
      number: index + 1,
      title: goal.title,
      progress: `${progressText(goal)}${goal.lastDay === today ? context.t('goals.line_today') : ''}`,
    }),
  );
  const level = levelOf(stats.points).level.names[languageOf(context)];
  return {
    text: [
      context.t(input.archived ? 'goals.archived_title' : 'goals.title'),
      ...lines,
      '',
      context.t('goals.stats', {
        level,
        points: stats.points,
        streak,
        days: dayWord(streak, context.locale),
        best: stats.best,
      }),
    ].join('\n'),
    data: {
      goals: goals.map((goal, index) => ({
        number: index + 1,
        title: goal.title,
        progress: goal.progress,
        ...(goal.target !== undefined ? { target: goal.target } : {}),
        ...(goal.unit ? { unit: goal.unit } : {}),
      })),
      points: stats.points,
      streak,
    },
  };
}

/** The active goal a reference names, with its number; or the reply saying there is none. */
async function namedGoal(
  context: ToolContext,
  reference: string,
): Promise<{ store: GoalStore; goal: GoalRecord; number: number } | { reply: ToolReply }> {
  const store = storeOf(context);
  const active = await store.active();
  const goal = findGoal(active, reference);
  if (!goal) return { reply: { text: context.t('goals.not_found', { goal: reference }) } };
  return { store, goal, number: active.indexOf(goal) + 1 };
}

/** `goal_update`: a new title, target or unit. */
export async function goalUpdate(
  input: { goal: string; title?: string; target?: number; unit?: string },
  context: ToolContext,
): Promise<ToolReply> {
  const named = await namedGoal(context, input.goal);
  if ('reply' in named) return { ...named.reply, data: { updated: false } };
  const { store, goal, number } = named;
  const updated: GoalRecord = {
    ...goal,
    ...(input.title ? { title: input.title.trim() } : {}),
    ...(input.target !== undefined ? { target: input.target } : {}),
    ...(input.unit ? { unit: input.unit } : {}),
  };
  await store.save(updated);
  return {
    text: context.t('goals.updated', { number, title: `${updated.title}${progressText(updated)}` }),
    data: { updated: true, number },
  };
}

/** `/archive <goal>`: the goal leaves the list; its check-ins stay. */
export async function goalArchive(
  input: { goal: string },
  context: ToolContext,
): Promise<ToolReply> {
  const named = await namedGoal(context, input.goal);
  if ('reply' in named) return { ...named.reply, data: { archived: false } };
  const { store, goal, number } = named;
  await store.save({ ...goal, archived: true, archivedAt: Date.now() });
  return {
    text: context.t('goals.archived', { number, title: goal.title }),
    data: { archived: true, number },
  };
}

/**
 * `/done [goal] [amount]`: a check-in on the user's local today. The goal may be left out when
 * there is only one; `2 5` is 5 on goal 2. Points, the streak (continued from yesterday, started
 * again after a missed day), the goal's progress, and a level-up when the points cross one.
 */
export async function goalCheckin(
  input: { goal?: string; amount?: number; note?: string },
  context: ToolContext,
): Promise<ToolReply> {
  const store = storeOf(context);
  const active = await store.active();
  if (active.length === 0) return { text: context.t('goals.none'), data: { checkedIn: false } };
  let reference = (input.goal ?? '').trim();
  let amount = input.amount;
  const split = /^(.*?)\s+(\d+(?:[.,]\d+)?)$/.exec(reference);
  if (amount === undefined && split && split[1]) {
    reference = split[1];
    amount = Number(split[2]!.replace(',', '.'));
  }
  const goal = reference
    ? findGoal(active, reference)
    : active.length === 1
      ? active[0]
      : undefined;
  if (!goal) {
    if (reference)
      return {
        text: context.t('goals.not_found', { goal: reference }),
        data: { checkedIn: false },
      };
    return {
      text: context.t('goals.which'),
      buttons: active.map((each, index) => [
        { label: `${index + 1}. ${each.title}`, data: `/done ${index + 1}` },
      ]),
      data: { checkedIn: false, reason: 'which-goal' },
    };
  }
  const now = new Date();
  const today = localDay(now, context.timezone);
  const before = await store.stats();
  const counted = checkIn(before, today);
  const updated: GoalRecord = { ...goal, progress: goal.progress + (amount ?? 1), lastDay: today };
  await store.save(updated);
  await store.saveStats(counted.stats);
  await store.log({
    at: now.getTime(),
    day: today,
    goalId: goal.id,
    amount: amount ?? 1,
    earned: counted.earned,
    ...(input.note ? { note: input.note } : {}),
  });
  const language = languageOf(context);
  const levelBefore = levelOf(before.points).index;
  const levelAfter = levelOf(counted.stats.points);
  const number = active.indexOf(goal) + 1;
  const lines = [
    context.t('goals.checked', {
      title: updated.title,
      progress: progressText(updated),
      earned: counted.earned,
      streak: counted.stats.streak,
      days: dayWord(counted.stats.streak, context.locale),
    }),
    ...(counted.streakBroken ? [context.t('goals.streak_restarted')] : []),
    ...(levelAfter.index > levelBefore
      ? [context.t('goals.level_up', { level: levelAfter.level.names[language] })]
      : []),
    ...(updated.target !== undefined &&
    goal.progress < updated.target &&
    updated.progress >= updated.target
      ? [context.t('goals.reached', { title: updated.title, number })]
      : []),
  ];
  return {
    text: lines.join('\n'),
    data: {
      checkedIn: true,
      number,
      progress: updated.progress,
      earned: counted.earned,
      points: counted.stats.points,
      streak: counted.stats.streak,
      day: today,
      level: levelAfter.level.names.en,
    },
  };
}

/** `/progress`: level, points, the way to the next level, the streak. */
export async function goalStats(
  _input: Record<string, never>,
  context: ToolContext,
): Promise<ToolReply> {
  const store = storeOf(context);
  const stats = await store.stats();
  const today = localDay(new Date(), context.timezone);
  const streak = currentStreak(stats, today);
  const { level, next } = levelOf(stats.points);
  const language = languageOf(context);
  return {
    text: context.t('goals.progress', {
      level: level.names[language],
      points: stats.points,
      next: next
        ? context.t('goals.next', { left: next.from - stats.points, next: next.names[language] })
        : '',
      streak,
      days: dayWord(streak, context.locale),
      best: stats.best,
      checkIns: stats.checkIns,
    }),
    data: {
      points: stats.points,
      level: level.names.en,
      streak,
      best: stats.best,
      checkIns: stats.checkIns,
    },
  };
}
