import type { ValidateFunction } from 'ajv';
import { egressFetch } from '../egress/egress-fetch';
import { EgressPolicy } from '../egress/egress-policy';
import { BotwireError, isBotwireError, type Problem } from '../errors/botwire-error';
import type { ProblemCode } from '../errors/error-catalog';
import { type Locale, normalizeLocale, translate } from '../i18n/translate';
import type { Logger } from '../logging/logger';
import type { ChatRecord, StorageDriver, UserRecord } from '../ports/storage';
import { scopeKeyValueStore } from '../storage/scope-key-value-store';
import type { SkillDefinition, ToolContext, ToolHandler } from './define-skill';
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
}

/** What {@link runTool} needs to know about the tool and its skill. */
export interface RunnableTool {
  skill: string;
  manifest: ToolManifest;
  handler: ToolHandler;
  /** Permissions the tool both declares and is granted. */
  effectivePermissions: readonly Permission[];
  definition: SkillDefinition;
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

function buildContext(
  tool: RunnableTool,
  signal: AbortSignal,
  options: CallToolOptions,
  log: Logger,
): ToolContext {
  const locale = options.locale ?? normalizeLocale(options.user?.locale);
  const strings = tool.definition.strings ?? {};
  const context = {
    skill: tool.skill,
    tool: tool.manifest.name,
    signal,
    ...(options.user ? { user: options.user } : {}),
    ...(options.chat ? { chat: options.chat } : {}),
    locale,
    log: log.child({ skill: tool.skill, tool: tool.manifest.name }),
    config: tool.config,
    t: (key: string, params?: Record<string, string | number>) =>
      translate(strings, locale, key, params),
  } as Omit<ToolContext, 'storage' | 'fetch' | 'egress'> as ToolContext;
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
      storage ??= scopeKeyValueStore(options.storage.kv, `skill:${tool.skill}`);
      return storage;
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

  const controller = new AbortController();
  const context = buildContext(tool, controller.signal, options, log);
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
      .then(() => tool.handler(input, context))
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
