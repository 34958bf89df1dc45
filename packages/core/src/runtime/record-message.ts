import type { Middleware } from '../middleware/composer';
import type { BotContext } from './bot-context';
import { secretArgumentsIn, withoutSecrets } from './secret-arguments';

/**
 * Stores the incoming message in the chat's history. It comes after access control, so a
 * stranger's message to a private bot leaves no text behind; from here on the bot's replies
 * are recorded too.
 */
export function recordMessage(): Middleware<BotContext> {
  return async (context, next) => {
    const { message } = context;
    if (message.job?.kind === 'background') {
      // Its text was stored when the user asked for the work; only the result is new.
      context.recorded = true;
      return next();
    }
    // Not awaited before the rest of the chain runs: its first writes (the usage count) then
    // share the storage's group commit. Reads of the history still see it (storage runs calls
    // in order), and the message is not done until it is stored.
    // A credential typed into a message a skill's pattern marks as secret never reaches the
    // history (nor, from now on, logs, replies or the model).
    const secrets =
      message.kind === 'button' ? [] : secretArgumentsIn(message.text, context.skills);
    // The whole message answers a conversation's secret step (a token, a password).
    if (
      message.kind !== 'button' &&
      message.text.trim() &&
      (await context.services.expectsSecret?.(context))
    )
      secrets.push(message.text.trim(), message.text);
    for (const secret of secrets) context.services.hideSecret?.(secret);
    const recorded = context.services.storage.messages.append({
      chatId: context.chat.id,
      userId: context.user.id,
      direction: 'in',
      text:
        message.kind === 'button'
          ? `[button] ${message.buttonData ?? ''}`
          : withoutSecrets(message.text, secrets),
      platformMessageId: message.platformMessageId,
    });
    recorded.catch(() => {}); // awaited below, after the chain
    context.recorded = true;
    try {
      await next();
    } finally {
      await recorded;
    }
  };
}
