import type { Middleware } from '../middleware/composer';
import type { BotContext } from './bot-context';

/**
 * Stores the incoming message in the chat's history. It comes after access control, so a
 * stranger's message to a private bot leaves no text behind; from here on the bot's replies
 * are recorded too.
 */
export function recordMessage(): Middleware<BotContext> {
  return async (context, next) => {
    const { message } = context;
    await context.services.storage.messages.append({
      chatId: context.chat.id,
      userId: context.user.id,
      direction: 'in',
      text: message.kind === 'button' ? `[button] ${message.buttonData ?? ''}` : message.text,
      platformMessageId: message.platformMessageId,
    });
    context.recorded = true;
    await next();
  };
}
