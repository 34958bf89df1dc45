import type { Locale } from '../i18n/translate';
import type { Logger } from '../logging/logger';
import type { ChatRef, PaymentEvent } from '../messages/incoming-message';
import type { OutgoingMessage, SentMessage } from '../messages/outgoing-message';
import type { Plan } from '../planner/plan';
import type { Adapter } from '../ports/adapter';
import type { ChatModel } from '../ports/chat-model';
import type { HttpRoutes } from '../ports/http-routes';
import type { ImageGenerator } from '../ports/image-generator';
import type { JobQueue, JobRecord } from '../ports/job-queue';
import type { SpeechSynthesizer } from '../ports/speech-synthesizer';
import type { ChatRecord, StorageDriver, UserRecord } from '../ports/storage';
import type { SecretStore } from '../secrets/secret-store';
import type { PaymentAnswer, RecallRequest } from '../skills/define-skill';
import type { CallToolOptions, SkillRegistry } from '../skills/skill-registry';

/** The bot's settings that middleware reads, as plain data. */
export interface BotSettings {
  /** The bot's name, used in greetings and logs. */
  readonly name: string;
  /** The bot's character, given to the model with every message. */
  readonly persona?: string;
  /** The language for users whose language is unknown. */
  readonly locale?: Locale;
  /** `owner`: only the owner and admitted users get past access control; `open`: everyone. */
  readonly access: 'owner' | 'open';
  /** Identities (`telegram:123`) or user ids admitted from the config. */
  readonly allow: readonly string[];
  /** The time zone of users who did not tell theirs (config `defaultTimezone`). */
  readonly defaultTimezone?: string;
}

/**
 * What the runtime offers middleware and command handlers: storage, the loaded skills, a way to
 * send messages and to run tools, and the bot's settings. A middleware needs only this, never
 * the whole bot, so it can be tested with a hand-made services object.
 *
 * @example
 * const services: BotServices = { settings, storage, skills, log, adapter: () => undefined,
 *   deliver: async () => ({ platformMessageIds: [] }), callTool: async () => null };
 */
export interface BotServices {
  readonly settings: BotSettings;
  readonly storage: StorageDriver;
  readonly skills: SkillRegistry;
  readonly log: Logger;
  /** The chat model the planner uses; undefined when the bot runs on commands and patterns alone. */
  chatModel(): ChatModel | undefined;
  /** A running adapter by name (`telegram`), to reach a user on another messenger. */
  adapter(name: string): Adapter | undefined;
  /**
   * Sends a message through an adapter, degrading what it cannot show (buttons become numbered
   * options), and records it in the chat's history when `chatId` is given, with `meta` (such as
   * `{ untrusted: true }`) on the stored record.
   */
  deliver(
    adapter: Adapter,
    chat: ChatRef,
    message: OutgoingMessage,
    options?: { chatId?: string; meta?: Record<string, unknown> },
  ): Promise<SentMessage>;
  /** Runs one tool with the registry's checks (permissions, arguments, timeout) and usage tracking. */
  callTool(
    name: string,
    args: unknown,
    options?: Omit<CallToolOptions, 'storage' | 'log' | 'egress'>,
  ): Promise<unknown>;
  /**
   * Queues work as a background job of this user in this chat: the plan the planner made
   * (run as it is later), or the message's text alone (planned when the job runs). The result
   * comes to the same chat on the same messenger. Undefined when the bot has no job queue.
   */
  queueTask?(
    work: { text: string; user: UserRecord; chat: ChatRecord },
    plan: Plan | undefined,
  ): Promise<JobRecord>;
  /**
   * Facts the skills that recall (`"recall": true`, such as memory) give for a user's message,
   * within `request.maxTokens`; a skill that fails is left out. Optional: without it, none.
   */
  recall?(
    request: RecallRequest,
    options?: Omit<CallToolOptions, 'storage' | 'log' | 'egress'>,
  ): Promise<string[]>;
  /**
   * The skills with the tools they make for this user (`"dynamic_tools": true`, such as an
   * integration's API operations). Optional: without it, the declared tools only.
   */
  toolsFor?(options: Omit<CallToolOptions, 'storage' | 'log' | 'egress'>): Promise<SkillRegistry>;
  /**
   * The bot's encrypted store (the key ring of `botwire secrets`), for values that must not be
   * on disk in plain text, such as a customer's phone number. Optional: hand-made services may
   * leave it out.
   */
  secrets?(): SecretStore;
  /**
   * Runs the `payment` hook of the skill a payment belongs to (payload `<skill>:...`).
   * Optional: without it, payments find no skill (a check is declined).
   */
  payment?(
    event: PaymentEvent,
    options?: Omit<CallToolOptions, 'storage' | 'log' | 'egress'>,
  ): Promise<PaymentAnswer | undefined>;
  /** Hides a secret value from logs, replies and the model from now on (the bot's redactor). */
  hideSecret?(value: string): void;
  // `context` below is the message's BotContext (typed loosely: BotContext depends on this file).
  /** True when the sender's message answers a conversation step marked `secret`. */
  expectsSecret?(context: object): Promise<boolean>;
  /** Keeps a conversation's secret answer encrypted for this user; returns what stands for it in the data. */
  keepSecret?(userId: string, name: string, value: unknown): Promise<unknown>;
  /** The secret answer {@link keepSecret} kept, deleted from the store as it is read. */
  takeSecret?(userId: string, kept: unknown): Promise<unknown>;
  /** Starts a conversation (the bot's or a skill's) by name for the message's sender. */
  enterConversation?(context: object, name: string, data?: Record<string, unknown>): Promise<void>;
  /**
   * The bot's job queue, for an extension's own background jobs (`queue.process(name, ...)` in
   * its `start`, `queue.add(...)` later). Optional: hand-made services may leave it out.
   */
  jobs?(): JobQueue | undefined;
  /**
   * The bot's HTTP server, for an extension's routes (a provider's webhook). Mounting makes the
   * bot listen (`PORT`, default 3000 on 127.0.0.1). Throws when the config has `http: false`.
   */
  http?(): HttpRoutes;
  /** The bot's image generator (config `images`, else local previews). */
  images?(): ImageGenerator;
  /** The bot's text to speech (config `speech`, else the embedded espeak driver). */
  speech?(): SpeechSynthesizer;
}
