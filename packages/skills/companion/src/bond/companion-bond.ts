import { type BotContext, type BotExtension, insertStep, type Middleware } from '@botwire/core';
import { type BondLevel, bondLevelOf } from '../levels';
import { readBond, saveBond } from './bond-store';

/** Options of {@link companionBond}. */
export interface CompanionBondOptions {
  /** Points a message earns. Default 10. */
  pointsPerMessage?: number;
  /** The most points a user earns in a (UTC) day. Default 200. */
  dailyPointsCap?: number;
}

const language = (context: BotContext): 'ru' | 'en' =>
  context.locale.startsWith('ru') ? 'ru' : 'en';

/** A message that counts: a text from a user in a private chat, not a command, not a job. */
function counts(context: BotContext): boolean {
  const { message } = context;
  return (
    !message.job &&
    message.kind === 'message' &&
    message.chat.type === 'private' &&
    !context.command &&
    message.text.trim().length > 0
  );
}

/**
 * The companion's relationship, as a bot extension beside the `@botwire/skill-companion` skill:
 * every message the user writes earns points (`pointsPerMessage`, at most `dailyPointsCap` a
 * day), kept in storage; crossing a threshold of the seed's levels (Незнакомец 0, Знакомый 100,
 * Друг 300, Близкий друг 600, Intimate 1000) is announced after the reply. The skill's recall
 * gives the model the level and its tone with every message; a bot with no model answers with
 * the level's set replies instead, so the tone changes either way.
 *
 * @example
 * import { companionBond } from '@botwire/skill-companion/bond';
 * export default defineConfig({ skills: ['@botwire/skill-companion'], extensions: [companionBond()] });
 */
export function companionBond(options: CompanionBondOptions = {}): BotExtension {
  const perMessage = options.pointsPerMessage ?? 10;
  const cap = options.dailyPointsCap ?? 200;
  if (!Number.isSafeInteger(perMessage) || perMessage < 0 || !Number.isSafeInteger(cap) || cap < 0)
    throw new Error(
      'companionBond: pointsPerMessage and dailyPointsCap are whole numbers, 0 or more.',
    );

  const points: Middleware<BotContext> = async (context, next) => {
    if (!counts(context)) return next();
    const kv = context.storage.kv;
    const userId = context.user.id;
    const bond = await readBond(kv, userId);
    const day = new Date().toISOString().slice(0, 10);
    const today = bond.day === day ? bond.today : 0;
    const earned = Math.max(0, Math.min(perMessage, cap - today));
    const before = bondLevelOf(bond.points).index;
    const after = bondLevelOf(bond.points + earned);
    await saveBond(kv, userId, {
      points: bond.points + earned,
      messages: bond.messages + 1,
      today: today + earned,
      day,
    });
    context.state.companionLevel = after.level;
    context.state.companionMessages = bond.messages + 1;
    await next();
    if (after.index > before) {
      const name = after.level.names[language(context)];
      await context.reply(
        language(context) === 'ru'
          ? `✨ Теперь мы — «${name}» (${bond.points + earned} очков).`
          : `✨ We are now at “${name}” (${bond.points + earned} points).`,
      );
    }
  };

  const chat: Middleware<BotContext> = async (context, next) => {
    const level = context.state.companionLevel as BondLevel | undefined;
    if (!level || !counts(context) || context.services.chatModel()) return next();
    const replies = level.replies[language(context)];
    const index = Number(context.state.companionMessages ?? 0) % replies.length;
    await context.reply(replies[index]!);
  };

  return {
    name: 'companion-bond',
    chain: (steps) =>
      insertStep(
        insertStep(
          steps,
          { before: 'conversations' },
          { name: 'companion-points', middleware: points },
        ),
        { before: 'fallback' },
        { name: 'companion-chat', middleware: chat },
      ),
  };
}
