import type { Problem } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import type { ChatMessage, ChatModel, ChatRequest, ChatResponse } from '../ports/chat-model';
import type { SkillRegistry } from '../skills/skill-registry';
import type { Plan, PlanStep } from './plan';
import {
  type ConversationInput,
  plainMessages,
  planningMessages,
  planResponseSchema,
} from './planner-prompts';
import { validatePlan } from './validate-plan';

/** Calls the model for one message, with the checks every call of the planner shares (budget, abort). */
export type ModelCaller = (request: ChatRequest) => Promise<ChatResponse>;

/** What the model decided for a message. */
export type PlanDecision =
  | { kind: 'answer'; text: string }
  | { kind: 'plan'; plan: Plan }
  | { kind: 'step-by-step' }
  /** The plan stayed invalid after one repair; `text` is a plain answer without tools. */
  | { kind: 'fallback'; text: string; problems: Problem[] };

/** What {@link planWithModel} needs. */
export interface LlmPlannerInput {
  conversation: ConversationInput;
  registry: SkillRegistry;
  callModel: ModelCaller;
  log: Logger;
}

type Parsed =
  | { kind: 'answer'; text: string }
  | { kind: 'plan'; steps: PlanStep[]; final: Plan['final'] }
  | { kind: 'step-by-step' };

/** Reads the planning call's JSON. Returns problems instead of throwing: they go into the repair call. */
export function parsePlanResponse(text: string): { parsed?: Parsed; problems: Problem[] } {
  const problem = (path: string, message: string) => ({
    problems: [{ path, code: 'BOTWIRE_ARGUMENT_INVALID', message }],
  });
  const body = text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return problem('', 'the reply is not JSON; reply with one JSON object only');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return problem('', 'the reply must be a JSON object');
  const reply = value as Record<string, unknown>;
  if (reply.mode === 'answer') {
    if (typeof reply.answer !== 'string' || !reply.answer.trim())
      return problem('/answer', 'mode "answer" needs a non-empty "answer"');
    return { parsed: { kind: 'answer', text: reply.answer }, problems: [] };
  }
  if (reply.mode === 'step_by_step') return { parsed: { kind: 'step-by-step' }, problems: [] };
  if (reply.mode !== 'plan')
    return problem('/mode', 'mode must be "answer", "plan" or "step_by_step"');
  if (!Array.isArray(reply.steps) || reply.steps.length === 0)
    return problem('/steps', 'mode "plan" needs 1 to 3 steps');
  const problems: Problem[] = [];
  const steps = reply.steps.map((raw: unknown, index): PlanStep => {
    const step = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    let args = step.arguments ?? {};
    if (typeof args === 'string') {
      try {
        args = JSON.parse(args);
      } catch {
        problems.push({
          path: `/steps/${index}/arguments`,
          code: 'BOTWIRE_ARGUMENT_INVALID',
          message: 'arguments must be a JSON object',
        });
      }
    }
    if (!args || typeof args !== 'object' || Array.isArray(args)) {
      problems.push({
        path: `/steps/${index}/arguments`,
        code: 'BOTWIRE_ARGUMENT_INVALID',
        message: 'arguments must be an object',
      });
      args = {};
    }
    return {
      id: typeof step.id === 'string' && step.id ? step.id : `s${index + 1}`,
      tool: String(step.tool ?? ''),
      arguments: args as Record<string, unknown>,
    };
  });
  const final = reply.final === 'last_step' ? 'last_step' : 'compose';
  return { parsed: { kind: 'plan', steps, final }, problems };
}

/**
 * Plan, then execute: ONE model call returns the whole plan (or a direct answer). Every step is
 * checked before anything runs; an invalid plan gets one repair call; a plan still invalid after
 * it becomes a plain answer without tools (a third call), so the user never sees a planning error.
 */
export async function planWithModel(input: LlmPlannerInput): Promise<PlanDecision> {
  const { conversation, registry, callModel, log } = input;
  const tools = registry
    .listTools()
    .filter((tool) => tool.missingPermissions.length === 0)
    .map((tool) => tool.name);
  const messages = planningMessages(conversation, registry);
  const responseSchema = { name: 'botwire_plan', schema: planResponseSchema(tools) };

  const attempt = async (request: ChatMessage[]) => {
    const response = await callModel({ messages: request, responseSchema, temperature: 0 });
    const { parsed, problems } = parsePlanResponse(response.text);
    if (parsed?.kind === 'plan') problems.push(...validatePlan(parsed.steps, registry));
    return { response, parsed, problems };
  };

  let result = await attempt(messages);
  if (result.problems.length > 0) {
    log.info('plan-repair', {
      problems: result.problems.map((problem) => `${problem.path}: ${problem.message}`),
    });
    const repair: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: result.response.text },
      {
        role: 'user',
        content: `That reply cannot be used:\n${result.problems.map((problem) => `- ${problem.path || '/'}: ${problem.message}`).join('\n')}\nReply again with corrected JSON only.`,
      },
    ];
    result = await attempt(repair);
  }
  if (result.problems.length > 0 || !result.parsed) {
    log.warn('plan-failed', {
      problems: result.problems.map((problem) => `${problem.path}: ${problem.message}`),
    });
    const plain = await callModel({ messages: plainMessages(conversation) });
    return { kind: 'fallback', text: plain.text, problems: result.problems };
  }
  const { parsed } = result;
  if (parsed.kind === 'plan')
    return { kind: 'plan', plan: { steps: parsed.steps, final: parsed.final, source: 'model' } };
  return parsed;
}

/** A plain answer with no tools: one model call. */
export async function answerPlainly(
  conversation: ConversationInput,
  callModel: ModelCaller,
): Promise<string> {
  const response = await callModel({ messages: plainMessages(conversation) });
  return response.text;
}

/** The model a planner uses, and how a call is made through it. */
export function directCaller(model: ChatModel, signal?: AbortSignal): ModelCaller {
  return (request) => model.chat({ ...request, ...(signal ? { signal } : {}) });
}
