import type { BotContext } from '../runtime/bot-context';
import { enterConversation } from './conversation-store';
import type { ConversationData, ConversationDefinition } from './conversation-types';

/** A declared conversation: its definition, and a way to start it for a message's sender. */
export interface Conversation<D extends ConversationData = ConversationData>
  extends ConversationDefinition<D> {
  /** Starts (or restarts) it for the sender in this chat and asks the first step. */
  enter(context: BotContext, data?: Partial<D>): Promise<void>;
}

/**
 * Declares a conversation. Its state (the step and the data so far) lives in storage, so it
 * resumes after a restart and on any process or adapter; commands such as /help still work
 * in the middle, and /cancel ends it.
 *
 * @example
 * const register = defineConversation({
 *   name: 'register',
 *   steps: [
 *     { id: 'phone', ask: 'Your phone number?', answer: ({ text }) =>
 *         /^\+?\d{10,15}$/.test(text) ? { value: text } : { error: 'Digits only, like +79991234567.' } },
 *     { id: 'name', ask: 'Your name?' },
 *   ],
 *   done: (context, data) => context.reply(`Thanks, ${data.name}!`),
 * });
 * bot.conversation(register); // or `conversations: [register]` in the config
 * // later, in a command: await register.enter(context);
 */
export function defineConversation<D extends ConversationData = ConversationData>(
  definition: ConversationDefinition<D>,
): Conversation<D> {
  return {
    ...definition,
    enter: (context, data) =>
      enterConversation(context, definition as unknown as ConversationDefinition, data ?? {}),
  };
}
