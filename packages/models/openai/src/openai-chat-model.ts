import {
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ModelToolCall,
  modelBadResponse,
} from '@botwire/core';
import type OpenAI from 'openai';
import {
  checkConnectionOptions,
  clientFactory,
  endpointOf,
  type OpenAiConnectionOptions,
  toModelError,
} from './openai-client';

/** Options for {@link openaiChatModel}. */
export interface OpenAiChatModelOptions extends OpenAiConnectionOptions {
  /** The model, such as `gpt-4o-mini` (or whatever name the compatible endpoint uses). */
  model: string;
  /**
   * Structured output in strict mode: `auto` (default) asks for it when the schema allows it
   * (every object closed with `additionalProperties: false`, every property required).
   */
  strict?: boolean | 'auto';
  /** The request field for `maxTokens`: `max_tokens` (default, widest support) or `max_completion_tokens`. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /**
   * Whether the model sees pictures. Default: guessed from the name (gpt-4o, gpt-4.1, gpt-5,
   * o1/o3/o4, and names with `vision`, `vl`, `llava`, `pixtral`, `gemini`, `claude`); set it for
   * a compatible endpoint's model the guess does not know.
   */
  vision?: boolean;
}

/** Model names known to take pictures, on OpenAI and on common compatible endpoints. */
const visionNames =
  /(^|[/:-])(gpt-4o|gpt-4\.1|gpt-4-turbo|gpt-5|o1|o3|o4|chatgpt-4o)|vision|[-_.]vl\b|llava|pixtral|gemini|claude|gemma-?3|minicpm-v|moondream|llama-?4/i;

/** True when the model's name says it takes pictures; see {@link OpenAiChatModelOptions.vision}. */
export function seesImages(model: string): boolean {
  return (
    visionNames.test(model) &&
    !/gpt-4o-(mini-)?(audio|transcribe|tts|realtime)|(^|\/)(o1|o3)-mini/i.test(model)
  );
}

type MessageParam = OpenAI.Chat.ChatCompletionMessageParam;
type CreateParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

/** True when OpenAI's strict mode accepts the schema: objects closed, all properties required. */
export function isStrictCompatible(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return true;
  const node = schema as Record<string, unknown>;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes('object') || node.properties) {
    const properties = (node.properties ?? {}) as Record<string, unknown>;
    const required = Array.isArray(node.required) ? node.required : [];
    if (node.additionalProperties !== false) return false;
    if (Object.keys(properties).some((key) => !required.includes(key))) return false;
    if (!Object.values(properties).every(isStrictCompatible)) return false;
  }
  const children = [node.items, ...(Array.isArray(node.anyOf) ? node.anyOf : [])];
  const definitions = Object.values((node.$defs ?? node.definitions ?? {}) as object);
  return [...children, ...definitions].every(isStrictCompatible);
}

function toMessage(message: ChatMessage): MessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      if (!message.images?.length) return { role: 'user', content: message.content };
      // Pictures go inline as data URLs, after the text.
      return {
        role: 'user',
        content: [
          ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
          ...message.images.map((image) => ({
            type: 'image_url' as const,
            image_url: {
              url: `data:${image.mimeType};base64,${Buffer.from(image.data).toString('base64')}`,
            },
          })),
        ],
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: {
            name: call.name,
            arguments:
              typeof call.arguments === 'string'
                ? call.arguments
                : JSON.stringify(call.arguments ?? {}),
          },
        })),
      };
    }
  }
}

function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `[a-zA-Z0-9_-]{1,64}`, as OpenAI wants schema names. */
const schemaName = (name: string) =>
  name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'response';

/**
 * The chat model driver for OpenAI and every OpenAI-compatible endpoint (vLLM, LM Studio,
 * llama.cpp, OpenRouter, Ollama's `/v1`, ...): tool calling, structured output with a JSON
 * Schema (`response_format: json_schema`), and usage. It never retries (the `openai` client
 * runs with `maxRetries: 0`); wrap it with `resilientChatModel` for timeouts and retries.
 *
 * @example
 * const model = openaiChatModel({ model: 'gpt-4o-mini', apiKey: process.env.OPENAI_API_KEY });
 * const { text } = await model.chat({ messages: [{ role: 'user', content: 'Hi' }] });
 */
export function openaiChatModel(options: OpenAiChatModelOptions): ChatModel {
  checkConnectionOptions(options, options.model);
  const client = clientFactory(options);
  const context = { provider: 'openai', model: options.model, endpoint: endpointOf(options) };

  const toParams = (request: ChatRequest): CreateParams => {
    const tools = request.toolChoice === 'none' ? [] : (request.tools ?? []);
    const schema = request.responseSchema;
    const strict =
      options.strict === 'auto' || options.strict === undefined
        ? schema !== undefined && isStrictCompatible(schema.schema)
        : options.strict;
    return {
      model: options.model,
      messages: request.messages.map(toMessage),
      ...(tools.length > 0
        ? {
            tools: tools.map((tool) => ({
              type: 'function' as const,
              function: {
                name: tool.name,
                description: tool.description,
                parameters: tool.parameters as Record<string, unknown>,
              },
            })),
            ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
          }
        : {}),
      ...(schema
        ? {
            response_format: {
              type: 'json_schema' as const,
              json_schema: {
                name: schemaName(schema.name),
                schema: schema.schema as Record<string, unknown>,
                ...(strict ? { strict: true } : {}),
              },
            },
          }
        : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxTokens !== undefined
        ? { [options.maxTokensField ?? 'max_tokens']: request.maxTokens }
        : {}),
    };
  };

  return {
    provider: 'openai',
    model: options.model,
    vision: options.vision ?? seesImages(options.model),
    async chat(request: ChatRequest): Promise<ChatResponse> {
      if (request.signal?.aborted) throw request.signal.reason;
      let completion: OpenAI.Chat.ChatCompletion;
      try {
        completion = await (await client()).chat.completions.create(toParams(request), {
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        throw await toModelError(error, context, request.signal, options.apiKey);
      }
      const choice = completion?.choices?.[0];
      if (!choice?.message) throw modelBadResponse(context, 'the answer has no choices.');
      const toolCalls: ModelToolCall[] = (choice.message.tool_calls ?? []).flatMap((call) =>
        call.type === 'function'
          ? [
              {
                id: call.id,
                name: call.function.name,
                arguments: parseArguments(call.function.arguments),
              },
            ]
          : [],
      );
      const refusal = choice.message.refusal;
      return {
        text: choice.message.content ?? refusal ?? '',
        toolCalls,
        usage: {
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
        },
        model: completion.model ?? options.model,
        finishReason:
          refusal && !choice.message.content ? 'refusal' : (choice.finish_reason ?? undefined),
      };
    },
  };
}
