import { BotwireError, isBotwireError } from '../errors/botwire-error';
import type { Artifact, OutgoingMessage } from '../messages/outgoing-message';
import { compose, type Middleware } from '../middleware/composer';
import type { ChatModel, ChatRequest, ChatResponse } from '../ports/chat-model';
import type { BotContext } from '../runtime/bot-context';
import { toolResultToReply } from '../runtime/tool-reply';
import { usageState } from '../usage/budget-middleware';
import { composeAnswer } from './answer-composer';
import {
  ConfirmationStore,
  mayAnswerConfirmation,
  type PendingConfirmation,
  readConfirmation,
} from './confirmations';
import { historyWindow, isUntrustedRecord } from './conversation';
import { type ExecutionResult, executePlan, type StepOutcome } from './executor';
import { type ModelCaller, planWithModel } from './llm-planner';
import type { Plan } from './plan';
import type { ConversationInput } from './planner-prompts';
import { queueInstead } from './queue-background';
import { type CompiledPattern, planForCommand, planForPattern } from './rules-planner';
import { runStepByStep } from './step-by-step';
import { toolErrorReply } from './tool-errors';
import { maxImageBytes, pictureAttachments, readPictures } from './vision-input';

/** Adds facts to the model's context for a message (long-term memory plugs in here). */
export type ContextProvider = (context: BotContext) => Promise<string[]> | string[];

/** What {@link plannerMiddleware} needs from the bot. */
export interface PlannerOptions {
  /** The chat model; without one the bot runs on commands and patterns alone. */
  model(): ChatModel | undefined;
  patterns(): readonly CompiledPattern[];
  contextProviders(): readonly ContextProvider[];
  /** Runs before every model call; throws (for example BOTWIRE_LIMIT_REACHED) to stop it. */
  beforeModelCall?(context: BotContext): Promise<void>;
  /** Runs after every model call, failed or not (usage and metrics). */
  afterModelCall?(
    context: BotContext,
    call: { ok: boolean; latencyMs: number; response?: ChatResponse; model: ChatModel },
  ): Promise<void> | void;
  /** How much history the model sees, in tokens. Default 1500. */
  historyTokens?: number;
  /** How many tokens of recalled facts (memory) the model sees. Default 400. */
  factTokens?: number;
  /** Force a mode (benchmarks, tests); by default the model picks. */
  mode?: 'auto' | 'plan' | 'step-by-step';
}

/** The planner's three steps of the chain; see {@link plannerSteps}. */
export interface PlannerSteps {
  /** A "yes"/"no" (or button press) answering a confirmation this user was asked resumes the plan. */
  confirmation: Middleware<BotContext>;
  /** Slash commands of skills and plain-language patterns: one-step plans, no model call. */
  rules: Middleware<BotContext>;
  /** With a model: one planning call returns the whole plan; it runs and one more call answers. */
  model: Middleware<BotContext>;
}

/**
 * The planner as three middleware steps: a pending confirmation first, then slash commands and
 * plain-language patterns (no model call), then, with a model, one planning call that returns
 * the whole plan; the plan runs and one more call composes the answer. Without a model, or when
 * the model fails, the user gets a clear reply instead of an error. Pending confirmations are
 * kept in storage, so a "yes" after a restart or in another process resumes the plan once.
 */
export function plannerSteps(options: PlannerOptions): PlannerSteps {
  const guarded =
    (
      step: (context: BotContext, next: () => Promise<void>) => Promise<void>,
    ): Middleware<BotContext> =>
    async (context, next) => {
      try {
        await step(context, next);
      } catch (error) {
        if (
          !isBotwireError(error) ||
          !(error.code.startsWith('BOTWIRE_MODEL_') || error.code === 'BOTWIRE_LIMIT_REACHED')
        )
          throw error;
        context.log.warn('model-failed', { code: error.code, message: error.message });
        await context.reply(
          error.code === 'BOTWIRE_LIMIT_REACHED' ? error.message : context.t('model.unavailable'),
        );
      }
    };
  const session = (context: BotContext): Session => {
    const model = options.model();
    return {
      confirmations: new ConfirmationStore(context.services.storage.kv),
      chatKey: context.chatKey,
      callModel: model ? modelCaller(context, model, options) : undefined,
    };
  };

  return {
    confirmation: guarded(async (context, next) => {
      // Only a yes/no word or a confirmation button can answer: other messages skip the lookup.
      const { kind } = context.message;
      if (
        kind === 'payment' ||
        !mayAnswerConfirmation(kind, context.text, context.message.buttonData)
      )
        return next();
      const current = session(context);
      const pending = await current.confirmations.get(current.chatKey, context.user.id);
      const answer = pending
        ? readConfirmation(kind, context.text, context.message.buttonData, pending.id)
        : undefined;
      if (!pending || !answer) return next();
      // Taking it is atomic: of two processes (or two quick answers) only one resumes the plan.
      if (!(await current.confirmations.take(current.chatKey, context.user.id))) return next();
      await resumeConfirmation(context, pending, answer, current);
    }),
    rules: guarded(async (context, next) => {
      const queued = context.message.job?.plan;
      if (queued) return runQueuedPlan(context, queued, options, session(context));
      const call = context.command;
      if (call) {
        const entry = context.skills.getCommand(call.name);
        if (
          entry?.command.conversation &&
          !call.argument.trim() &&
          context.services.enterConversation
        ) {
          // Without text the command starts the skill's conversation, which asks for it.
          await context.services.enterConversation(context, entry.command.conversation);
          return;
        }
        const commandPlan = planForCommand(context.skills, call);
        if (!commandPlan) return next();
        if (await queueInstead(context, commandPlan)) return;
        const command = context.skills.getCommand(call.name)!.command;
        await runRulePlan(context, commandPlan, {
          name: call.name,
          ...(command.argument ? { argument: command.argument } : {}),
        });
        return;
      }
      if (context.message.kind !== 'message') return next();
      const filePlan = planForFiles(context);
      if (filePlan) {
        await runRulePlan(context, filePlan);
        return;
      }
      if (!context.text) return next();
      const patternPlan = planForPattern(options.patterns(), context.text, context.locale);
      if (!patternPlan) return next();
      if (patternPlan.conversation && context.services.enterConversation) {
        // "подключи API": the skill's conversation asks for the rest step by step.
        await context.services.enterConversation(context, patternPlan.conversation);
        return;
      }
      if (await queueInstead(context, patternPlan)) return;
      await runRulePlan(context, patternPlan);
    }),
    model: guarded(async (context, next) => {
      if (context.message.kind !== 'message' || context.command) return next();
      const pictures = pictureAttachments(context.message.attachments);
      if (!context.text && pictures.length === 0) return next();
      const current = session(context);
      if (pictures.length > 0) {
        // A picture no skill took is for the model to look at, when it can see.
        const model = options.model();
        if (!model?.vision) {
          await context.reply(
            model
              ? context.t('vision.unsupported', { model: model.model })
              : context.t('vision.no_model'),
          );
          return;
        }
      }
      if (!current.callModel) return next();
      const conversation = await conversationFor(context, options);
      if (pictures.length > 0) {
        const images = await readPictures(pictures);
        if (images.length === 0) {
          await context.reply(
            context.t('vision.not_image', { megabytes: maxImageBytes / 1024 / 1024 }),
          );
          return;
        }
        conversation.images = images;
      }
      await answerWithModel(context, conversation, current.callModel, options, current);
    }),
  };
}

/** The three planner steps as one middleware, in their order. */
export function plannerMiddleware(options: PlannerOptions): Middleware<BotContext> {
  const steps = plannerSteps(options);
  return compose([steps.confirmation, steps.rules, steps.model]);
}

/**
 * The plan for a message that carries files a skill takes (`files` in skill.json): one step
 * with the caption as the entry's `argument`; undefined when no skill takes them.
 */
function planForFiles(context: BotContext): Plan | undefined {
  const kinds = context.message.attachments.map((attachment) => attachment.kind);
  if (kinds.length === 0) return undefined;
  const handler = context.skills.fileHandler(kinds);
  if (!handler) return undefined;
  const caption = context.text.trim();
  return {
    steps: [
      {
        id: 's1',
        tool: handler.tool.name,
        arguments: handler.argument && caption ? { [handler.argument]: caption } : {},
      },
    ],
    final: 'last_step',
    source: 'command',
  };
}

/** Where confirmations are kept and how a resumed plan calls the model. */
interface Session {
  confirmations: ConfirmationStore;
  chatKey: string;
  callModel: ModelCaller | undefined;
}

function modelCaller(context: BotContext, model: ChatModel, options: PlannerOptions): ModelCaller {
  return async (request: ChatRequest): Promise<ChatResponse> => {
    await options.beforeModelCall?.(context);
    context.state.modelCalls = ((context.state.modelCalls as number | undefined) ?? 0) + 1;
    const started = Date.now();
    try {
      const response = await model.chat(request);
      await options.afterModelCall?.(context, {
        ok: true,
        latencyMs: Date.now() - started,
        response,
        model,
      });
      return response;
    } catch (error) {
      await options.afterModelCall?.(context, {
        ok: false,
        latencyMs: Date.now() - started,
        model,
      });
      throw error;
    }
  };
}

async function conversationFor(
  context: BotContext,
  options: PlannerOptions,
): Promise<ConversationInput> {
  const records = await context.services.storage.messages.list(context.chat.id, { limit: 60 });
  const history = historyWindow(
    records,
    options.historyTokens ?? 1500,
    context.message.platformMessageId,
    // The user's plan may see less of the chat (config `limits.<role>.historyMessages`).
    usageState(context)?.limits.historyMessages,
  );
  // The untrusted replies that made it into the window keep their marking.
  const untrusted = records
    .filter((record) => isUntrustedRecord(record))
    .map((record) => record.text)
    .filter((text) => history.some((message) => message.content.includes(text)));
  const [recalled, ...provided] = await Promise.all([
    context.recall(options.factTokens ?? 400),
    ...options.contextProviders().map((provide) => provide(context)),
  ]);
  const facts = [...(recalled ?? []), ...provided.flat()];
  return {
    botName: context.botName,
    ...(context.services.settings.persona ? { persona: context.services.settings.persona } : {}),
    locale: context.locale,
    history,
    facts,
    text: context.text,
    ...(untrusted.length ? { untrusted } : {}),
  };
}

async function runPlan(
  context: BotContext,
  plan: Plan,
  extra: { confirmed?: Set<string>; previous?: StepOutcome[]; untrustedTexts?: string[] } = {},
): Promise<ExecutionResult> {
  return executePlan(plan, {
    registry: await context.withUserTools(),
    callTool: (name, args, signal, provenance) =>
      context.callTool(name, args, { signal, provenance }),
    ...(extra.untrustedTexts ? { untrustedTexts: extra.untrustedTexts } : {}),
    ...(extra.confirmed ? { confirmed: extra.confirmed } : {}),
    ...(extra.previous ? { previous: extra.previous } : {}),
  });
}

/** Runs the plan a background job carries: made when the user asked, run as it is now. */
async function runQueuedPlan(
  context: BotContext,
  plan: Plan,
  options: PlannerOptions,
  session: Session,
): Promise<void> {
  if (plan.source !== 'model') return runRulePlan(context, plan);
  const conversation = await conversationFor(context, options);
  const execution = await runPlan(context, plan);
  await finishPlan(context, plan, execution, conversation, session.callModel, session, new Set());
}

/** Runs a command's or pattern's one-step plan; the tool's own output is the reply. */
async function runRulePlan(
  context: BotContext,
  plan: Plan,
  command?: { name: string; argument?: string },
): Promise<void> {
  const execution = await runPlan(context, plan);
  const [outcome] = execution.steps;
  if (!outcome) return;
  const marking = { untrusted: outcome.untrusted };
  if (outcome.status === 'ok') {
    await context.reply(toolResultToReply(outcome.output), marking);
    return;
  }
  if (outcome.error) {
    context.log.warn('tool-call-failed', { tool: outcome.tool, error: outcome.error.toJSON() });
    await context.reply(toolErrorReply(context, outcome.error, outcome.tool, command), marking);
  }
}

async function answerWithModel(
  context: BotContext,
  conversation: ConversationInput,
  callModel: ModelCaller,
  options: PlannerOptions,
  session: Session,
): Promise<void> {
  // The tools the skills made for this user (their connected APIs) are planned with too.
  const registry = await context.withUserTools();
  const stepByStep = () =>
    runStepByStep({
      conversation,
      registry,
      callModel,
      callTool: (name, args, provenance) => context.callTool(name, args, { provenance }),
      ...(conversation.untrusted ? { untrustedTexts: conversation.untrusted } : {}),
    }).then(async (result) => {
      if (result.pendingConfirmation) {
        await askConfirmation(context, session, {
          step: result.pendingConfirmation,
          previous: result.steps,
          confirmed: new Set(),
          conversation,
        });
        return;
      }
      await context.reply(withArtifacts({ text: result.text }, result.artifacts), {
        untrusted: result.steps.some((step) => step.untrusted),
      });
    });

  if (options.mode === 'step-by-step') return stepByStep();
  const decision = await planWithModel({ conversation, registry, callModel, log: context.log });
  context.log.debug('plan-decided', {
    kind: decision.kind,
    ...(decision.kind === 'plan' ? { steps: decision.plan.steps.map((step) => step.tool) } : {}),
  });
  switch (decision.kind) {
    case 'answer':
    case 'fallback':
      await context.reply(decision.text);
      return;
    case 'step-by-step':
      // Asked for in the background: the job plans it step by step when it runs.
      if (await queueInstead(context, undefined)) return;
      return stepByStep();
    case 'plan': {
      if (await queueInstead(context, decision.plan)) return;
      const execution = await runPlan(context, decision.plan, {
        ...(conversation.untrusted ? { untrustedTexts: conversation.untrusted } : {}),
      });
      await finishPlan(
        context,
        decision.plan,
        execution,
        conversation,
        callModel,
        session,
        new Set(),
      );
    }
  }
}

async function finishPlan(
  context: BotContext,
  plan: Plan,
  execution: ExecutionResult,
  conversation: ConversationInput,
  callModel: ModelCaller | undefined,
  session: Session,
  confirmed: Set<string>,
): Promise<void> {
  if (execution.pendingConfirmation) {
    await askConfirmation(context, session, {
      plan,
      step: execution.pendingConfirmation,
      previous: execution.steps,
      confirmed,
      conversation,
    });
    return;
  }
  const last = execution.steps.at(-1);
  // A reply built from outside content stays marked in the history the next turn reads.
  const marking = { untrusted: execution.steps.some((step) => step.untrusted) };
  if (plan.final === 'last_step' && last?.status === 'ok') {
    const reply = toolResultToReply(last.output);
    await context.reply(
      withArtifacts(
        reply,
        execution.artifacts.filter((artifact) => !reply.artifacts?.includes(artifact)),
      ),
      marking,
    );
    return;
  }
  if (!callModel) throw new BotwireError('BOTWIRE_MODEL_NOT_CONFIGURED');
  const text = await composeAnswer(conversation, execution, callModel);
  await context.reply(withArtifacts({ text }, execution.artifacts), marking);
}

function withArtifacts(message: OutgoingMessage, artifacts: Artifact[]): OutgoingMessage {
  const all = [...(message.artifacts ?? []), ...artifacts];
  return all.length ? { ...message, artifacts: all } : message;
}

async function askConfirmation(
  context: BotContext,
  session: Session,
  entry: Omit<PendingConfirmation, 'id' | 'expiresAt' | 'userId'>,
): Promise<void> {
  const stored = await session.confirmations.add(session.chatKey, {
    ...entry,
    userId: context.user.id,
  });
  const shown = JSON.stringify(entry.step.arguments ?? {}, null, 1);
  context.log.info('confirmation-asked', { tool: entry.step.tool, step: entry.step.id });
  await context.reply({
    // Untrusted data feeding a side effect, or a tool that always asks (an API's POST).
    text: context.t(entry.step.untrusted === false ? 'confirm.ask_always' : 'confirm.ask', {
      step: entry.step.id,
      tool: entry.step.tool,
      arguments: shown.length > 600 ? `${shown.slice(0, 600)}…` : shown,
    }),
    buttons: [
      [
        { label: context.t('confirm.yes'), data: `botwire:confirm:${stored.id}` },
        { label: context.t('confirm.no'), data: `botwire:decline:${stored.id}` },
      ],
    ],
  });
}

async function resumeConfirmation(
  context: BotContext,
  pending: PendingConfirmation,
  answer: 'yes' | 'no',
  session: Session,
): Promise<void> {
  if (answer === 'no') {
    context.log.info('confirmation-declined', { tool: pending.step.tool });
    await context.reply(context.t('confirm.cancelled', { tool: pending.step.tool }));
    return;
  }
  if (!pending.plan) {
    // Step-by-step mode: run the confirmed call; its output is the reply.
    try {
      // It waited because untrusted data fed it: the user's yes lets it run, still untrusted.
      const output = await context.callTool(pending.step.tool, pending.step.arguments ?? {}, {
        provenance: { via: 'model', inputs: [], trust: 'untrusted' },
      });
      await context.reply(toolResultToReply(output), { untrusted: true });
    } catch (error) {
      if (!isBotwireError(error)) throw error;
      await context.reply(toolErrorReply(context, error, pending.step.tool), { untrusted: true });
    }
    return;
  }
  const confirmed = new Set([...pending.confirmed, pending.step.id]);
  const execution = await runPlan(context, pending.plan, {
    confirmed,
    previous: pending.previous,
    ...(pending.conversation.untrusted ? { untrustedTexts: pending.conversation.untrusted } : {}),
  });
  await finishPlan(
    context,
    pending.plan,
    execution,
    pending.conversation,
    session.callModel,
    session,
    confirmed,
  );
}
