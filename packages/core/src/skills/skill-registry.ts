import type { ValidateFunction } from 'ajv';
import { BotwireError, type Problem } from '../errors/botwire-error';
import { type Logger, silentLogger } from '../logging/logger';
import type { PaymentEvent } from '../messages/incoming-message';
import type {
  InlineSkill,
  PaymentAnswer,
  RecallRequest,
  SkillDefinition,
  ToolHandler,
} from './define-skill';
import { type DynamicTool, viaArguments } from './dynamic-tools';
import { compileJsonSchema, describeErrors } from './json-schema';
import { loadSkill } from './load-skill';
import { listDynamicTools } from './run-dynamic-tools';
import { recallTimeoutMs, runRecall } from './run-recall';
import { runSkillHook } from './run-skill-hook';
import { type CallToolOptions, checkArguments, type RunnableTool, runTool } from './run-tool';
import { closestNames, pointerToLabel } from './schema-errors';
import { SkillCache } from './skill-cache';
import {
  type CommandManifest,
  type Permission,
  permissions,
  type SkillManifest,
  type ToolManifest,
} from './skill-manifest';

export type { CallToolOptions } from './run-tool';

/** A skill the bot loads: a package name or a path, or `{ use, permissions, config }`. */
export type SkillSource =
  | string
  | {
      /** A package name (`@acme/skill-x`), a path relative to the config (`./skills/notes`), or an inline skill. */
      use: string | InlineSkill;
      /** What the bot allows the skill's tools to do; nothing is allowed unless listed. */
      permissions?: Permission[];
      /** The skill's options, checked against its config_schema. */
      config?: Record<string, unknown>;
    };

/** Options for {@link loadSkills}. */
export interface LoadSkillsOptions {
  /** The directory of the bot's config: paths and package names resolve from here. */
  baseDir: string;
  /** Command names the runtime keeps for itself (`help`, `start`, ...). */
  reservedCommands?: readonly string[];
  /** Where `requires.env` is looked up; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /**
   * A directory where start-up remembers what it checked (see {@link SkillCache}), so the next
   * start skips validating unchanged manifests and imports unchanged handler modules on first
   * use. Without it every start checks everything and loads every module.
   */
  cacheDir?: string;
}

/** A skill that loaded and passed every check. */
export interface LoadedSkill {
  manifest: SkillManifest;
  /** The directory of skill.json (the config's directory for inline skills). */
  root: string;
  /** The absolute path of skill.json, or `inline:<name>`. */
  manifestPath: string;
  /** How the config named it: the package name or path, or `inline`. */
  source: string;
  /**
   * The handlers. A module an earlier start checked and that has not changed since is imported
   * by the first call (of a tool of the skill), not at start.
   */
  loadDefinition(): Promise<SkillDefinition>;
  /** What the bot's config grants the skill. */
  grantedPermissions: Permission[];
  /** The skill's options, validated against config_schema with its defaults filled in. */
  config: Record<string, unknown>;
}

/** One tool of a loaded skill. */
export interface SkillTool {
  name: string;
  skill: LoadedSkill;
  manifest: ToolManifest;
  handler: ToolHandler;
  /** Permissions the tool declares that the config does not grant; calls are refused until they are granted. */
  missingPermissions: Permission[];
  /** For a tool a skill made at run time for a user: what it stands for (see {@link DynamicTool}). */
  dynamic?: DynamicTool;
}

/** One slash command of a loaded skill, with the tool it runs. */
export interface SkillCommand {
  name: string;
  skill: LoadedSkill;
  command: CommandManifest;
  tool: SkillTool;
}

const quoteList = (items: readonly string[]) =>
  items.map((item) => JSON.stringify(item)).join(', ');

/** The loaded skills of a bot: their tools and commands, and the one way to call a tool. */
export class SkillRegistry {
  /** Every loaded skill, in config order. */
  readonly skills: LoadedSkill[];
  private tools = new Map<string, SkillTool & { runnable: RunnableTool }>();
  private readonly commands = new Map<string, SkillCommand>();
  private readonly log: Logger;

  /** Use {@link loadSkills}; this constructor trusts that every check has passed. */
  constructor(skills: LoadedSkill[], log: Logger = silentLogger) {
    this.skills = skills;
    this.log = log;
    for (const skill of skills) {
      for (const manifest of skill.manifest.tools) {
        const handler: ToolHandler = async (input, context) =>
          (await skill.loadDefinition()).tools[manifest.name]!(input, context);
        const effectivePermissions = manifest.permissions.filter((item) =>
          skill.grantedPermissions.includes(item),
        );
        const validateOutput: ValidateFunction | undefined = manifest.output_schema
          ? compileJsonSchema(manifest.output_schema, 'check-only')
          : undefined;
        const runnable: RunnableTool = {
          skill: skill.manifest.name,
          manifest,
          effectivePermissions,
          loadDefinition: () => skill.loadDefinition(),
          config: skill.config,
          validateInput: compileJsonSchema(manifest.input_schema, 'fill-defaults'),
          ...(validateOutput ? { validateOutput } : {}),
        };
        const missingPermissions = manifest.permissions.filter(
          (item) => !skill.grantedPermissions.includes(item),
        );
        this.tools.set(manifest.name, {
          name: manifest.name,
          skill,
          manifest,
          handler,
          missingPermissions,
          runnable,
        });
      }
      for (const command of skill.manifest.commands ?? []) {
        const tool = this.tools.get(command.tool)!;
        this.commands.set(command.name, {
          name: command.name,
          skill,
          command,
          tool: publicTool(tool),
        });
      }
    }
  }

  /**
   * The tool that takes a file of one of these kinds (the first `files` entry in config order
   * that matches), with the input property that gets the caption; undefined when none does.
   */
  fileHandler(kinds: readonly string[]): { tool: SkillTool; argument?: string } | undefined {
    for (const skill of this.skills) {
      for (const entry of skill.manifest.files ?? []) {
        if (!entry.kinds.some((kind) => kinds.includes(kind))) continue;
        const tool = this.tools.get(entry.tool);
        if (!tool) continue;
        return { tool: publicTool(tool), ...(entry.argument ? { argument: entry.argument } : {}) };
      }
    }
    return undefined;
  }

  /** Whether any loaded skill recalls facts for the model (`"recall": true`). */
  get recalls(): boolean {
    return this.skills.some((skill) => skill.manifest.recall === true);
  }

  /**
   * Facts the recalling skills (`"recall": true`) give for this message, within
   * `request.maxTokens`; each skill runs with the permissions its tools are granted, and one
   * that fails or takes over 2 s is left out (and logged).
   */
  recall(request: RecallRequest, options: CallToolOptions = {}): Promise<string[]> {
    const recalling = this.skills
      .filter((skill) => skill.manifest.recall === true)
      .map((skill) => ({ runnable: skillRunnable(skill, 'recall') }));
    if (recalling.length === 0) return Promise.resolve([]);
    return runRecall(recalling, request, options, options.log ?? this.log);
  }

  /**
   * Runs the `payment` hook of the skill a payment belongs to (its payload starts with the
   * skill's name and `:`). Undefined when no skill of that name has the hook, or it failed or
   * took over 2 s (logged).
   */
  async payment(
    event: PaymentEvent,
    options: CallToolOptions = {},
  ): Promise<PaymentAnswer | undefined> {
    const name = event.payload.split(':')[0];
    const skill = this.skills.find((each) => each.manifest.name === name);
    if (!skill) return undefined;
    return runSkillHook(
      skillRunnable(skill, 'payment'),
      'payment',
      (definition, context) => definition.payment?.(event, context),
      options,
      options.log ?? this.log,
    );
  }

  /** Whether any loaded skill makes tools at run time (`"dynamic_tools": true`). */
  get makesTools(): boolean {
    return this.skills.some((skill) => skill.manifest.dynamic_tools === true);
  }

  /**
   * This registry with the tools the skills make for this user (`"dynamic_tools": true`, such as
   * the operations of the APIs they connected) added beside the declared ones; each skill runs
   * with the permissions of its tools, and one that fails or is late is logged and left out.
   * Returns this registry itself when no skill makes tools.
   */
  async withToolsFor(options: CallToolOptions = {}): Promise<SkillRegistry> {
    const making = this.skills.filter((skill) => skill.manifest.dynamic_tools === true);
    if (making.length === 0) return this;
    const log = options.log ?? this.log;
    const made = await listDynamicTools(
      making.map((skill) => ({ runnable: skillRunnable(skill, 'dynamic_tools') })),
      options,
      log,
    );
    const view = Object.create(SkillRegistry.prototype) as SkillRegistry;
    Object.assign(view, this);
    view.tools = new Map(this.tools);
    for (const { skill, tool } of made) {
      const base = this.tools.get(tool.via.tool);
      if (!base || base.skill.manifest.name !== skill || view.tools.has(tool.name)) {
        log.warn('dynamic-tool-left-out', {
          skill,
          tool: tool.name,
          reason: view.tools.has(tool.name)
            ? 'a tool of that name exists'
            : `via.tool "${tool.via.tool}" is not a tool of the skill`,
        });
        continue;
      }
      let validateInput: ValidateFunction;
      try {
        validateInput = compileJsonSchema(tool.input_schema, 'fill-defaults');
      } catch (error) {
        log.warn('dynamic-tool-left-out', {
          skill,
          tool: tool.name,
          reason: `input_schema: ${error instanceof Error ? error.message : String(error)}`,
        });
        continue;
      }
      const manifest: ToolManifest = {
        ...base.manifest,
        name: tool.name,
        description: tool.description,
        input_schema: tool.input_schema,
        side_effects: tool.side_effects ?? base.manifest.side_effects,
        confirm: tool.confirm === true,
      };
      delete manifest.output_schema;
      view.tools.set(tool.name, {
        ...base,
        name: tool.name,
        manifest,
        dynamic: tool,
        runnable: { ...base.runnable, manifest, validateInput },
      });
    }
    return view;
  }

  /**
   * The declared tool and arguments a call stands for: the tool itself for a declared tool, its
   * `via` tool with the checked arguments for a tool a skill made (BOTWIRE_TOOL_ARGUMENTS_INVALID
   * when they do not fit its input_schema).
   */
  resolveCall(name: string, args: unknown): { tool: string; args: unknown } {
    const tool = this.tools.get(name);
    if (!tool?.dynamic) return { tool: name, args };
    const checked = checkArguments(tool.runnable, args);
    return { tool: tool.dynamic.via.tool, args: viaArguments(tool.dynamic, checked) };
  }

  /**
   * Whether a call must wait for the user's yes whatever fed it: the tool says `"confirm": true`,
   * or it is a call of a declared tool that a tool made for this user stands for with these
   * fixed arguments (an API's POST through `integration_call`), and that one says so.
   */
  mustConfirm(name: string, args: unknown): boolean {
    const tool = this.tools.get(name);
    if (!tool) return false;
    if (tool.manifest.confirm === true) return true;
    if (tool.dynamic) return tool.dynamic.confirm === true;
    const given = (args ?? {}) as Record<string, unknown>;
    for (const other of this.tools.values()) {
      const via = other.dynamic?.via;
      if (!via || via.tool !== name || other.dynamic?.confirm !== true) continue;
      const fixed = Object.entries(via.arguments ?? {});
      if (fixed.every(([key, value]) => JSON.stringify(given[key]) === JSON.stringify(value)))
        return true;
    }
    return false;
  }

  /** The tool with this name, or undefined. */
  getTool(name: string): SkillTool | undefined {
    const tool = this.tools.get(name);
    return tool ? publicTool(tool) : undefined;
  }

  /** Every tool of every skill, in config order. */
  listTools(): SkillTool[] {
    return [...this.tools.values()].map(publicTool);
  }

  /** The command with this name (without `/`), or undefined. */
  getCommand(name: string): SkillCommand | undefined {
    return this.commands.get(name);
  }

  /** Every skill command, in config order. */
  listCommands(): SkillCommand[] {
    return [...this.commands.values()];
  }

  /**
   * Calls a tool: refuses unknown tools (BOTWIRE_TOOL_NOT_FOUND) and missing permissions
   * (BOTWIRE_TOOL_PERMISSION_DENIED), checks the arguments against input_schema
   * (BOTWIRE_TOOL_ARGUMENTS_INVALID, the handler is not entered), runs the handler within
   * timeout_ms (BOTWIRE_TOOL_TIMEOUT) and checks the result against output_schema.
   *
   * @example
   * const result = await registry.callTool('web_search', { query: 'cats' }, { locale: 'en', storage });
   */
  async callTool(name: string, args: unknown, options: CallToolOptions = {}): Promise<unknown> {
    if (this.tools.get(name)?.dynamic) {
      const call = this.resolveCall(name, args);
      return this.callTool(call.tool, call.args, options);
    }
    const tool = this.requireTool(name);
    if (tool.missingPermissions.length) throw permissionDenied(tool);
    return runTool(tool.runnable, args, options, options.log ?? this.log);
  }

  /**
   * Checks arguments against a tool's input_schema without running it (planners check every
   * step before anything runs). Returns the arguments with schema defaults filled in; throws
   * BOTWIRE_TOOL_NOT_FOUND or BOTWIRE_TOOL_ARGUMENTS_INVALID.
   */
  checkArguments(name: string, args: unknown): Record<string, unknown> {
    return checkArguments(this.requireTool(name).runnable, args);
  }

  private requireTool(name: string): SkillTool & { runnable: RunnableTool } {
    const tool = this.tools.get(name);
    if (!tool) {
      const suggestions = closestNames(name, this.tools.keys());
      const hint = suggestions.length ? ` Did you mean ${quoteList(suggestions)}?` : '';
      const known = this.tools.size
        ? ` Loaded tools: ${[...this.tools.keys()].join(', ')}.`
        : ' No skill is loaded.';
      throw new BotwireError('BOTWIRE_TOOL_NOT_FOUND', {
        message: `No loaded skill provides the tool "${name}".${hint}${known}`,
        details: { tool: name, suggestions },
      });
    }
    return tool;
  }
}

/**
 * A tool-shaped stand-in for a skill's own hooks (`recall`, `dynamicTools`): its context is built
 * as for one of its tools, with the permissions its tools are granted, within 2 s.
 */
function skillRunnable(skill: LoadedSkill, name: string): RunnableTool {
  return {
    skill: skill.manifest.name,
    manifest: {
      name,
      description: name,
      input_schema: { type: 'object' },
      permissions: [],
      side_effects: false,
      timeout_ms: recallTimeoutMs,
    },
    effectivePermissions: [
      ...new Set(
        skill.manifest.tools.flatMap((tool) =>
          tool.permissions.filter((item) => skill.grantedPermissions.includes(item)),
        ),
      ),
    ],
    loadDefinition: () => skill.loadDefinition(),
    config: skill.config,
    validateInput: (() => true) as unknown as ValidateFunction,
  };
}

function publicTool(tool: SkillTool & { runnable?: RunnableTool }): SkillTool {
  const { runnable: _runnable, ...rest } = tool;
  return rest;
}

function permissionDenied(tool: SkillTool): BotwireError {
  const { skill, missingPermissions: missing } = tool;
  const use = skill.source === 'inline' ? '<inline skill>' : JSON.stringify(skill.source);
  const all = [...skill.grantedPermissions, ...missing];
  const grant = `grant it in botwire.config: skills: [{ use: ${use}, permissions: [${quoteList(all)}] }]`;
  const what =
    missing.length === 1
      ? `the permission "${missing[0]}"`
      : `the permissions ${quoteList(missing)}`;
  return new BotwireError('BOTWIRE_TOOL_PERMISSION_DENIED', {
    message: `Tool "${tool.name}" of skill "${skill.manifest.name}" needs ${what}, which the bot config does not grant; ${grant}`,
    details: { tool: tool.name, skill: skill.manifest.name, missing },
  });
}

interface Candidate {
  index: number;
  source: string;
  entry: Exclude<SkillSource, string>;
  manifest: SkillManifest;
  loadDefinition: (() => Promise<SkillDefinition>) | undefined;
  root: string;
  manifestPath: string;
}

/**
 * Loads every skill the config names and checks them together: each manifest and handler module,
 * then what only the whole bot can tell (duplicate skill, tool and command names, reserved
 * commands, each skill's config against its config_schema, required environment variables).
 * Throws BOTWIRE_SKILLS_INVALID listing every problem of every skill, so a broken bot never starts.
 *
 * @example
 * const registry = await loadSkills(['@acme/skill-x', { use: './skills/notes', permissions: ['storage'] }], {
 *   baseDir: dirname(configPath),
 * });
 */
export async function loadSkills(
  sources: readonly SkillSource[],
  options: LoadSkillsOptions,
): Promise<SkillRegistry> {
  const log = options.log ?? silentLogger;
  const env = options.env ?? process.env;
  const entries = sources.map((source) => (typeof source === 'string' ? { use: source } : source));
  const cache = options.cacheDir ? new SkillCache(options.cacheDir) : undefined;
  const results = await Promise.all(
    entries.map((entry) =>
      loadSkill(entry.use, {
        baseDir: options.baseDir,
        checkHandlers: true,
        ...(cache ? { cache } : {}),
      }),
    ),
  );

  const problems: Problem[] = [];
  const candidates: Candidate[] = [];
  results.forEach((result, index) => {
    problems.push(...result.problems);
    const entry = entries[index]!;
    entry.permissions?.forEach((permission, position) => {
      if (permissions.includes(permission)) return;
      problems.push({
        path: `skills[${index}].permissions[${position}]`,
        code: 'BOTWIRE_CONFIG_FIELD_INVALID',
        message: `permission "${String(permission)}" is unknown; use one of ${permissions.join(', ')}`,
      });
    });
    // A sound manifest is checked against the other skills even when its module failed to load.
    if (result.manifest) {
      const source = typeof entry.use === 'string' ? entry.use : 'inline';
      const { manifest, definition, root, manifestPath } = result;
      const loadDefinition =
        result.loadDefinition ?? (definition ? () => Promise.resolve(definition) : undefined);
      candidates.push({ index, source, entry, manifest, loadDefinition, root, manifestPath });
    }
  });

  const skills: LoadedSkill[] = [];
  const skillNames = new Map<string, Candidate>();
  const toolOwners = new Map<string, Candidate>();
  const commandOwners = new Map<string, Candidate>();
  const reserved = new Set(options.reservedCommands ?? []);
  for (const candidate of candidates) {
    const { manifest, manifestPath: file } = candidate;
    const before = problems.length;
    const first = skillNames.get(manifest.name);
    if (first) {
      problems.push({
        path: '/name',
        code: 'BOTWIRE_SKILL_DUPLICATE_NAME',
        message: `skill name "${manifest.name}" is also used by ${first.source} (${first.manifestPath}); a bot loads each skill once`,
        file,
      });
      // The same skill listed twice would also clash on every tool and command: say it once.
      continue;
    }
    skillNames.set(manifest.name, candidate);

    manifest.tools.forEach((tool, position) => {
      const owner = toolOwners.get(tool.name);
      if (owner) {
        problems.push({
          path: `/tools/${position}/name`,
          code: 'BOTWIRE_SKILL_TOOL_NAME_TAKEN',
          message: `tool "${tool.name}" is already provided by skill "${owner.manifest.name}" (${owner.source}); tool names are unique across the bot, so rename one of them`,
          file,
        });
      } else toolOwners.set(tool.name, candidate);
    });

    (manifest.commands ?? []).forEach((command, position) => {
      const owner = commandOwners.get(command.name);
      if (reserved.has(command.name) || owner) {
        problems.push({
          path: `/commands/${position}/name`,
          code: 'BOTWIRE_SKILL_COMMAND_TAKEN',
          message: owner
            ? `command "/${command.name}" is already provided by skill "${owner.manifest.name}" (${owner.source}); rename one of them`
            : `command "/${command.name}" is reserved by the runtime (reserved: ${[...reserved].map((name) => `/${name}`).join(', ')}); choose another name`,
          file,
        });
      } else commandOwners.set(command.name, candidate);
    });

    (manifest.requires?.env ?? []).forEach((variable, position) => {
      if (env[variable]) return;
      problems.push({
        path: `/requires/env/${position}`,
        code: 'BOTWIRE_SKILL_ENV_MISSING',
        message: `skill "${manifest.name}" needs the environment variable ${variable}; set it in the environment or in the .env file beside the config`,
        file,
      });
    });

    const config = checkConfig(candidate, problems);
    const { loadDefinition } = candidate;
    if (problems.length !== before || !config || !loadDefinition) continue;
    skills.push({
      manifest,
      root: candidate.root,
      manifestPath: candidate.manifestPath,
      source: candidate.source,
      loadDefinition,
      grantedPermissions: [...new Set(candidate.entry.permissions ?? [])].filter((item) =>
        permissions.includes(item),
      ),
      config,
    });
  }

  if (problems.length) {
    throw new BotwireError('BOTWIRE_SKILLS_INVALID', {
      problems,
      hint: 'Run `botwire skills validate <dir>` on a skill to check it alone.',
    });
  }
  for (const skill of skills) warnAboutPermissions(skill, log);
  return new SkillRegistry(skills, log);
}

function checkConfig(
  candidate: Candidate,
  problems: Problem[],
): Record<string, unknown> | undefined {
  const { manifest, entry, index } = candidate;
  let config: Record<string, unknown>;
  try {
    config = structuredClone(entry.config ?? {});
  } catch {
    config = { ...entry.config };
  }
  if (!manifest.config_schema) return config;
  const validate = compileJsonSchema(manifest.config_schema, 'fill-defaults');
  if (validate(config)) return config;
  for (const issue of describeErrors(validate.errors ?? [], 'config')) {
    const field = pointerToLabel(issue.path, '');
    problems.push({
      path: `skills[${index}].config${field ? (field.startsWith('[') ? field : `.${field}`) : ''}`,
      code: 'BOTWIRE_SKILL_CONFIG_INVALID',
      message: `the config of skill "${manifest.name}" does not match its config_schema: ${issue.message}`,
    });
  }
  return undefined;
}

function warnAboutPermissions(skill: LoadedSkill, log: Logger): void {
  const declared = new Set(skill.manifest.tools.flatMap((tool) => tool.permissions));
  const unused = skill.grantedPermissions.filter((permission) => !declared.has(permission));
  if (unused.length) {
    log.warn(
      `skill "${skill.manifest.name}" is granted ${unused.join(', ')}, which none of its tools declares; remove ${unused.length === 1 ? 'it' : 'them'} from the config`,
      { skill: skill.manifest.name, permissions: unused },
    );
  }
  const missing = [...declared].filter(
    (permission) => !skill.grantedPermissions.includes(permission),
  );
  if (missing.length) {
    log.warn(
      `skill "${skill.manifest.name}" is not granted ${missing.join(', ')}; its tools that need ${missing.length === 1 ? 'it' : 'them'} will be refused until the config grants ${missing.length === 1 ? 'it' : 'them'}`,
      { skill: skill.manifest.name, permissions: missing },
    );
  }
}
