import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BotwireError } from '../errors/botwire-error';
import type { ChatModel } from '../ports/chat-model';
import type { EmbeddingModel } from '../ports/embedding-model';
import {
  type ResilienceOptions,
  type ResilientChatModel,
  resilientChatModel,
} from './resilient-chat-model';
import { type ResilientEmbeddingModel, resilientEmbeddingModel } from './resilient-embedding-model';

/** The model providers Botwire has drivers for. */
export const modelProviders = ['openai', 'ollama'] as const;

/** A model provider: `openai` (and every OpenAI-compatible endpoint) or `ollama`. */
export type ModelProvider = (typeof modelProviders)[number];

/** A parsed model spec such as `openai:gpt-4o-mini`. */
export interface ModelSpec {
  provider: ModelProvider;
  /** Everything after the first colon, so `ollama:llama3.2:3b` keeps its tag. */
  model: string;
}

/** A model named in the config: a spec string, or one with the settings of its calls. */
export type ModelSpecEntry = string | ({ use: string } & ResilienceOptions);

/** What a driver package's default export receives. */
export interface ModelDriverOptions {
  kind: 'chat' | 'embeddings';
  model: string;
  /** The environment to read keys and URLs from (`OPENAI_API_KEY`, `OLLAMA_HOST`, ...). */
  env: Record<string, string | undefined>;
}

/**
 * `BOTWIRE_MODEL_VISION` from a driver's environment: `true` or `false` when set (`1`/`yes`,
 * `0`/`no` too), undefined when not, so the driver guesses from the model's name. Says whether
 * the chat model sees pictures.
 *
 * @example
 * openaiChatModel({ model, vision: visionFromEnv(options.env) });
 */
export function visionFromEnv(env: Record<string, string | undefined>): boolean | undefined {
  const value = env.BOTWIRE_MODEL_VISION?.trim().toLowerCase();
  if (!value) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw invalid(
    'BOTWIRE_MODEL_VISION',
    `"${env.BOTWIRE_MODEL_VISION}" is neither true nor false. Set it to true when the model sees pictures, false when it does not, or leave it out to guess from the name.`,
  );
}

/**
 * The default export of a model driver package (`@botwire/model-openai`, `@botwire/model-ollama`):
 * makes a chat or embedding model from a model name and the environment.
 */
export type ModelDriverFactory = (
  options: ModelDriverOptions,
) => ChatModel | EmbeddingModel | Promise<ChatModel | EmbeddingModel>;

/** Options for {@link createChatModelFromSpec} and {@link createEmbeddingModelFromSpec}. */
export interface CreateModelOptions {
  /** Where driver packages are resolved from: the bot's folder (where its package.json is). */
  rootDir: string;
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Timeouts, retries and circuit breaker of chat calls; the entry's own settings win. */
  resilience?: ResilienceOptions;
  /** The config field or variable the spec came from, for error messages (default `model`). */
  path?: string;
}

const invalid = (path: string, message: string) =>
  new BotwireError('BOTWIRE_CONFIG_INVALID', {
    message: `The model setting "${path}" is invalid: ${message}`,
    hint: 'Write openai:<model> (for example openai:gpt-4o-mini), ollama:<model> (for example ollama:llama3.2), or none.',
    problems: [{ path, code: 'BOTWIRE_CONFIG_FIELD_INVALID', message }],
  });

/**
 * Parses `openai:<model>` or `ollama:<model>`; `none` or an empty value gives undefined (the
 * bot runs on its rules alone). Throws `BOTWIRE_CONFIG_INVALID` for anything else.
 *
 * @example
 * parseModelSpec('ollama:llama3.2:3b'); // { provider: 'ollama', model: 'llama3.2:3b' }
 */
export function parseModelSpec(
  spec: string | undefined | null,
  path = 'model',
): ModelSpec | undefined {
  const text = (spec ?? '').trim();
  if (text === '' || text.toLowerCase() === 'none') return undefined;
  const colon = text.indexOf(':');
  if (colon < 0) {
    throw invalid(path, `"${text}" names no provider; write <provider>:<model>.`);
  }
  const provider = text.slice(0, colon).trim().toLowerCase();
  const model = text.slice(colon + 1).trim();
  if (!(modelProviders as readonly string[]).includes(provider)) {
    throw invalid(
      path,
      `the provider "${provider}" is unknown; use one of ${modelProviders.join(', ')}.`,
    );
  }
  if (model === '') throw invalid(path, `"${text}" names no model after "${provider}:".`);
  return { provider: provider as ModelProvider, model };
}

/** The npm package of a provider's driver: `openai` → `@botwire/model-openai`. */
export function modelPackageName(provider: ModelProvider): string {
  return `@botwire/model-${provider}`;
}

async function loadDriver(
  spec: ModelSpec,
  kind: ModelDriverOptions['kind'],
  options: CreateModelOptions,
) {
  const packageName = modelPackageName(spec.provider);
  let module: Record<string, unknown>;
  try {
    const resolved = createRequire(join(options.rootDir, 'botwire.config.js')).resolve(packageName);
    module = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  } catch (error) {
    throw new BotwireError('BOTWIRE_MODEL_NOT_CONFIGURED', {
      message: `The ${spec.provider} model driver (package ${packageName}) could not be loaded from ${options.rootDir}.`,
      hint: `Install it beside the bot: pnpm add ${packageName}`,
      details: { provider: spec.provider, model: spec.model, package: packageName },
      cause: error,
    });
  }
  const factory = module.default ?? module.createModel;
  if (typeof factory !== 'function') {
    throw new BotwireError('BOTWIRE_MODEL_NOT_CONFIGURED', {
      message: `The package ${packageName} has no default export that creates a model.`,
      hint: `Update ${packageName} to the version that matches @botwire/core.`,
      details: { provider: spec.provider, model: spec.model, package: packageName },
    });
  }
  return (factory as ModelDriverFactory)({
    kind,
    model: spec.model,
    env: options.env ?? process.env,
  });
}

/**
 * Makes the bot's chat model from its spec: `BOTWIRE_MODEL` (when set) overrides `entry`;
 * `none` or nothing gives undefined. The driver package is imported from `rootDir` (core never
 * depends on it) and wrapped with {@link resilientChatModel}.
 *
 * @example
 * const model = await createChatModelFromSpec(config.model, { rootDir, env: process.env });
 * if (!model) console.log('No model: rules only.');
 */
export async function createChatModelFromSpec(
  entry: ModelSpecEntry | undefined,
  options: CreateModelOptions,
): Promise<ResilientChatModel | undefined> {
  const env = options.env ?? process.env;
  const fromEnv = env.BOTWIRE_MODEL?.trim();
  const useEnv = fromEnv !== undefined && fromEnv !== '';
  const text = useEnv ? fromEnv : typeof entry === 'string' ? entry : entry?.use;
  const spec = parseModelSpec(text, useEnv ? 'BOTWIRE_MODEL' : (options.path ?? 'model'));
  if (!spec) return undefined;
  const model = (await loadDriver(spec, 'chat', { ...options, env })) as ChatModel;
  if (typeof model?.chat !== 'function') {
    throw new BotwireError('BOTWIRE_MODEL_NOT_CONFIGURED', {
      message: `The ${spec.provider} driver did not return a chat model.`,
    });
  }
  const { use: _use, ...settings } = typeof entry === 'object' ? entry : { use: '' };
  return resilientChatModel(model, { ...options.resilience, ...settings });
}

/**
 * Makes the bot's embedding model from its spec (`openai:text-embedding-3-small`,
 * `ollama:nomic-embed-text`): `BOTWIRE_EMBEDDINGS` (when set) overrides `entry`; `lexical`,
 * `none` or nothing gives undefined, and the caller uses the lexical embeddings. The driver
 * package is imported from `rootDir` and wrapped with {@link resilientEmbeddingModel}.
 *
 * @example
 * const embeddings = (await createEmbeddingModelFromSpec(config.embeddings, { rootDir })) ?? lexicalEmbeddingModel();
 */
export async function createEmbeddingModelFromSpec(
  entry: ModelSpecEntry | undefined,
  options: CreateModelOptions,
): Promise<ResilientEmbeddingModel | undefined> {
  const env = options.env ?? process.env;
  const fromEnv = env.BOTWIRE_EMBEDDINGS?.trim();
  const useEnv = fromEnv !== undefined && fromEnv !== '';
  const text = useEnv ? fromEnv : typeof entry === 'string' ? entry : entry?.use;
  if (text?.trim().toLowerCase() === 'lexical') return undefined;
  const parsed = parseModelSpec(
    text,
    useEnv ? 'BOTWIRE_EMBEDDINGS' : (options.path ?? 'embeddings'),
  );
  if (!parsed) return undefined;
  const model = (await loadDriver(parsed, 'embeddings', { ...options, env })) as EmbeddingModel;
  if (typeof model?.embed !== 'function') {
    throw new BotwireError('BOTWIRE_MODEL_NOT_CONFIGURED', {
      message: `The ${parsed.provider} driver did not return an embedding model.`,
    });
  }
  const { use: _use, ...settings } = typeof entry === 'object' ? entry : { use: '' };
  return resilientEmbeddingModel(model, { ...options.resilience, ...settings });
}
