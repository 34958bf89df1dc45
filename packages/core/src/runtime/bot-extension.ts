import type { ConversationDefinition } from '../conversations/conversation-types';
import type { CommandInfo } from '../ports/adapter';
import type { BotServices } from './bot-services';
import type { ChainStep } from './chain-steps';

/**
 * A part of a bot that is more than one middleware: it adds steps to the chain, and it runs
 * work of its own beside the messages (resuming a broadcast after a restart, replying to support
 * tickets nobody took). Listed in the config's `extensions`; trusted like the config itself.
 *
 * @example
 * const desk: BotExtension = {
 *   name: 'desk',
 *   chain: (steps) => insertStep(steps, { before: 'builtin-commands' }, { name: 'desk', middleware }),
 *   start: (services) => sweeper.start(services),
 *   stop: () => sweeper.stop(),
 * };
 */
export interface BotExtension {
  /** Shown in logs: `bank-desk`. */
  name: string;
  /** Edits the default chain (applied in the order extensions are listed, before `config.chain`). */
  chain?(steps: ChainStep[]): ChainStep[];
  /**
   * The commands its chain steps answer, for messenger command menus; one named like a built-in
   * command (`help`) takes its place there.
   */
  commands?: CommandInfo[];
  /**
   * Multi-step flows its chain steps enter with `services.enterConversation(context, name)`
   * (registered with the bot like the config's `conversations`).
   */
  // biome-ignore lint/suspicious/noExplicitAny: each conversation types its own data.
  conversations?: ConversationDefinition<any>[];
  /** Runs once every adapter runs, with the bot's services. A failure stops the start. */
  start?(services: BotServices): Promise<void> | void;
  /** Runs first when the bot stops, before the adapters stop. */
  stop?(): Promise<void> | void;
}
