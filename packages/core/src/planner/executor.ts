import { BotwireError, isBotwireError } from '../errors/botwire-error';
import type { Artifact } from '../messages/outgoing-message';
import type { ToolProvenance } from '../skills/define-skill';
import type { SkillRegistry } from '../skills/skill-registry';
import { argumentsFromUntrusted } from './conversation';
import {
  dependenciesOf,
  type Plan,
  type PlanStep,
  resolveReferences,
  UnresolvedReferenceError,
} from './plan';

/** What happened to one step. */
export interface StepOutcome {
  id: string;
  tool: string;
  status: 'ok' | 'failed' | 'skipped' | 'needs-confirmation';
  /** The arguments after references were resolved (when they could be). */
  arguments?: Record<string, unknown>;
  output?: unknown;
  error?: BotwireError;
  /** The output came from outside the bot (a web page, a file, an API), directly or through an earlier step. */
  untrusted: boolean;
  ms: number;
}

/** The outcome of running a plan. */
export interface ExecutionResult {
  /** One outcome per step, in plan order. */
  steps: StepOutcome[];
  /** Files the steps returned, in plan order. */
  artifacts: Artifact[];
  /** The first step that waits for the user's yes, when one does. */
  pendingConfirmation?: StepOutcome;
}

/** Options for {@link executePlan}. */
export interface ExecuteOptions {
  /** Runs one tool (the bot's callTool: permissions, validation, timeout, usage). */
  callTool(
    name: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
    provenance: ToolProvenance,
  ): Promise<unknown>;
  registry: SkillRegistry;
  /** Aborts every running step. */
  signal?: AbortSignal;
  /** Steps the user already confirmed. */
  confirmed?: ReadonlySet<string>;
  /** Outcomes of an earlier run of the same plan (after a confirmation), reused as they are. */
  previous?: readonly StepOutcome[];
  /**
   * Untrusted texts from earlier turns (replies built from web pages, ...): a step whose
   * arguments come from them counts as fed by untrusted data.
   */
  untrustedTexts?: readonly string[];
}

const outsidePermissions = new Set(['network', 'browser']);

/**
 * True when a tool's output comes from outside the bot and must be treated as data only: its
 * manifest says `untrusted_output`, or it may reach the network or a browser.
 */
export function producesUntrustedOutput(registry: SkillRegistry, tool: string): boolean {
  const manifest = registry.getTool(tool)?.manifest;
  if (!manifest) return false;
  return (
    manifest.untrusted_output === true ||
    manifest.permissions.some((permission) => outsidePermissions.has(permission))
  );
}

/**
 * Runs a plan's steps. A step starts as soon as the steps it refers to have finished, so
 * independent steps run at the same time. Each step's arguments are resolved and checked
 * against its input_schema first (a bad step fails without its handler running), and a step
 * with side effects whose arguments come from untrusted output waits for the user's confirmation.
 * A failed, skipped or waiting step makes the steps that depend on it wait or skip.
 */
export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<ExecutionResult> {
  const byId = new Map(plan.steps.map((step) => [step.id, step]));
  const previous = new Map(
    (options.previous ?? [])
      .filter((outcome) => outcome.status === 'ok')
      .map((outcome) => [outcome.id, outcome]),
  );
  const running = new Map<string, Promise<StepOutcome>>();
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const run = (step: PlanStep): Promise<StepOutcome> => {
    let promise = running.get(step.id);
    if (!promise) {
      promise = runStep(step);
      running.set(step.id, promise);
    }
    return promise;
  };

  const runStep = async (step: PlanStep): Promise<StepOutcome> => {
    const reused = previous.get(step.id);
    if (reused) return reused;
    const dependencies = dependenciesOf(step)
      .map((id) => byId.get(id))
      .filter((item): item is PlanStep => item !== undefined);
    const upstream = await Promise.all(dependencies.map(run));
    const blocked = upstream.find((outcome) => outcome.status !== 'ok');
    const untrustedInput = upstream.some((outcome) => outcome.untrusted);
    const base = { id: step.id, tool: step.tool, ms: 0 };
    if (blocked) {
      return {
        ...base,
        status: 'skipped',
        untrusted: untrustedInput,
        error: new BotwireError('BOTWIRE_PLAN_INVALID', {
          message: `Step ${step.id} was not run because step ${blocked.id} did not finish (${blocked.status}).`,
        }),
      };
    }
    const outputs = new Map(upstream.map((outcome) => [outcome.id, outcome.output]));
    let args: Record<string, unknown>;
    try {
      args = options.registry.checkArguments(step.tool, resolveReferences(step.arguments, outputs));
    } catch (error) {
      const failure =
        error instanceof UnresolvedReferenceError
          ? new BotwireError('BOTWIRE_PLAN_INVALID', {
              message: `Step ${step.id}: ${error.message}.`,
            })
          : asBotwireError(error);
      return { ...base, status: 'failed', untrusted: untrustedInput, error: failure };
    }
    const sideEffects = options.registry.getTool(step.tool)?.manifest.side_effects ?? true;
    const fedUntrusted =
      untrustedInput || argumentsFromUntrusted(args, options.untrustedTexts ?? []);
    const ask = (sideEffects && fedUntrusted) || options.registry.mustConfirm(step.tool, args);
    if (ask && !options.confirmed?.has(step.id)) {
      return { ...base, status: 'needs-confirmation', arguments: args, untrusted: fedUntrusted };
    }
    const started = Date.now();
    try {
      const output = await options.callTool(step.tool, args, controller.signal, {
        via: plan.source,
        inputs: dependencies.map((dependency) => dependency.tool),
        trust: fedUntrusted ? 'untrusted' : 'trusted',
      });
      return {
        ...base,
        status: 'ok',
        arguments: args,
        output,
        untrusted: untrustedInput || producesUntrustedOutput(options.registry, step.tool),
        ms: Date.now() - started,
      };
    } catch (error) {
      // The error of an outside call carries what the remote side controls (a content type, a URL).
      return {
        ...base,
        status: 'failed',
        arguments: args,
        error: asBotwireError(error),
        untrusted: untrustedInput || producesUntrustedOutput(options.registry, step.tool),
        ms: Date.now() - started,
      };
    }
  };

  try {
    const steps = await Promise.all(plan.steps.map(run));
    const artifacts = steps.flatMap((outcome) =>
      outcome.status === 'ok' ? artifactsOf(outcome.output) : [],
    );
    const pendingConfirmation = steps.find((outcome) => outcome.status === 'needs-confirmation');
    return { steps, artifacts, ...(pendingConfirmation ? { pendingConfirmation } : {}) };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** The files inside a tool's output (`{ artifacts: [...] }`). */
export function artifactsOf(output: unknown): Artifact[] {
  const artifacts = (output as { artifacts?: unknown } | null)?.artifacts;
  if (!Array.isArray(artifacts)) return [];
  return artifacts.filter(
    (item): item is Artifact =>
      Boolean(item) &&
      typeof item === 'object' &&
      item.data instanceof Uint8Array &&
      typeof item.name === 'string',
  );
}

function asBotwireError(error: unknown): BotwireError {
  if (isBotwireError(error)) return error;
  return new BotwireError('BOTWIRE_TOOL_FAILED', {
    message: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}
