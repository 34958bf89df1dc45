import {
  type BotContext,
  type BotExtension,
  hasRole,
  insertStep,
  isRole,
  type Middleware,
  pictureAttachments,
  type Role,
  roles,
} from '@botwire/core';
import { type BondLevel, bondLevelOf } from '../levels';
import { readBond, saveBond } from './bond-store';
import { voiceReplies } from './voice-replies';

/** Options of {@link companionBond}. */
export interface CompanionBondOptions {
  /** Points a message earns. Default 10. */
  pointsPerMessage?: number;
  /** The most points a user earns in a (UTC) day. Default 200. */
  dailyPointsCap?: number;
  /**
   * The lowest role on the paid plan: users with it or above get voice replies and may send
   * photos for the model to look at. Default `premium` (so the staff roles too); `false`:
   * everyone gets both.
   */
  premium?: Role | false;
  /** Read the companion's replies aloud for the paid plan (a voice message after the text). Default true. */
  voice?: boolean;
}

const language = (context: BotContext): 'ru' | 'en' =>
  context.locale.startsWith('ru') ? 'ru' : 'en';

/** A message that counts: a text or a photo from a user in a private chat, not a command, not a job. */
function counts(context: BotContext): boolean {
  const { message } = context;
  return (
    !message.job &&
    message.kind === 'message' &&
    message.chat.type === 'private' &&
    !context.command &&
    (message.text.trim().length > 0 || pictureAttachments(message.attachments).length > 0)
  );
}

const premiumOnlyPhotos = {
  ru: 'Смотреть фото я умею только в премиум-плане 🙈 Расскажи словами, что там?',
  en: 'I can look at photos only on the premium plan 🙈 Tell me in words what’s in it?',
};

/**
 * The companion's relationship, as a bot extension beside the `@botwire/skill-companion` skill:
 * every message the user writes earns points (`pointsPerMessage`, at most `dailyPointsCap` a
 * day), kept in storage; crossing a threshold of the seed's levels (Незнакомец 0, Знакомый 100,
 * Друг 300, Близкий друг 600, Intimate 1000) is announced after the reply. The skill's recall
 * gives the model the level and its tone with every message; a bot with no model answers with
 * the level's set replies instead, so the tone changes either way.
 *
 * The paid plan (`premium`, a role set with `/role <user> premium`) hears every answer as a
 * voice message too, read by the bot's text to speech (config `speech`; the embedded espeak-ng
 * by default), and may send photos, which a model that sees pictures looks at. The free plan
 * is told photos are for premium. Message limits and history per plan are the config's
 * `limits` per role.
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

  const premium = options.premium ?? 'premium';
  if (premium !== false && !isRole(premium))
    throw new Error(`companionBond: premium is a role (${roles.join(', ')}) or false.`);
  const voice = options.voice ?? true;
  const onPremium = (context: BotContext) => premium === false || hasRole(context.role, premium);

  const points: Middleware<BotContext> = async (context, next) => {
    if (!counts(context)) return next();
    const paid = onPremium(context);
    if (!paid && pictureAttachments(context.message.attachments).length > 0) {
      await context.reply(premiumOnlyPhotos[language(context)]);
      return;
    }
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
    // The paid plan hears the answer too (not the level notice below).
    let speaking = paid && voice;
    if (speaking) {
      const speak = voiceReplies(context);
      context.transformReplies((reply) => (speaking ? speak(reply) : reply));
    }
    await next();
    speaking = false;
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
    if (!level || !counts(context) || !context.text.trim() || context.services.chatModel())
      return next();
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
