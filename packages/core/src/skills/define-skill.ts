import type { EgressRequestInit, EgressResponse } from '../egress/egress-fetch';
import type { EgressPolicy } from '../egress/egress-policy';
import type { Locale, StringTable } from '../i18n/translate';
import type { Logger } from '../logging/logger';
import type { Artifact, Button } from '../messages/outgoing-message';
import type { ChatRecord, ScopedKeyValueStore, UserRecord } from '../ports/storage';

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
  log: Logger;
  /** The skill's options from the bot's config, validated against `config_schema`. */
  config: Record<string, unknown>;
  /** The skill's own strings in the user's language: `t('saved', { name })`. */
  t(key: string, params?: Record<string, string | number>): string;
  /** The skill's own key-value namespace. Only with the `storage` permission. */
  storage: ScopedKeyValueStore;
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
  /** Structured data for later steps and for `botwire tools call`. */
  data?: unknown;
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
