import type { RecallRequest, ToolContext, ToolReply } from '@botwire/core';
import type { Bond } from './bond/bond-store';
import { bondLevelOf } from './levels';

const empty: Bond = { points: 0, messages: 0, today: 0, day: '' };

async function bondOf(context: ToolContext): Promise<Bond> {
  if (!context.user) throw new Error('The relationship belongs to a user: run this in a chat.');
  return (await context.userStorage.get<Bond>('bond')) ?? empty;
}

/** `/level`: the level of the relationship, its points and the way to the next one. */
export async function companionLevel(
  _input: Record<string, never>,
  context: ToolContext,
): Promise<ToolReply> {
  const bond = await bondOf(context);
  const { level, next } = bondLevelOf(bond.points);
  const ru = context.locale.startsWith('ru');
  const name = level.names[ru ? 'ru' : 'en'];
  const nextText = next
    ? ru
      ? ` До уровня «${next.names.ru}» — ${next.from - bond.points} очков.`
      : ` ${next.from - bond.points} more to “${next.names.en}”.`
    : '';
  return {
    text: ru
      ? `💞 Наши отношения: «${name}», ${bond.points} очков.${nextText}`
      : `💞 Our relationship: “${name}”, ${bond.points} points.${nextText}`,
    data: {
      level: level.id,
      points: bond.points,
      ...(next ? { next: next.id, left: next.from - bond.points } : {}),
    },
  };
}

/** What the model is told with every message: the level and how to speak at it. */
export async function recallBond(_request: RecallRequest, context: ToolContext): Promise<string[]> {
  if (!context.user) return [];
  const bond = await bondOf(context);
  const { level } = bondLevelOf(bond.points);
  return [
    `Relationship with the user: level "${level.names.ru}" / "${level.names.en}" (${bond.points} points).`,
    `Tone at this level: ${level.tone}`,
  ];
}
