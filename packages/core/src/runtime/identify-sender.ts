import type { OutgoingDegrader } from '../adapters/degrade-outgoing';
import { guessLocale, normalizeLocale } from '../i18n/translate';
import type { Middleware } from '../middleware/composer';
import type { BotContext } from './bot-context';

/**
 * The first step of the chain: finds (or creates) the sender and the chat in storage, turns a
 * numbered-option answer into a button press, and settles the language of the reply. It
 * stores no message text: the record-message step does that, after access control.
 */
export function identifySender(degrader: OutgoingDegrader): Middleware<BotContext> {
  return async (context, next) => {
    const { storage } = context.services;
    const { sender, chat } = context.message;
    const platform = context.adapter.name;
    const user = await storage.users.resolve(
      { platform, platformId: sender.platformId },
      {
        ...(sender.name ? { name: sender.name } : {}),
        ...(sender.username ? { username: sender.username } : {}),
        ...(sender.locale ? { locale: sender.locale } : {}),
      },
    );
    const record = await storage.chats.resolve(
      { platform, platformId: chat.platformId },
      { type: chat.type, ...(chat.title ? { title: chat.title } : {}) },
    );
    context.identify(user, record);
    context.message = await degrader.resolveOption(
      context.adapter.capabilities,
      context.chatKey,
      context.message,
    );
    context.locale = normalizeLocale(
      user.locale ?? sender.locale,
      guessLocale(context.message.text) ?? context.services.settings.locale ?? 'en',
    );
    context.log.debug('message-received', {
      kind: context.message.kind,
      command: context.message.command?.name,
    });
    await next();
  };
}
