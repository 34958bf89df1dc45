import type { ConversationDefinition } from '../conversations/conversation-types';
import type { EgressConfig } from '../egress/egress-config';
import type { LogLevel } from '../logging/logger';
import type { Middleware } from '../middleware/composer';
import type { Adapter } from '../ports/adapter';
import type { ChatSequencer } from '../ports/chat-sequencer';
import type { CodeSandbox } from '../ports/code-sandbox';
import type { ImageGenerator } from '../ports/image-generator';
import type { JobQueue } from '../ports/job-queue';
import type { SpeechSynthesizer } from '../ports/speech-synthesizer';
import type { StorageDriver } from '../ports/storage';
import type { Transcriber } from '../ports/transcriber';
import type { VectorIndex } from '../ports/vector-index';
import type { BotContext } from '../runtime/bot-context';
import type { BotExtension } from '../runtime/bot-extension';
import type { ChainStep } from '../runtime/chain-steps';
import type { SkillSource } from '../skills/skill-registry';
import type { UsageLimits } from '../usage/usage-limits';

/** A skill the bot loads: a package name or a path, with the permissions and options the bot gives it. */
export type SkillEntry = SkillSource;

/** An adapter the bot runs: an adapter object, a short name (`console` → `@botwire/adapter-console`), or a name with options. */
export type AdapterEntry = Adapter | string | { use: string; options?: Record<string, unknown> };

/** A chat model with the settings of its calls. */
export interface ModelEntry {
  /** `openai:<model>` or `ollama:<model>`. */
  use: string;
  /** Per attempt. Default 30000. */
  timeoutMs?: number;
  /** Retries after a 429 or 5xx. Default 2. */
  retries?: number;
  /** Consecutive failed calls that open the circuit breaker. Default 5. */
  failureThreshold?: number;
  /** How long the open circuit refuses calls before it tries one. Default 30000. */
  coolDownMs?: number;
}

/** The bot's configuration, as written in `botwire.config.ts`, `.js` or `.json`. */
export interface BotConfig {
  /** The bot's name, used in greetings and logs. Default: `Botwire`. */
  name?: string;
  /** Where the bot keeps its data. Default: `./data` beside the config; `BOTWIRE_DATA_DIR` overrides it. */
  dataDir?: string;
  /**
   * The time zone of users who did not tell theirs (an IANA name or `UTC±HH:MM`): reminders and
   * schedules use it. Default: `Europe/Moscow`.
   */
  defaultTimezone?: string;
  /** The language of replies when a user's language is unknown, a BCP-47 tag (`en`, `ru`, `de`). Default: `en`. */
  locale?: string;
  /**
   * Who may talk to the bot. `owner` (default): only its owner and the users they admit.
   * `open`: everyone (a public FAQ bot).
   */
  access?: 'owner' | 'open';
  /** Users admitted from the start: platform identities such as `telegram:123456`, or Botwire user ids. */
  allow?: string[];
  /**
   * Daily limits per role, such as `{ user: { messagesPerDay: 50 }, guest: { messagesPerDay: 10 } }`.
   * A role without an entry is unlimited (the owner, unless given one); `guest` is a user with no
   * role on an open bot. See docs/reference/usage-and-limits.md.
   */
  limits?: UsageLimits;
  /** Storage: `sqlite` (default, a file in dataDir), `memory` (lost on exit), or a driver object. */
  storage?: 'sqlite' | 'memory' | StorageDriver;
  /** Messenger adapters to run with `botwire start`. */
  adapters?: AdapterEntry[];
  /** Skills to load, with what each is allowed to do. */
  skills?: SkillEntry[];
  /**
   * Middleware that runs after access control, the built-in commands and the budget, and
   * before conversations and the planner (the `user-middleware` step of the chain).
   */
  middleware?: Middleware<BotContext>[];
  /**
   * Reorders or extends the chain: gets the default steps (identify-sender, access-control,
   * record-message, payments, builtin-commands, budget, user-middleware, conversations,
   * pending-confirmation, rules-planner, model-planner, fallback) and returns the steps to run.
   *
   * @example
   * chain: (steps) => insertStep(steps, { before: 'identify-sender' }, { name: 'rate-limit', middleware: limiter }),
   */
  chain?: (steps: ChainStep[]) => ChainStep[];
  /**
   * Parts of the bot that add chain steps and run work of their own beside the messages, such
   * as `bankDesk()` from `@botwire/skill-banking-faq` (tickets, broadcast, registration).
   */
  extensions?: BotExtension[];
  /** Multi-step flows (wizards) the bot can enter; see `defineConversation`. */
  conversations?: ConversationDefinition<any>[];
  /** The bot's character, given to the model with every message. */
  persona?: string;
  /**
   * The chat model: `openai:<model>`, `ollama:<model>` or `none` (commands and patterns only),
   * or `{ use, timeoutMs, retries, ... }`. `BOTWIRE_MODEL` overrides it. Default: none.
   */
  model?: string | ModelEntry;
  /**
   * The embedding model for memory and document search: `lexical` (default: no model, Russian
   * and English word forms and typos handled), `openai:<model>` or `ollama:<model>`, or
   * `{ use, timeoutMs, retries, ... }`. `BOTWIRE_EMBEDDINGS` overrides it. Changing it starts
   * new vector namespaces: skills re-index what they keep.
   */
  embeddings?: string | ModelEntry;
  /**
   * Where vectors live: `embedded` (default: in the bot's storage, searched in process) or a
   * vector index object such as `qdrantVectorIndex({ url })` from `@botwire/vector-qdrant`.
   */
  vectors?: 'embedded' | VectorIndex;
  /**
   * Where jobs and reminders wait: `embedded` (default: in the bot's storage, timed in this
   * process) or a job queue object such as `bullmqJobQueue({ url })` from `@botwire/queue-bullmq`
   * for several bot processes.
   */
  queue?: 'embedded' | JobQueue;
  /**
   * What keeps each chat's updates in order across the bot's processes (several behind one
   * Telegram webhook): `storage` (the default for storage several processes can share: a look
   * at storage every few ms while a chat is busy), a sequencer object such as
   * `redisChatSequencer({ url })` from `@botwire/queue-bullmq` (woken at once through Redis),
   * or `none` for a bot that runs in one process only. Memory storage needs none.
   */
  sequencer?: 'storage' | 'none' | ChatSequencer;
  /**
   * Where code of the `execute-code` tools runs (`context.sandbox`): a code sandbox object such
   * as `dockerSandbox()` from `@botwire/sandbox-docker` or `pyodideSandbox({ pool: 4 })` from
   * `@botwire/sandbox-pyodide`. Default: none, and `@botwire/skill-python` runs its own Pyodide.
   * The bot closes it when it stops.
   */
  sandbox?: CodeSandbox;
  /**
   * The image generator tools reach as `context.images`: `previewImageGenerator()` from core
   * (local stand-ins labelled as previews, no account), `openaiImageGenerator()` from
   * `@botwire/model-openai`, `falImageGenerator()` from `@botwire/images-fal`. Default: the preview.
   */
  images?: ImageGenerator;
  /** Speech to text for tools (`context.transcriber`), such as `openaiTranscriber()`. Default: none. */
  transcriber?: Transcriber;
  /**
   * Text to speech for tools (`context.speech`): voice replies. Default: the embedded
   * `espeakSpeechSynthesizer()` (espeak-ng and ffmpeg from the system); `openaiSpeechSynthesizer()`
   * from `@botwire/model-openai` for natural voices.
   */
  speech?: SpeechSynthesizer;
  /** How the planner works. */
  planner?: {
    /** `auto` (default): the model picks plan-then-execute or step-by-step; or force one. */
    mode?: 'auto' | 'plan' | 'step-by-step';
    /** How much chat history the model sees, in tokens. Default 1500. */
    historyTokens?: number;
    /** How many tokens of recalled facts (long-term memory) the model sees. Default 400. */
    factTokens?: number;
  };
  log?: { level?: LogLevel; format?: 'pretty' | 'json' };
  /**
   * The HTTP server (health, readiness, metrics, webhooks, web chat). It starts when an adapter
   * needs it or this is set; `false` turns it off. Host and port default to `HOST`/`PORT` or
   * 127.0.0.1:3000; the token to `BOTWIRE_API_TOKEN` (required on any address but loopback).
   */
  http?: false | { host?: string; port?: number; token?: string };
  /**
   * Where skills' outbound requests (fetch, browser, integrations) may go. By default: http and
   * https on ports 80 and 443 to public addresses only; private, loopback and link-local
   * addresses are blocked. `BOTWIRE_EGRESS_ALLOW` and `BOTWIRE_EGRESS_DENY` (comma-separated)
   * add to the lists. See docs/reference/egress.md.
   */
  egress?: EgressConfig;
}

/**
 * Gives a config file its types. It returns the config unchanged.
 *
 * @example
 * // botwire.config.ts
 * import { defineConfig } from '@botwire/core';
 * export default defineConfig({
 *   name: 'Helper',
 *   adapters: ['console'],
 *   skills: [{ use: './skills/notes', permissions: ['storage'] }],
 * });
 */
export function defineConfig(config: BotConfig): BotConfig {
  return config;
}
