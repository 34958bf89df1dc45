import { randomUUID } from 'node:crypto';
import {
  BotwireError,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ModelToolCall,
  modelBadResponse,
} from '@botwire/core';
import type { Message, ChatRequest as OllamaChatRequest, Tool } from 'ollama';
import { hostOf, type OllamaConnectionOptions, ollamaCaller } from './ollama-connection';

/** Options for {@link ollamaChatModel}. */
export interface OllamaChatModelOptions extends OllamaConnectionOptions {
  /** The model, such as `llama3.2` or `qwen2.5:7b` (pulled on the server). */
  model: string;
  /** How long the server keeps the model loaded after a call, such as `10m` (Ollama's default: 5m). */
  keepAlive?: string | number;
  /**
   * Whether the model sees pictures. Default: guessed from the name (llava, bakllava,
   * llama3.2-vision, llama4, gemma3, qwen2.5vl, minicpm-v, moondream, granite3.2-vision,
   * mistral-small3.1); `ollama show <model>` lists `vision` among a model's capabilities.
   */
  vision?: boolean;
}

const visionNames =
  /llava|vision|llama-?4|gemma3(?!:1b)|qwen[\d.]*-?vl|minicpm-v|moondream|mistral-small3\.[12]/i;

/** True when the Ollama model's name says it takes pictures; see {@link OllamaChatModelOptions.vision}. */
export function ollamaSeesImages(model: string): boolean {
  return visionNames.test(model);
}

const argumentsObject = (value: unknown): Record<string, unknown> => {
  if (value && typeof value === 'object' && !Array.isArray(value))
    return value as Record<string, unknown>;
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // Not JSON: nothing Ollama can take.
    }
  }
  return {};
};

/** Ollama's messages: tool calls carry no ids, so a tool result names its tool instead. */
function toMessages(messages: ChatMessage[]): Message[] {
  const toolNames = new Map<string, string>();
  return messages.map((message) => {
    if (message.role === 'assistant' && message.toolCalls?.length) {
      for (const call of message.toolCalls) toolNames.set(call.id, call.name);
      return {
        role: 'assistant',
        content: message.content,
        tool_calls: message.toolCalls.map((call) => ({
          function: { name: call.name, arguments: argumentsObject(call.arguments) },
        })),
      };
    }
    if (message.role === 'tool') {
      const toolName = message.toolCallId ? toolNames.get(message.toolCallId) : undefined;
      return {
        role: 'tool',
        content: message.content,
        ...(toolName ? { tool_name: toolName } : {}),
      };
    }
    return {
      role: message.role,
      content: message.content,
      // Ollama takes pictures as base64 beside the text, without a type.
      ...(message.images?.length
        ? { images: message.images.map((image) => Buffer.from(image.data).toString('base64')) }
        : {}),
    };
  });
}

/**
 * The chat model driver for Ollama (`/api/chat`): tools, structured output through `format`
 * with a JSON Schema, and usage from `prompt_eval_count`/`eval_count`. Ollama has no
 * `tool_choice`: `none` leaves the tools out, `required` is not enforced. Tool calls get ids
 * here (Ollama sends none), and tool results are sent back with their tool's name. It never
 * retries; wrap it with `resilientChatModel`.
 *
 * @example
 * const model = ollamaChatModel({ model: 'llama3.2', host: 'http://127.0.0.1:11434' });
 */
export function ollamaChatModel(options: OllamaChatModelOptions): ChatModel {
  if (typeof options.model !== 'string' || options.model.trim() === '') {
    throw new BotwireError('BOTWIRE_MODEL_NOT_CONFIGURED', {
      message: 'The Ollama model driver needs a model name, such as llama3.2.',
    });
  }
  const context = { provider: 'ollama', model: options.model, endpoint: hostOf(options) };
  const call = ollamaCaller(options, context);

  const toRequest = (request: ChatRequest): OllamaChatRequest & { stream: false } => {
    const tools = request.toolChoice === 'none' ? [] : (request.tools ?? []);
    const modelOptions = {
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxTokens !== undefined ? { num_predict: request.maxTokens } : {}),
    };
    return {
      model: options.model,
      messages: toMessages(request.messages),
      stream: false,
      ...(tools.length > 0
        ? {
            tools: tools.map(
              (tool): Tool => ({
                type: 'function',
                function: {
                  name: tool.name,
                  description: tool.description,
                  parameters: tool.parameters as NonNullable<Tool['function']['parameters']>,
                },
              }),
            ),
          }
        : {}),
      ...(request.responseSchema ? { format: request.responseSchema.schema as object } : {}),
      ...(Object.keys(modelOptions).length > 0 ? { options: modelOptions } : {}),
      ...(options.keepAlive !== undefined ? { keep_alive: options.keepAlive } : {}),
    };
  };

  return {
    provider: 'ollama',
    model: options.model,
    vision: options.vision ?? ollamaSeesImages(options.model),
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const response = await call(request.signal, (client) => client.chat(toRequest(request)));
      const message = response?.message;
      if (!message || typeof message !== 'object') {
        throw modelBadResponse(context, 'the answer has no message.');
      }
      const toolCalls: ModelToolCall[] = (message.tool_calls ?? []).map((toolCall) => {
        const id = (toolCall as { id?: unknown }).id;
        return {
          id:
            typeof id === 'string' && id
              ? id
              : `call_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
          name: toolCall.function.name,
          arguments: toolCall.function.arguments,
        };
      });
      return {
        text: typeof message.content === 'string' ? message.content : '',
        toolCalls,
        usage: {
          inputTokens: response.prompt_eval_count ?? 0,
          outputTokens: response.eval_count ?? 0,
        },
        model: response.model ?? options.model,
        finishReason: toolCalls.length > 0 ? 'tool_calls' : (response.done_reason ?? undefined),
      };
    },
  };
}
