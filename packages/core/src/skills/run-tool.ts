import type { ValidateFunction } from 'ajv';
import { CreditLedger } from '../credits/credit-ledger';
import { egressFetch } from '../egress/egress-fetch';
import { EgressPolicy } from '../egress/egress-policy';
import { BotwireError, isBotwireError, type Problem } from '../errors/botwire-error';
import type { ProblemCode } from '../errors/error-catalog';
import { type Locale, normalizeLocale, translate } from '../i18n/translate';
import type { Logger } from '../logging/logger';
import { lexicalEmbeddingModel } from '../models/lexical-embeddings';
import type { CodeSandbox } from '../ports/code-sandbox';
import type { EmbeddingModel } from '../ports/embedding-model';
import type { ImageGenerator } from '../ports/image-generator';
import type { SpeechSynthesizer } from '../ports/speech-synthesizer';
import type { ChatRecord, StorageDriver, UserRecord } from '../ports/storage';
import type { Transcriber } from '../ports/transcriber';
import type { VectorIndex } from '../ports/vector-index';
import type { SecretStore } from '../secrets/secret-store';
import { toolSecrets } from '../secrets/tool-secrets';
import { scopeKeyValueStore } from '../storage/scope-key-value-store';
import { scopeVectorIndex } from '../vectors/scope-vector-index';
import type {
  SkillDefinition,
  SkillStrings,
  ToolContext,
  ToolHandler,
  ToolMessage,
  ToolModel,
  ToolProvenance,
  ToolScheduler,
  UserPreferences,
} from './define-skill';
import { describeErrors } from './json-schema';
import type { Permission, ToolManifest } from './skill-manifest';

/** Options for one tool call. */
export interface CallToolOptions {
  /** The user the tool runs for. */
  user?: UserRecord;
  chat?: ChatRecord;
  /** The language to answer in; defaults to the user's locale, then English. */
  locale?: Locale;
  /** Aborts the call (and the handler's `context.signal`) when the caller gives up. */
  signal?: AbortSignal;
  log?: Logger;
  /** The storage driver behind `context.storage`, for tools with the `storage` permission. */
  storage?: StorageDriver;
  /** The egress policy behind `context.fetch` and `context.egress`; default: the default policy. */
  egress?: EgressPolicy;
  /** The vector index behind `context.vectors`, for tools with the `storage` permission. */
  vectors?: VectorIndex;
  /** The embedding model behind `context.embeddings`; default: the lexical one. */
  embeddings?: EmbeddingModel;
  /** The chat model behind `context.model` (calls counted in the budget by whoever made it). */
  model?: ToolModel;
  /** The bot's name: part of the vector namespace, so bots sharing a vector server stay apart. */
  botName?: string;
  /** The directory of the bot's config (`context.configDir`); default: the working directory. */
  configDir?: string;
  /** The time zone of users who did not tell theirs. Default `Europe/Moscow`. */
  defaultTimezone?: string;
  /** The bot's code sandbox (config `sandbox`), behind `context.sandbox`. */
  sandbox?: CodeSandbox;
  /** The bot's encrypted secrets, behind `context.secrets`. */
  secrets?: SecretStore;
  /** The bot's image generator, behind `context.images`. */
  images?: ImageGenerator;
  /** The bot's speech-to-text driver, behind `context.transcriber`. */
  transcriber?: Transcriber;
  /** The bot's text-to-speech driver, behind `context.speech`. */
  speech?: SpeechSynthesizer;
  /** Users' credits, behind `context.credits`; default: a ledger on `storage`. */
  credits?: CreditLedger;
  /** The bot's job queue, behind `context.schedule`. */
  jobs?: {
    scheduler(user: UserRecord, chat: ChatRecord | undefined, skill: string): ToolScheduler;
  };
  /** The message the tool runs for. */
  message?: ToolMessage;
  /** Where the arguments came from (the planner tells); default: a direct, trusted call. */
  provenance?: ToolProvenance;
}

/** The bot's time zone for users who did not tell theirs, unless the config says another. */
export const defaultBotTimezone = 'Europe/Moscow';

/** The `timezone` preference in the user's record, when they told it. */
export function userTimezone(user: UserRecord | undefined): string | undefined {
  const preferences = user?.data.preferences as Record<string, unknown> | undefined;
  const timezone = preferences?.timezone;
  return typeof timezone === 'string' && timezone ? timezone : undefined;
}

/** Preferences kept in `data.preferences` of the user's record. */
function userPreferences(storage: StorageDriver, userId: string): UserPreferences {
  const read = async () => {
    const user = await storage.users.get(userId);
    const preferences = user?.data.preferences;
    return {
      data: user?.data ?? {},
      preferences:
        preferences && typeof preferences === 'object' && !Array.isArray(preferences)
          ? (preferences as Record<string, unknown>)
          : {},
    };
  };
  return {
    async get<T>(key: string) {
      return (await read()).preferences[key] as T | undefined;
    },
    async set(key, value) {
      const { data, preferences } = await read();
      await storage.users.update(userId, {
        data: { ...data, preferences: { ...preferences, [key]: value } },
      });
    },
    async delete(key) {
      const { data, preferences } = await read();
      if (!(key in preferences)) return;
      const { [key]: _removed, ...rest } = preferences;
      await storage.users.update(userId, { data: { ...data, preferences: rest } });
    },
  };
}

/**
 * The key-value namespace a skill's tools see as `context.storage` (shared by its users), or,
 * with a user, as `context.userStorage`: for code beside the skill (a bot extension) that reads
 * or writes the same data.
 *
 * @example
 * const avatars = await storage.kv.list(skillNamespace('avatars', userId), { prefix: 'avatar:' });
 */
export function skillNamespace(skill: string, userId?: string): string {
  return userId === undefined ? `skill:${skill}` : `skill:${skill}:user:${userId}`;
}

/** The lexical embeddings of calls made without a model (one per process, they hold no state). */
let defaultEmbeddings: EmbeddingModel | undefined;

/**
 * The vector namespace of a skill's data for one user: the bot, the user, the skill and the
 * embedding model (vectors of two models do not compare, so a new model starts a new namespace).
 */
export function vectorNamespace(
  botName: string,
  userId: string,
  skill: string,
  embeddings: Pick<EmbeddingModel, 'provider' | 'model'>,
): string {
  const model = `${embeddings.provider}.${embeddings.model}`.replace(/[^A-Za-z0-9._-]/g, '_');
  const bot = botName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40);
  return `bot:${bot}/user:${userId}/skill:${skill}/${model.slice(0, 60)}`;
}

/** What {@link runTool} needs to know about the tool and its skill. */
export interface RunnableTool {
  skill: string;
  manifest: ToolManifest;
  /** Permissions the tool both declares and is granted. */
  effectivePermissions: readonly Permission[];
  /** The skill's handlers and strings, imported on the first call when they were not at start. */
  loadDefinition: () => Promise<SkillDefinition>;
  config: Record<string, unknown>;
  /** Validators compiled once, when the skill was loaded. */
  validateInput: ValidateFunction;
  validateOutput?: ValidateFunction;
}

function cloneJson(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

function schemaProblems(
  validate: ValidateFunction,
  rootLabel: string,
  code: ProblemCode,
): Problem[] {
  return describeErrors(validate.errors ?? [], rootLabel).map((issue) => ({
    path: issue.path,
    code,
    message: issue.message,
  }));
}

/**
 * Checks a tool's arguments against its input_schema (filling in defaults). Throws
 * BOTWIRE_TOOL_ARGUMENTS_INVALID with one problem per mistake; the handler is never entered.
 */
export function checkArguments(tool: RunnableTool, args: unknown): Record<string, unknown> {
  const input = cloneJson(args ?? {});
  if (tool.validateInput(input)) return input as Record<string, unknown>;
  const problems = schemaProblems(tool.validateInput, 'arguments', 'BOTWIRE_ARGUMENT_INVALID');
  throw new BotwireError('BOTWIRE_TOOL_ARGUMENTS_INVALID', {
    message: `Tool "${tool.manifest.name}" got arguments that do not match its input_schema: ${problems.map((problem) => problem.message).join('; ')}.`,
    problems,
    details: { tool: tool.manifest.name, skill: tool.skill },
  });
}

/** The policy of calls made without one (a registry used on its own): the defaults. */
let defaultEgress: EgressPolicy | undefined;

export function buildToolContext(
  tool: RunnableTool,
  strings: SkillStrings,
  signal: AbortSignal,
  options: CallToolOptions,
  log: Logger,
): ToolContext {
  const locale = options.locale ?? normalizeLocale(options.user?.locale);
  const context = {
    skill: tool.skill,
    tool: tool.manifest.name,
    signal,
    ...(options.user ? { user: options.user } : {}),
    ...(options.chat ? { chat: options.chat } : {}),
    locale,
    timezone: userTimezone(options.user) ?? options.defaultTimezone ?? defaultBotTimezone,
    configDir: options.configDir ?? process.cwd(),
    log: log.child({ skill: tool.skill, tool: tool.manifest.name }),
    config: tool.config,
    t: (key: string, params?: Record<string, string | number>) =>
      translate(strings, locale, key, params),
    ...(options.model ? { model: options.model } : {}),
    ...(options.images ? { images: options.images } : {}),
    ...(options.transcriber ? { transcriber: options.transcriber } : {}),
    ...(options.speech ? { speech: options.speech } : {}),
    ...(options.message ? { message: options.message } : {}),
    provenance: options.provenance ?? { via: 'direct', inputs: [], trust: 'trusted' },
  } as Omit<
    ToolContext,
    | 'storage'
    | 'userStorage'
    | 'vectors'
    | 'preferences'
    | 'embeddings'
    | 'schedule'
    | 'sandbox'
    | 'secrets'
    | 'credits'
    | 'findUser'
    | 'fetch'
    | 'egress'
  > as ToolContext;
  const capability = (name: string, needs: readonly Permission[]) => {
    if (needs.some((permission) => tool.effectivePermissions.includes(permission))) return;
    const wanted = needs.map((permission) => `"${permission}"`).join(' or ');
    throw new BotwireError('BOTWIRE_CAPABILITY_NOT_DECLARED', {
      message: `Tool "${tool.manifest.name}" of skill "${tool.skill}" used context.${name} without the ${wanted} permission. Declare ${wanted} in the tool's permissions in skill.json, and grant it in the bot config.`,
      details: { tool: tool.manifest.name, skill: tool.skill, capability: name },
    });
  };
  const policy = () => {
    if (options.egress) return options.egress;
    defaultEgress ??= new EgressPolicy();
    return defaultEgress;
  };
  Object.defineProperty(context, 'egress', {
    enumerable: true,
    get() {
      capability('egress', ['network', 'browser']);
      return policy();
    },
  });
  const fetch: ToolContext['fetch'] = (url, init = {}) =>
    egressFetch(policy(), url, { ...init, signal: init.signal ?? signal });
  Object.defineProperty(context, 'fetch', {
    enumerable: true,
    get() {
      capability('fetch', ['network']);
      return fetch;
    },
  });
  let storage: ToolContext['storage'] | undefined;
  Object.defineProperty(context, 'storage', {
    enumerable: true,
    get() {
      capability('storage', ['storage']);
      if (!options.storage) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `Tool "${tool.manifest.name}" needs storage, but callTool() was given no storage driver (options.storage).`,
        });
      }
      storage ??= scopeKeyValueStore(options.storage.kv, skillNamespace(tool.skill));
      return storage;
    },
  });
  const requireUser = (name: string): UserRecord => {
    if (options.user) return options.user;
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `Tool "${tool.manifest.name}" used context.${name}, which belongs to a user, but it runs for none (from the CLI, pass --user or run it in a chat).`,
    });
  };
  const embeddings = () => {
    if (options.embeddings) return options.embeddings;
    defaultEmbeddings ??= lexicalEmbeddingModel();
    return defaultEmbeddings;
  };
  Object.defineProperty(context, 'embeddings', { enumerable: true, get: embeddings });
  let userStorage: ToolContext['userStorage'] | undefined;
  Object.defineProperty(context, 'userStorage', {
    enumerable: true,
    get() {
      capability('userStorage', ['storage']);
      const user = requireUser('userStorage');
      if (!options.storage) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `Tool "${tool.manifest.name}" needs storage, but callTool() was given no storage driver (options.storage).`,
        });
      }
      userStorage ??= scopeKeyValueStore(options.storage.kv, skillNamespace(tool.skill, user.id));
      return userStorage;
    },
  });
  Object.defineProperty(context, 'preferences', {
    enumerable: true,
    get() {
      capability('preferences', ['storage']);
      const user = requireUser('preferences');
      if (!options.storage) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `Tool "${tool.manifest.name}" needs storage, but callTool() was given no storage driver (options.storage).`,
        });
      }
      return userPreferences(options.storage, user.id);
    },
  });
  let credits: CreditLedger | undefined;
  Object.defineProperty(context, 'credits', {
    enumerable: true,
    get() {
      capability('credits', ['credits']);
      if (options.credits) return options.credits;
      if (!options.storage) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `Tool "${tool.manifest.name}" needs credits, but callTool() was given no storage driver (options.storage).`,
        });
      }
      credits ??= new CreditLedger(options.storage.kv);
      return credits;
    },
  });
  const findUser: ToolContext['findUser'] = async (reference) => {
    const { users } = options.storage!;
    const byId = await users.get(reference);
    if (byId) return byId;
    const split = reference.indexOf(':');
    if (split <= 0) return undefined;
    return users.findByIdentity({
      platform: reference.slice(0, split),
      platformId: reference.slice(split + 1),
    });
  };
  Object.defineProperty(context, 'findUser', {
    enumerable: true,
    get() {
      capability('findUser', ['credits']);
      if (!options.storage) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `Tool "${tool.manifest.name}" looks users up, but callTool() was given no storage driver (options.storage).`,
        });
      }
      return findUser;
    },
  });
  Object.defineProperty(context, 'sandbox', {
    enumerable: true,
    get() {
      capability('sandbox', ['execute-code']);
      return options.sandbox;
    },
  });
  let secrets: ToolContext['secrets'] | undefined;
  Object.defineProperty(context, 'secrets', {
    enumerable: true,
    get() {
      capability('secrets', ['secrets']);
      if (!options.secrets) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `Tool "${tool.manifest.name}" needs secrets, but callTool() was given no secret store (options.secrets).`,
        });
      }
      secrets ??= toolSecrets(options.secrets, tool.skill, options.user?.id);
      return secrets;
    },
  });
  Object.defineProperty(context, 'schedule', {
    enumerable: true,
    get() {
      capability('schedule', ['schedule']);
      const user = requireUser('schedule');
      if (!options.jobs) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `Tool "${tool.manifest.name}" needs the job queue, but callTool() was given none (options.jobs).`,
        });
      }
      return options.jobs.scheduler(user, options.chat, tool.skill);
    },
  });
  let vectors: ToolContext['vectors'] | undefined;
  Object.defineProperty(context, 'vectors', {
    enumerable: true,
    get() {
      capability('vectors', ['storage']);
      const user = requireUser('vectors');
      if (!options.vectors) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `Tool "${tool.manifest.name}" needs a vector index, but callTool() was given none (options.vectors).`,
        });
      }
      vectors ??= scopeVectorIndex(
        options.vectors,
        vectorNamespace(options.botName ?? 'botwire', user.id, tool.skill, embeddings()),
      );
      return vectors;
    },
  });
  return context;
}

/**
 * Runs a tool's handler with its context: arguments checked first, an AbortSignal that fires at
 * timeout_ms or when the caller aborts, the call rejected with BOTWIRE_TOOL_TIMEOUT at the
 * timeout even if the handler ignores the signal, errors wrapped as BOTWIRE_TOOL_FAILED, and
 * the result checked against output_schema. Permissions are checked by the caller.
 */
export async function runTool(
  tool: RunnableTool,
  args: unknown,
  options: CallToolOptions,
  log: Logger,
): Promise<unknown> {
  const name = tool.manifest.name;
  if (options.signal?.aborted) throw options.signal.reason;
  const input = checkArguments(tool, args);
  // The first call of a skill whose module was not loaded at start imports it here.
  const definition = await tool.loadDefinition();
  if (options.signal?.aborted) throw options.signal.reason;

  const controller = new AbortController();
  const context = buildToolContext(tool, definition.strings ?? {}, controller.signal, options, log);
  const started = Date.now();
  log.debug('tool-call-started', { tool: name, skill: tool.skill });

  const result = await new Promise<unknown>((resolvePromise, rejectPromise) => {
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      action();
    };
    const timer = setTimeout(() => {
      const error = new BotwireError('BOTWIRE_TOOL_TIMEOUT', {
        message: `Tool "${name}" of skill "${tool.skill}" did not finish within its timeout_ms (${tool.manifest.timeout_ms} ms).`,
        hint: 'Make the tool faster, pass context.signal to what it awaits, or raise timeout_ms in skill.json.',
        details: { tool: name, skill: tool.skill, timeoutMs: tool.manifest.timeout_ms },
      });
      controller.abort(error);
      settle(() => rejectPromise(error));
    }, tool.manifest.timeout_ms);
    const onAbort = () => {
      const reason: unknown = options.signal?.reason;
      controller.abort(reason);
      settle(() => rejectPromise(reason));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    Promise.resolve()
      .then(() => (definition.tools[name] as ToolHandler)(input, context))
      .then(
        (value) => settle(() => resolvePromise(value)),
        (error: unknown) =>
          settle(() =>
            rejectPromise(
              isBotwireError(error)
                ? error
                : new BotwireError('BOTWIRE_TOOL_FAILED', {
                    message: `Tool "${name}" of skill "${tool.skill}" failed: ${error instanceof Error ? error.message : String(error)}`,
                    details: { tool: name, skill: tool.skill },
                    cause: error,
                  }),
            ),
          ),
      );
  }).catch((error: unknown) => {
    // Debug only: the caller decides how loudly a failed call is reported (and reports it once).
    log.debug('tool-call-failed', {
      tool: name,
      skill: tool.skill,
      ms: Date.now() - started,
      code: isBotwireError(error) ? error.code : undefined,
    });
    throw error;
  });

  if (tool.validateOutput && !tool.validateOutput(result)) {
    const problems = schemaProblems(tool.validateOutput, 'result', 'BOTWIRE_OUTPUT_INVALID');
    throw new BotwireError('BOTWIRE_TOOL_OUTPUT_INVALID', {
      message: `Tool "${name}" of skill "${tool.skill}" returned a result that does not match its output_schema: ${problems.map((problem) => problem.message).join('; ')}.`,
      problems,
      details: { tool: name, skill: tool.skill },
    });
  }
  log.debug('tool-call-finished', { tool: name, skill: tool.skill, ms: Date.now() - started });
  return result;
}
