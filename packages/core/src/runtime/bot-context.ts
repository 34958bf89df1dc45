import { BotwireError } from '../errors/botwire-error';
import { coreStrings } from '../i18n/core-strings';
import { type Locale, normalizeLocale, translate } from '../i18n/translate';
import type { Logger } from '../logging/logger';
import { type CommandCall, type IncomingMessage, parseCommand } from '../messages/incoming-message';
import { type OutgoingMessage, type SentMessage, toOutgoing } from '../messages/outgoing-message';
import type { Adapter } from '../ports/adapter';
import type { ChatRecord, Role, StorageDriver, UserRecord } from '../ports/storage';
import type { ToolProvenance } from '../skills/define-skill';
import type { SkillRegistry } from '../skills/skill-registry';
import type { BotServices } from './bot-services';

/** A change to a reply before it is sent; see {@link BotContext.transformReplies}. */
export type ReplyTransform = (reply: OutgoingMessage) => OutgoingMessage | Promise<OutgoingMessage>;

/**
 * What every middleware and command handler receives for one message: the message, who sent
 * it, where, in which language, how to answer, and the bot's services. The `identify-sender`
 * step of the chain fills in `user` and `chat`; a middleware placed before it reads only the
 * message.
 */
export class BotContext {
  /** A place for middleware to leave data for later middleware of the same message. */
  readonly state: Record<string, unknown> = {};
  /** The replies sent so far for this message. */
  readonly replies: OutgoingMessage[] = [];
  private readonly replyChanges: ReplyTransform[] = [];
  log: Logger;
  /**
   * True once the record-message step stored the incoming message: from then on replies are
   * recorded in the chat's history too. Replies to a message that was never recorded (a
   * stranger's message to a private bot) leave no history.
   */
  recorded = false;
  /** The language to answer in; the identify step refines it. */
  locale: Locale;
  private identifiedUser: UserRecord | undefined;
  private identifiedChat: ChatRecord | undefined;
  /** The skills with the tools they made for this user, once {@link withUserTools} ran. */
  private userTools: SkillRegistry | undefined;

  constructor(
    readonly services: BotServices,
    readonly adapter: Adapter,
    public message: IncomingMessage,
  ) {
    this.log = services.log.child({ platform: adapter.name });
    this.locale = normalizeLocale(message.sender.locale, services.settings.locale ?? 'en');
  }

  /** The bot's name. */
  get botName(): string {
    return this.services.settings.name;
  }

  /** The bot's storage. */
  get storage(): StorageDriver {
    return this.services.storage;
  }

  /**
   * The bot's loaded skills; after {@link withUserTools}, with the tools the skills made for this
   * user (the operations of the APIs they connected).
   */
  get skills(): SkillRegistry {
    return this.userTools ?? this.services.skills;
  }

  /**
   * Adds the tools the skills make for this user (`"dynamic_tools": true`) to {@link skills},
   * once per message; the planner calls it before it plans.
   */
  async withUserTools(): Promise<SkillRegistry> {
    if (this.userTools) return this.userTools;
    if (!this.services.toolsFor || !this.identifiedUser || !this.services.skills.makesTools)
      return this.services.skills;
    this.userTools = await this.services.toolsFor(this.callOptions());
    return this.userTools;
  }

  /** `adapter:chat` — the key of this chat across the runtime (queues, pending state). */
  get chatKey(): string {
    return `${this.adapter.name}:${this.message.chat.platformId}`;
  }

  /** True once the identify step has found the sender and the chat in storage. */
  get identified(): boolean {
    return this.identifiedUser !== undefined && this.identifiedChat !== undefined;
  }

  /** The sender's record. Throws before the identify step ran. */
  get user(): UserRecord {
    if (!this.identifiedUser) throw notIdentified('user');
    return this.identifiedUser;
  }

  set user(user: UserRecord) {
    this.identifiedUser = user;
  }

  /** The chat's record. Throws before the identify step ran. */
  get chat(): ChatRecord {
    if (!this.identifiedChat) throw notIdentified('chat');
    return this.identifiedChat;
  }

  /** Sets who sent the message and where (the identify step calls it). */
  identify(user: UserRecord, chat: ChatRecord): void {
    this.identifiedUser = user;
    this.identifiedChat = chat;
    this.log = this.services.log.child({
      platform: this.adapter.name,
      user: user.id,
      chat: chat.id,
    });
  }

  /** The message text (empty for a button press or a bare file). */
  get text(): string {
    return this.message.text;
  }

  /** The slash command, when the message is one. */
  get command(): CommandCall | undefined {
    if (this.message.command) return this.message.command;
    // A button whose data is a slash command runs it, as if typed (`/memory_approve mem_1`).
    const data = this.message.kind === 'button' ? this.message.buttonData : undefined;
    return data?.startsWith('/') ? parseCommand(data) : undefined;
  }

  /** The sender's role; undefined for a user who was not admitted (or not identified yet). */
  get role(): Role | undefined {
    return this.identifiedUser?.role;
  }

  /** A runtime string in the user's language: `context.t('help.title', { bot: 'Ada' })`. */
  t(
    key: keyof (typeof coreStrings)['en'] | string,
    params?: Record<string, string | number>,
  ): string {
    return translate(coreStrings, this.locale, key, params);
  }

  /**
   * Changes every later reply to this message before it is sent, in the order the changes were
   * added: a middleware that reads replies aloud adds a voice version, one that signs them adds
   * a line. A change that throws fails that reply.
   *
   * @example
   * context.transformReplies(async (reply) => ({ ...reply, text: `${reply.text}\n— Eva` }));
   */
  transformReplies(change: ReplyTransform): void {
    this.replyChanges.push(change);
  }

  /**
   * Sends a reply to the chat the message came from. It is recorded in the chat's history
   * (which the model reads) when the incoming message was; `{ history: false }` keeps a reply
   * that carries a credential out of it, and `{ untrusted: true }` marks a reply built from
   * outside content so that later turns still treat it as data.
   */
  async reply(
    message: string | OutgoingMessage,
    options: { history?: boolean; untrusted?: boolean } = {},
  ): Promise<SentMessage> {
    const job = this.message.job;
    let changed = toOutgoing(message);
    for (const change of this.replyChanges) changed = await change(changed);
    // What a queued job sends is its result: the web chat shows it as a job_result event.
    const outgoing = job ? { ...changed, job: { id: job.id, kind: job.kind } } : changed;
    this.replies.push(outgoing);
    const chat = this.identifiedChat;
    const record = chat && this.recorded && options.history !== false;
    return this.services.deliver(
      this.adapter,
      this.message.chat,
      outgoing,
      record
        ? { chatId: chat.id, ...(options.untrusted ? { meta: { untrusted: true } } : {}) }
        : {},
    );
  }

  /**
   * Runs a tool of a loaded skill for this user, with the same checks as everywhere. A tool a
   * skill made for the user runs as the declared tool it stands for, with its arguments checked
   * against its own input_schema first.
   */
  async callTool(
    name: string,
    args: unknown,
    options: { signal?: AbortSignal; provenance?: ToolProvenance } = {},
  ): Promise<unknown> {
    const skills = this.services.skills.getTool(name) ? this.skills : await this.withUserTools();
    const call = skills.resolveCall(name, args);
    return this.services.callTool(call.tool, call.args, { ...this.callOptions(), ...options });
  }

  /** Facts the recalling skills (memory) give for this message, within `maxTokens`. */
  recall(maxTokens: number): Promise<string[]> {
    if (!this.services.recall || !this.identifiedUser) return Promise.resolve([]);
    return this.services.recall({ text: this.text, maxTokens }, this.callOptions());
  }

  /** Who a tool runs for, in which chat and language, and the message it runs for. */
  callOptions() {
    const { message } = this;
    return {
      ...(this.identifiedUser ? { user: this.identifiedUser } : {}),
      ...(this.identifiedChat ? { chat: this.identifiedChat } : {}),
      locale: this.locale,
      message: {
        platform: message.platform,
        platformMessageId: message.platformMessageId,
        text: this.text,
        attachments: message.attachments,
        sentAt: message.sentAt,
      },
    };
  }
}

function notIdentified(what: 'user' | 'chat'): BotwireError {
  return new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
    message: `context.${what} is read before the identify-sender step of the chain ran. Place this middleware after it, or read context.message.sender.`,
  });
}
