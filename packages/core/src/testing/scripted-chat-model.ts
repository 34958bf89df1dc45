import { BotwireError } from '../errors/botwire-error';
import type { ChatModel, ChatRequest, ChatResponse, ModelToolCall } from '../ports/chat-model';

/** One scripted answer: text, JSON (sent as text), tool calls, an error, or a function of the request. */
export type ScriptedAnswer =
  | string
  | { json: unknown }
  | { toolCalls: Array<Omit<ModelToolCall, 'id'> & { id?: string }>; text?: string }
  | { error: BotwireError }
  | ((request: ChatRequest) => ScriptedAnswer | Promise<ScriptedAnswer>);

/** A chat model that answers from a script, in process, and records every request. */
export interface ScriptedChatModel extends ChatModel {
  /** Every request, in order. */
  readonly requests: ChatRequest[];
  /** Adds answers to the end of the script. */
  push(...answers: ScriptedAnswer[]): void;
}

/**
 * A chat model for unit tests of planners and middleware: it returns the scripted answers in
 * order and fails clearly when the script runs out. (End-to-end tests use the HTTP peers with
 * the real OpenAI and Ollama clients instead.)
 *
 * @example
 * const model = scriptedChatModel([{ json: { mode: 'answer', answer: 'Hi!' } }]);
 */
export function scriptedChatModel(
  script: ScriptedAnswer[] = [],
  options: {
    delayMs?: number;
    /** Say the model sees pictures, so the planner sends it the user's images. Default false. */
    vision?: boolean;
  } = {},
): ScriptedChatModel {
  const queue = [...script];
  const requests: ChatRequest[] = [];
  let calls = 0;
  const resolveAnswer = async (
    answer: ScriptedAnswer,
    request: ChatRequest,
  ): Promise<ChatResponse> => {
    if (typeof answer === 'function') return resolveAnswer(await answer(request), request);
    const usage = { inputTokens: JSON.stringify(request.messages).length / 4, outputTokens: 10 };
    if (typeof answer === 'string')
      return { text: answer, toolCalls: [], usage, model: 'scripted', finishReason: 'stop' };
    if ('error' in answer) throw answer.error;
    if ('json' in answer)
      return {
        text: JSON.stringify(answer.json),
        toolCalls: [],
        usage,
        model: 'scripted',
        finishReason: 'stop',
      };
    calls += 1;
    return {
      text: answer.text ?? '',
      toolCalls: answer.toolCalls.map((call, index) => ({
        id: call.id ?? `call_${calls}_${index}`,
        name: call.name,
        arguments: call.arguments,
      })),
      usage,
      model: 'scripted',
      finishReason: 'tool_calls',
    };
  };
  return {
    provider: 'scripted',
    model: 'scripted',
    ...(options.vision ? { vision: true } : {}),
    requests,
    push: (...answers) => {
      queue.push(...answers);
    },
    async chat(request) {
      requests.push(request);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      request.signal?.throwIfAborted();
      const answer = queue.shift();
      if (answer === undefined) {
        throw new BotwireError('BOTWIRE_MODEL_FAILED', {
          message: `The scripted model has no answer left for request ${requests.length}.`,
        });
      }
      return resolveAnswer(answer, request);
    },
  };
}
