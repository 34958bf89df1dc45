import type { EgressRequestInit, EgressResponse } from '../egress/egress-fetch';
import type { EgressPolicy } from '../egress/egress-policy';
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
  /** `en` or `ru`: the language to answer in. */
  locale: string;
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

/** A tool's implementation: arguments already validated against its input_schema. */
// biome-ignore lint/suspicious/noExplicitAny: handler inputs are typed by the skill author.
export type ToolHandler<Input = any, Output = unknown> = (
  input: Input,
  context: ToolContext,
) => Output | Promise<Output>;

/** Strings a skill ships, by locale: `{ en: { saved: 'Saved {name}' }, ru: { saved: 'Сохранил {name}' } }`. */
export type SkillStrings = Partial<Record<'en' | 'ru', Record<string, string>>>;

/** The code half of a skill: one handler per tool declared in `skill.json`. */
export interface SkillDefinition {
  tools: Record<string, ToolHandler>;
  strings?: SkillStrings;
}

/**
 * Declares a skill's handlers; the manifest lives in `skill.json` beside it.
 *
 * @example
 * export default defineSkill({
 *   tools: {
 *     echo: async ({ text }: { text: string }) => ({ text }),
 *   },
 * });
 */
export function defineSkill<T extends SkillDefinition>(definition: T): T {
  return definition;
}

/** A skill defined in code instead of in a package: its manifest object and its handlers. */
export interface InlineSkill {
  manifest: import('./skill-manifest').SkillManifest;
  definition: SkillDefinition;
}
