import type { CreditLedger } from '../credits/credit-ledger';
import type { EgressRequestInit, EgressResponse } from '../egress/egress-fetch';
import type { EgressPolicy } from '../egress/egress-policy';
import type { Locale, StringTable } from '../i18n/translate';
import type { Logger } from '../logging/logger';
import type { Attachment, PaymentEvent } from '../messages/incoming-message';
import type { Artifact, Button, Invoice, VoiceMessage } from '../messages/outgoing-message';
import type { ChatRequest, ChatResponse } from '../ports/chat-model';
import type { CodeSandbox } from '../ports/code-sandbox';
import type { EmbeddingModel } from '../ports/embedding-model';
import type { ImageGenerator } from '../ports/image-generator';
import type { JobRecord } from '../ports/job-queue';
import type { SpeechSynthesizer } from '../ports/speech-synthesizer';
import type { ChatRecord, ScopedKeyValueStore, UserRecord } from '../ports/storage';
import type { Transcriber } from '../ports/transcriber';
import type { ScopedVectorIndex } from '../ports/vector-index';
import type { Recurrence } from '../scheduler/recurrence';
import type { DynamicTool } from './dynamic-tools';

/** The message a tool runs for, as its handler sees it. */
export interface ToolMessage {
  /** The adapter it came through (`telegram`, `web`, ...). */
  platform: string;
  /** The platform's id of the message: where a fact or a file came from. */
  platformMessageId: string;
  /** The text, or the file's caption. */
  text: string;
  /** The files it carries; `download()` reads their bytes. */
  attachments: readonly Attachment[];
  sentAt: Date;
}

/**
 * Settings of one user that every skill may read and write (`context.preferences`): the
 * user's time zone (`timezone`: an IANA name such as `Europe/Berlin`, or `UTC+03:00`) and the like.
 * Kept in the user's record, so they follow the user across skills and messengers.
 */
export interface UserPreferences {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Where a tool call's arguments came from, so that a tool that keeps what it is given (memory)
 * can record its source and trust.
 */
export interface ToolProvenance {
  /**
   * Who chose the call: `command` or `pattern` (the user's own words), `model` (the planner),
   * `direct` (code, the CLI, an HTTP API call).
   */
  via: 'command' | 'pattern' | 'model' | 'direct';
  /** Tools whose output fed the arguments, in plan order. */
  inputs: string[];
  /**
   * `untrusted` when the arguments came from outside content (a web page, a fetched file, an
   * outside tool's output), directly or carried over from an earlier turn.
   */
  trust: 'trusted' | 'untrusted';
}

/**
 * Reminders a tool sets for its user, in the chat the tool runs for (`context.schedule`): the
 * bot's job queue sends `text` there at `runAt`, or on `repeat` in `timezone`.
 */
export interface ToolScheduler {
  remind(input: {
    text: string;
    runAt?: Date;
    repeat?: Recurrence;
    timezone?: string;
    /** A short description for lists (the task without the time words). */
    label?: string;
    /**
     * `send` (default): send `text` to the chat. `run`: run `text` then as if the user had sent
     * it ("курс валют и погода"), with their permissions and budget, and send what comes of it.
     */
    action?: 'send' | 'run';
  }): Promise<JobRecord>;
  /** This user's active reminders set by this skill, soonest first. */
  list(): Promise<JobRecord[]>;
  /** Cancels one of them; false when it is not this user's (or not active). */
  cancel(id: string): Promise<boolean>;
}

/**
 * A skill's encrypted secrets (`context.secrets`): this user's when the tool runs for a user,
 * else the bot-wide ones of the skill. `get` falls back to the bot-wide value the operator set
 * with `botwire secrets set` (for this skill, then for every skill). Names are 1 to 128 of
 * `A-Z a-z 0-9 _ . -`; a value is a non-empty string of at most 64 KiB.
 *
 * @example
 * const token = await context.secrets.get('api_token');
 * if (!token) return { text: context.t('connect-first') };
 */
export interface ToolSecrets {
  /** The value, or undefined when neither this scope nor a bot-wide fallback has it. */
  get(name: string): Promise<string | undefined>;
  /** Stores (encrypted) a value of this scope. */
  set(name: string, value: string): Promise<void>;
  /** Deletes a value of this scope; false when it had none (bot-wide fallbacks stay). */
  delete(name: string): Promise<boolean>;
  /** The names `get` finds (this scope's and the bot-wide fallbacks'), sorted; never values. */
  list(): Promise<string[]>;
}

/** The bot's chat model as a tool may call it: each call counts in the user's budget. */
export interface ToolModel {
  readonly provider: string;
  readonly model: string;
  /** True when the model sees pictures (`images` on user messages). */
  readonly vision?: boolean;
  chat(request: ChatRequest): Promise<ChatResponse>;
}

/** What a tool handler receives besides its arguments. Capabilities appear only when declared. */
export interface ToolContext {
  /** The skill's name. */
  skill: string;
  /** The tool's name. */
  tool: string;
  /** Aborted when the tool's timeout_ms passes or the caller gives up; pass it to fetch and friends. */
  signal: AbortSignal;
  /** The user the tool runs for (undefined when run from the CLI without a user). */
  user?: UserRecord;
  chat?: ChatRecord;
  /** The language to answer in: a BCP-47 language subtag such as `en`, `ru` or `de`. */
  locale: Locale;
  /**
   * The user's time zone: their `timezone` preference (an IANA name or `UTC±HH:MM`), else the
   * bot's `defaultTimezone` (default `Europe/Moscow`).
   */
  timezone: string;
  /** The directory of the bot's config: file paths in the skill's options are relative to it. */
  configDir: string;
  log: Logger;
  /** The skill's options from the bot's config, validated against `config_schema`. */
  config: Record<string, unknown>;
  /** The skill's own strings in the user's language: `t('saved', { name })`. */
  t(key: string, params?: Record<string, string | number>): string;
  /** The skill's own key-value namespace, shared by all its users. Only with the `storage` permission. */
  storage: ScopedKeyValueStore;
  /**
   * The skill's key-value namespace for this user alone: no call made for another user reads
   * it. Only with the `storage` permission, and only when the tool runs for a user.
   */
  userStorage: ScopedKeyValueStore;
  /**
   * The skill's vectors for this user alone (the runtime picks the namespace from the bot, the
   * user, the skill and the embedding model). Only with the `storage` permission, for a user.
   *
   * @example
   * const { vectors: [vector] } = await context.embeddings.embed([text]);
   * await context.vectors.upsert([{ id, vector: vector!, payload: { text } }]);
   */
  vectors: ScopedVectorIndex;
  /** The user's preferences shared by all skills (`timezone`, ...). Only with `storage`, for a user. */
  preferences: UserPreferences;
  /** The bot's embedding model: `BOTWIRE_EMBEDDINGS` or the config's, else the lexical one (no model). */
  embeddings: EmbeddingModel;
  /** The bot's chat model, when it has one; calls count in the user's budget. */
  model?: ToolModel;
  /** Reminders for this user in this chat, sent by the bot's job queue. Only with the `schedule` permission. */
  schedule: ToolScheduler;
  /**
   * The bot's code sandbox (config `sandbox`, such as `dockerSandbox()`), or undefined when
   * the config names none: a skill then runs its own (`@botwire/skill-python` runs Pyodide).
   * Only with the `execute-code` permission.
   */
  sandbox: CodeSandbox | undefined;
  /**
   * This skill's secrets for this user (set/delete/get), falling back to bot-wide ones the
   * operator set with `botwire secrets set` (get only); bot-wide ones when the tool runs for no
   * user. Encrypted at rest; every value read or written is hidden from then on from logs,
   * replies, what the model is sent and the chat's history (`[redacted]`). Still, do not return
   * one in a result. Only with the `secrets` permission.
   */
  secrets: ToolSecrets;
  /**
   * The bot's image generator (config `images`; by default local previews labelled as such).
   * Undefined only when callTool() was given none.
   */
  images?: ImageGenerator;
  /** The bot's speech-to-text driver (config `transcriber`); undefined when none is configured. */
  transcriber?: Transcriber;
  /**
   * The bot's text-to-speech driver (config `speech`; by default espeak-ng and ffmpeg from the
   * system): return its audio as the reply's `voice`. Undefined only when callTool() was given none.
   */
  speech?: SpeechSynthesizer;
  /** Users' credit balances: charges, refunds, grants. Needs the `credits` permission. */
  credits: CreditLedger;
  /**
   * Finds the user a reference names, to credit them: a Botwire user id (`usr_...`) or a
   * platform identity (`telegram:123456`). Needs the `credits` permission.
   */
  findUser(reference: string): Promise<UserRecord | undefined>;
  /** The message the tool runs for, when it runs for one (not from the CLI). */
  message?: ToolMessage;
  /** Where the arguments came from: `{ via: 'direct', inputs: [], trust: 'trusted' }` when nobody says. */
  provenance: ToolProvenance;
  /**
   * Outbound HTTP through the bot's egress policy ({@link egressFetch}): private addresses
   * blocked, every redirect checked, the body read whole within the size and time caps.
   * Aborts with `context.signal` unless `init.signal` is given. Only with the `network` permission.
   *
   * @example
   * const page = await context.fetch('https://example.org/');
   */
  fetch(url: string | URL, init?: EgressRequestInit): Promise<EgressResponse>;
  /** The bot's egress policy, to check destinations (a browser checks every request with it). Only with `network` or `browser`. */
  egress: EgressPolicy;
}

/** What a tool may return: any JSON value, or a reply-shaped object with text, files and buttons. */
export interface ToolReply {
  /** What the user sees when the tool's result is the reply. */
  text?: string;
  artifacts?: Artifact[];
  buttons?: Button[][];
  /** A voice message (OGG/Opus, as `context.speech` makes it); a file where the messenger has no voice messages. */
  voice?: VoiceMessage;
  /** A bill to pay in the messenger (Telegram Stars); its `payload` must start with `<skill name>:`, so the skill's `payment` hook gets the payment. */
  invoice?: Invoice;
  /** Structured data for later steps and for `botwire tools call`. */
  data?: unknown;
}

/** What a skill's `payment` hook answers. */
export interface PaymentAnswer {
  /** For a `check`: take the payment (true) or decline it. */
  approve?: boolean;
  /** Why a check was declined, shown to the user by the messenger. */
  reason?: string;
  /** A message to the user (after a `paid`: what they got). */
  reply?: string;
}

/** A tool's implementation: arguments already validated against its input_schema (defaults filled in). */
// biome-ignore lint/suspicious/noExplicitAny: an untyped skill's handlers name their input types themselves.
export type ToolHandler<Input = any, Output = unknown> = (
  input: Input,
  context: ToolContext,
) => Output | Promise<Output>;

/**
 * Strings a skill ships, by language (any BCP-47 language subtag; English is the fallback):
 * `{ en: { saved: 'Saved {name}' }, de: { saved: '{name} gespeichert' } }`.
 */
export type SkillStrings = StringTable;

/**
 * Each tool's input by tool name, as `botwire skills types` writes it (`SkillInputs` in
 * `src/skill-types.ts`, generated from the input_schemas in `skill.json`).
 */
// biome-ignore lint/suspicious/noExplicitAny: the untyped default: any tool, any input.
export type ToolInputs = Record<string, any>;

/** One handler per tool of `Inputs`, each taking that tool's input. */
export type ToolHandlers<Inputs extends object = ToolInputs> = {
  [Tool in keyof Inputs]: ToolHandler<Inputs[Tool]>;
};

/**
 * The code half of a skill: one handler per tool declared in `skill.json`. With `Inputs` (the
 * generated `SkillInputs`) every handler's input is typed from its input_schema, and a tool
 * without a handler, or a handler without a tool, is a type error.
 */
export interface SkillDefinition<Inputs extends object = ToolInputs> {
  tools: ToolHandlers<Inputs>;
  strings?: SkillStrings;
  /**
   * Facts for the model about this user and message (long-term memory), declared with
   * `"recall": true` in skill.json. Runs before each planning call with the permissions of the
   * skill's tools and 2 s to answer; each fact is one short line, given to the model as data.
   */
  recall?: (request: RecallRequest, context: ToolContext) => Promise<string[]> | string[];
  /**
   * Tools this skill makes for the user of `context` (the operations of the APIs they
   * connected), declared with `"dynamic_tools": true` in skill.json: the planner sees them beside
   * the declared tools, and each runs as a call of a declared tool (see {@link DynamicTool}).
   * Runs with the permissions of the skill's tools and 2 s to answer, before planning.
   */
  dynamicTools?: (context: ToolContext) => Promise<DynamicTool[]> | DynamicTool[];
  /**
   * Multi-step flows the skill offers (connect an API: its address, credentials, a test, save),
   * each listed by name in skill.json's `conversations`; a command with `"conversation"`
   * starts one. Their steps and `done` get the message's context (`context.callTool` runs the
   * skill's tools for the user).
   */
  conversations?: SkillConversation[];
  /**
   * Handles the payments of the skill's invoices (those whose payload starts with
   * `<skill name>:`): approves or declines the `check` just before the user pays, and credits the
   * `paid` one (its `chargeId` is the key to credit it once). `reply` is sent to the user.
   */
  payment?: (event: PaymentEvent, context: ToolContext) => Promise<PaymentAnswer> | PaymentAnswer;
}

/**
 * A conversation a skill exports: made with `defineConversation` (typed loosely here, since a
 * conversation's steps get the message's context, which depends on this file).
 */
export interface SkillConversation {
  readonly name: string;
  readonly steps: readonly unknown[];
}

/** What a skill's `recall` gets: the message, and how much it may return. */
export interface RecallRequest {
  /** The user's message. */
  text: string;
  /** At most this many tokens of facts (about four characters a token). */
  maxTokens: number;
}

/**
 * Declares a skill's handlers; the manifest lives in `skill.json` beside it. Pass the
 * `SkillInputs` that `botwire skills types` generates, and the handlers' inputs are typed
 * from the manifest's input_schemas, written once.
 *
 * @example
 * import type { SkillInputs } from './skill-types';
 *
 * export default defineSkill<SkillInputs>({
 *   tools: {
 *     echo: async ({ text }) => ({ text }), // text: string, from skill.json
 *   },
 * });
 */
export function defineSkill<Inputs extends object = ToolInputs>(
  // NoInfer: without `SkillInputs` the handlers stay untyped (any input) instead of `unknown`.
  definition: SkillDefinition<NoInfer<Inputs>>,
): SkillDefinition<Inputs> {
  return definition;
}

/** A skill defined in code instead of in a package: its manifest object and its handlers. */
export interface InlineSkill {
  manifest: import('./skill-manifest').SkillManifest;
  definition: SkillDefinition;
}
