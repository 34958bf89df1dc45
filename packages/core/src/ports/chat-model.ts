import type { JsonSchema } from '../skills/skill-manifest';

/** Who said a message in a model conversation. */
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** A tool call the model asked for. */
export interface ModelToolCall {
  /** The provider's id for the call, echoed back in the `tool` message with its result. */
  id: string;
  name: string;
  /** The parsed JSON arguments; a string when the model sent text that is not JSON. */
  arguments: unknown;
}

/** A picture given to a model that sees images (vision input). */
export interface ChatImage {
  /** The picture's bytes: JPEG, PNG, WebP or GIF. */
  data: Uint8Array;
  /** `image/jpeg`, `image/png`, `image/webp` or `image/gif`. */
  mimeType: string;
}

/** One message of a model conversation. */
export interface ChatMessage {
  role: ChatRole;
  content: string;
  /**
   * For `user` messages: pictures the user sent. The planner sends them only to a model whose
   * {@link ChatModel.vision} is true; a driver passes them on as its API takes pictures.
   */
  images?: ChatImage[];
  /** For `assistant` messages: the tools the model called. */
  toolCalls?: ModelToolCall[];
  /** For `tool` messages: the id of the call this is the result of. */
  toolCallId?: string;
}

/** A tool offered to the model. */
export interface ModelTool {
  name: string;
  description: string;
  /** A JSON Schema of type object. */
  parameters: JsonSchema;
}

/** One request to a chat model. */
export interface ChatRequest {
  messages: ChatMessage[];
  /** Tools the model may call. */
  tools?: ModelTool[];
  /** `auto` (default when tools are given), `none`, or `required`. */
  toolChoice?: 'auto' | 'none' | 'required';
  /** Ask for a JSON answer matching this schema (structured output). */
  responseSchema?: { name: string; schema: JsonSchema };
  temperature?: number;
  maxTokens?: number;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Tokens a call used, as the provider reports them. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** A chat model's answer. */
export interface ChatResponse {
  /** The text of the answer (the JSON text for structured output); empty when it only called tools. */
  text: string;
  toolCalls: ModelToolCall[];
  usage: TokenUsage;
  /** The model that answered, as the provider names it. */
  model: string;
  /** Why the model stopped: `stop`, `length`, `tool_calls`, ... */
  finishReason?: string;
}

/**
 * The chat model port. Drivers: `@botwire/model-openai` (OpenAI and every OpenAI-compatible
 * endpoint) and `@botwire/model-ollama`. A driver throws BotwireError with a model code
 * (`BOTWIRE_MODEL_UNAVAILABLE`, `BOTWIRE_MODEL_RATE_LIMITED`, ...) and never retries by itself:
 * retries, timeouts and the circuit breaker come from `resilientChatModel`.
 */
export interface ChatModel {
  /** `openai`, `ollama`, ... */
  readonly provider: string;
  /** The model name requests use. */
  readonly model: string;
  /**
   * True when the model sees pictures (`images` on user messages): the driver's option, or
   * what it knows of the model's name. Missing or false: the bot tells users it cannot see them.
   */
  readonly vision?: boolean;
  chat(request: ChatRequest): Promise<ChatResponse>;
}
