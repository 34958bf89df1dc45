import {
  type BotContext,
  type BotExtension,
  type BotServices,
  insertStep,
  type Middleware,
} from '@botwire/core';
import { avatarsNamespace } from '../avatars/avatar-records';
import { AvatarTraining } from './avatar-training';
import { createAvatar, createAvatarConversation } from './create-avatar';
import { type AvatarStudioOptions, studioSettings } from './studio-options';
import { studioText } from './studio-strings';

/** What {@link avatarStudio} returns: the extension, and its training work once the bot runs (for tests). */
export interface AvatarStudioExtension extends BotExtension {
  training(): AvatarTraining | undefined;
}

/**
 * The avatar studio's creation flow, as a bot extension beside the `@botwire/skill-avatars`
 * skill: `/create_avatar` starts a conversation (portrait or artistic, then 10–20 checked
 * photos with progress), Done submits the photos as a zip to the image generator's trainer
 * (charging `prices.training` credits once), and the studio follows the job on the bot's job
 * queue and through the provider's webhook (`POST /webhooks/avatars/<token>` on the bot's HTTP
 * server, given to the provider when `BOTWIRE_PUBLIC_URL` is set) until it tells the user the
 * avatar is ready, or failed with the credits back. The skill's `/avatars` lists them and
 * `/generate` draws with the newest ready one. All of it is in storage: a restart during a
 * training loses nothing.
 *
 * @example
 * import { avatarStudio } from '@botwire/skill-avatars/studio';
 * import { falImageGenerator } from '@botwire/images-fal';
 * export default defineConfig({
 *   images: falImageGenerator(),
 *   skills: [{ use: '@botwire/skill-avatars', permissions: ['credits', 'storage'] }],
 *   extensions: [avatarStudio({ minPhotos: 10 })],
 * });
 */
export function avatarStudio(options: AvatarStudioOptions = {}): AvatarStudioExtension {
  const settings = studioSettings(options);
  let training: AvatarTraining | undefined;
  const trainingFor = (services: BotServices): AvatarTraining => {
    training ??= new AvatarTraining(services, settings);
    return training;
  };
  // Users given their welcome credits by this process (the ledger's key makes it once anyway).
  const welcomed = new Set<string>();
  const middleware: Middleware<BotContext> = async (context, next) => {
    if (context.message.job) return next();
    const studio = trainingFor(context.services);
    if (settings.welcomeCredits > 0 && !welcomed.has(context.user.id)) {
      // A mark without expiry: the ledger's own keys expire, a welcome must not come twice.
      const first = await context.storage.kv.add(
        avatarsNamespace,
        `welcomed:${context.user.id}`,
        Date.now(),
      );
      if (first)
        await studio.ledger.grant({
          userId: context.user.id,
          amount: settings.welcomeCredits,
          operation: 'welcome',
          key: `welcome:${context.user.id}`,
        });
      welcomed.add(context.user.id);
    }
    if (context.command?.name !== 'create_avatar') return next();
    if (!studio.canTrain) {
      await context.reply(studioText(context.locale, 'studio.no_training'));
      return;
    }
    if (!context.services.enterConversation)
      throw new Error('avatarStudio needs a bot that runs conversations.');
    await context.services.enterConversation(context, createAvatarConversation);
  };
  return {
    name: 'avatar-studio',
    commands: [
      {
        name: 'create_avatar',
        description: {
          en: 'Create your avatar from 10–20 photos',
          ru: 'Создать аватар из 10–20 фото',
        },
      },
    ],
    conversations: [createAvatar(trainingFor)],
    chain: (steps) =>
      insertStep(steps, { before: 'conversations' }, { name: 'avatar-studio', middleware }),
    start: (services) => trainingFor(services).start(),
    training: () => training,
  };
}
