import type { Locale, LocalizedText } from '../i18n/translate';

/** What a tool may do. A tool gets a permission only when its manifest declares it and the bot's config grants it. */
export type Permission =
  | 'network'
  | 'browser'
  | 'execute-code'
  | 'storage'
  | 'schedule'
  | 'messaging'
  | 'secrets'
  | 'credits';

/** Every permission, in the order the docs list them. */
export const permissions: readonly Permission[] = [
  'network',
  'browser',
  'execute-code',
  'storage',
  'schedule',
  'messaging',
  'secrets',
  'credits',
];

/** A JSON Schema document (draft 2020-12 or draft-07), as plain JSON. */
export type JsonSchema = Record<string, unknown>;

/** One tool, as `skill.json` declares it. */
export interface ToolManifest {
  /** Unique across the bot: `^[a-z][a-z0-9_]{0,63}$`, such as `web_fetch`. */
  name: string;
  /** What the tool does, for people and for the planner's model. */
  description: string;
  /** A JSON Schema of `type: "object"` for the tool's arguments. */
  input_schema: JsonSchema;
  /** A JSON Schema for the tool's result, when it is checked. */
  output_schema?: JsonSchema;
  permissions: Permission[];
  /** True when running the tool changes something outside the bot's answer (sends, writes, pays). */
  side_effects: boolean;
  /** True when the tool asks the user before every run the planner makes, whatever fed its arguments. */
  confirm?: boolean;
  /** True when the output carries outside content (files, documents): treated as untrusted data. */
  untrusted_output?: boolean;
  /** True when the tool usually takes long: a plan with it runs as background work and reports back. */
  long_running?: boolean;
  /** How long the tool may run before it is aborted. */
  timeout_ms: number;
}

/** A slash command that runs a tool. */
export interface CommandManifest {
  /** The command without `/`: `^[a-z][a-z0-9_]{0,31}$`. */
  name: string;
  /** The tool the command runs; must be declared in the same manifest. */
  tool: string;
  /** Shown in `/help` and messenger command menus; a string, or texts by BCP-47 language tag with `en` required: `{ en, ru, de }`. */
  description: string | LocalizedText;
  /** The input property that receives the text after the command (`/search cats` → `{ query: "cats" }`). */
  argument?: string;
  /** Arguments the command always passes, beside its text (`{ "pinned": false }`). */
  arguments?: Record<string, unknown>;
  /**
   * A conversation of the skill (listed in `conversations`) that the command starts when it
   * comes without text (`/connect` asks step by step; `/connect <url>` runs the tool at once).
   */
  conversation?: string;
}

/** A plain-language pattern that runs a tool with no model: named groups become arguments. */
export interface PatternManifest {
  /** The tool the pattern runs; must be declared in the same manifest. */
  tool: string;
  /** A JavaScript regular expression, matched case-insensitively against the whole message. */
  match: string;
  /**
   * The language the pattern is written in, a BCP-47 tag (`en`, `ru`, `de`): it is tried on
   * messages with letters of that language's script and for users of that language. Absent: always tried.
   */
  locale?: Locale;
  /** A message the pattern understands, in its language (`search for cats`): shown by /help and in hints; it must match. */
  example?: string;
  /** Fixed arguments added to the named groups. */
  arguments?: Record<string, unknown>;
  /**
   * Named groups that carry a secret (a token typed into the message): the chat's history keeps
   * the message without it, and it is hidden from logs, replies and the model.
   */
  secret_arguments?: string[];
  /** A conversation of the skill (listed in `conversations`) that the pattern starts instead of running its tool. */
  conversation?: string;
}

/** A tool that takes files the user sends (`files` in skill.json). */
export interface FileHandlerManifest {
  /** The tool; must be declared in the same manifest. It reads the files from `context.message.attachments`. */
  tool: string;
  /** The kinds of attachment it takes. */
  kinds: Array<'photo' | 'voice' | 'audio' | 'video' | 'document'>;
  /** The input_schema property that receives the message's text (the caption), when there is one. */
  argument?: string;
}

/** The parsed content of a skill's `skill.json`. */
export interface SkillManifest {
  $schema?: string;
  /** kebab-case, unique in the bot: `web-search`. */
  name: string;
  /** Semantic version: `1.2.0`. */
  version: string;
  description: string;
  tools: ToolManifest[];
  commands?: CommandManifest[];
  /** Plain-language patterns that run tools with no model. */
  patterns?: PatternManifest[];
  /** Tools that take files the user sends. */
  files?: FileHandlerManifest[];
  /** True when the skill's module exports `recall`, which adds facts to the model's context. */
  recall?: boolean;
  /** Names of the conversations (multi-step flows) the skill's module exports in `conversations`. */
  conversations?: string[];
  /** True when the skill's module exports `dynamicTools`, which makes tools for each user at run time. */
  dynamic_tools?: boolean;
  /** A JSON Schema for the skill's options in the bot's config. */
  config_schema?: JsonSchema;
  /** The module that exports the handlers, relative to `skill.json`; defaults to the package entry. */
  entry?: string;
  /** What the skill needs from the runtime to start. */
  requires?: {
    /** Environment variables that must be set (their values are secrets and are never logged). */
    env?: string[];
  };
}
