import type { Adapter } from '../ports/adapter';
import { coreStrings } from '../i18n/core-strings';
import { type Locale, translate } from '../i18n/translate';
import type { Logger } from '../logging/logger';
import type { CommandCall, IncomingMessage } from '../messages/incoming-message';
import { type OutgoingMessage, type SentMessage, toOutgoing } from '../messages/outgoing-message';
import type { ChatRecord, Role, UserRecord } from '../ports/storage';
import type { Bot } from './bot';

/**
 * What every middleware and command handler receives for one message:
 * the message, who sent it, where, in which language, and how to answer.
 */
export class BotContext {
  /** A place for middleware to leave data for later middleware of the same message. */
  readonly state: Record<string, unknown> = {};
  /** The replies sent so far for this message. */
  readonly replies: OutgoingMessage[] = [];
  readonly log: Logger;

  constructor(
    readonly bot: Bot,
    readonly adapter: Adapter,
    public message: IncomingMessage,
    public user: UserRecord,
    readonly chat: ChatRecord,
    public locale: Locale,
  ) {
    this.log = bot.log.child({ platform: adapter.name, user: user.id, chat: chat.id });
  }

  /** The message text (empty for a button press or a bare file). */
  get text(): string {
    return this.message.text;
  }

  /** The slash command, when the message is one. */
  get command(): CommandCall | undefined {
    return this.message.command;
  }

  /** The sender's role; undefined for a user who was not admitted. */
  get role(): Role | undefined {
    return this.user.role;
  }

  /** A runtime string in the user's language: `context.t('help.title', { bot: 'Ada' })`. */
  t(
    key: keyof (typeof coreStrings)['en'] | string,
    params?: Record<string, string | number>,
  ): string {
    return translate(coreStrings, this.locale, key, params);
  }

  /** Sends a reply to the chat the message came from. */
  async reply(message: string | OutgoingMessage): Promise<SentMessage> {
    const outgoing = toOutgoing(message);
    this.replies.push(outgoing);
    return this.bot.deliver(this.adapter, this.message.chat, outgoing, { chatId: this.chat.id });
  }

  /** Runs a tool of a loaded skill for this user, with the same checks as everywhere. */
  callTool(name: string, args: unknown, options: { signal?: AbortSignal } = {}): Promise<unknown> {
    return this.bot.callTool(name, args, {
      user: this.user,
      chat: this.chat,
      locale: this.locale,
      ...options,
    });
  }
}
