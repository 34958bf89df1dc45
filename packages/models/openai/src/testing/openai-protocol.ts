import type { RecordedChatMessage, RecordedChatRequest } from '@botwire/core/testing';
import {
  checkMessages,
  invalidRequest,
  isObject,
  namePattern,
  type OpenAiErrorObject,
  typeName,
} from './openai-messages';
import { strictSchemaProblem } from './strict-schema-problem';

export { invalidRequest, type OpenAiErrorObject } from './openai-messages';

const knownChatFields = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'response_format',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'stop',
  'stream',
  'stream_options',
  'seed',
  'user',
  'parallel_tool_calls',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'metadata',
  'store',
  'reasoning_effort',
  'service_tier',
  'modalities',
  'prediction',
  'verbosity',
  'prompt_cache_key',
  'safety_identifier',
]);

function checkTools(tools: unknown): RecordedChatRequest['tools'] | OpenAiErrorObject {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) {
    return invalidRequest(
      `Invalid type for 'tools': expected an array, but got ${typeName(tools)} instead.`,
      'tools',
      'invalid_type',
    );
  }
  if (tools.length === 0) {
    return invalidRequest(
      "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'tools',
      'empty_array',
    );
  }
  const recorded: RecordedChatRequest['tools'] = [];
  for (const [index, tool] of tools.entries()) {
    const param = `tools[${index}]`;
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) {
      return invalidRequest(
        `Invalid '${param}': expected { type: 'function', function: { name, ... } }.`,
        param,
        'invalid_value',
      );
    }
    const { name, description, parameters, strict } = tool.function;
    if (typeof name !== 'string' || !namePattern.test(name)) {
      return invalidRequest(
        `Invalid '${param}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        `${param}.function.name`,
        'invalid_value',
      );
    }
    if (parameters !== undefined && !isObject(parameters)) {
      return invalidRequest(
        `Invalid type for '${param}.function.parameters': expected an object.`,
        `${param}.function.parameters`,
        'invalid_type',
      );
    }
    if (strict === true) {
      const problem = strictSchemaProblem(parameters);
      if (problem)
        return invalidRequest(
          `Invalid schema for function '${name}': ${problem}`,
          `${param}.function.parameters`,
          'invalid_function_parameters',
        );
    }
    recorded.push({
      name,
      ...(typeof description === 'string' ? { description } : {}),
      ...(parameters !== undefined ? { parameters } : {}),
    });
  }
  return recorded;
}

type ResponseFormat = Pick<RecordedChatRequest, 'responseSchema' | 'jsonMode'>;

function checkResponseFormat(
  format: unknown,
  messages: RecordedChatMessage[],
): ResponseFormat | OpenAiErrorObject {
  if (format === undefined) return {};
  if (!isObject(format) || typeof format.type !== 'string') {
    return invalidRequest(
      "Invalid 'response_format': expected an object with a type.",
      'response_format',
      'invalid_type',
    );
  }
  if (format.type === 'text') return {};
  if (format.type === 'json_object') {
    if (!messages.some((message) => /json/i.test(message.content))) {
      return invalidRequest(
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        'messages',
        null,
      );
    }
    return { jsonMode: true };
  }
  if (format.type !== 'json_schema') {
    return invalidRequest(
      `Invalid value: '${format.type}'. Supported values are: 'json_object', 'json_schema', and 'text'.`,
      'response_format.type',
      'invalid_value',
    );
  }
  const spec = format.json_schema;
  if (!isObject(spec)) {
    return invalidRequest(
      "Missing required parameter: 'response_format.json_schema'.",
      'response_format.json_schema',
      'missing_required_parameter',
    );
  }
  if (typeof spec.name !== 'string' || !namePattern.test(spec.name)) {
    return invalidRequest(
      "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
      'response_format.json_schema.name',
      'invalid_value',
    );
  }
  if (spec.schema !== undefined && !isObject(spec.schema)) {
    return invalidRequest(
      "Invalid type for 'response_format.json_schema.schema': expected an object.",
      'response_format.json_schema.schema',
      'invalid_type',
    );
  }
  if (spec.strict === true) {
    const problem = strictSchemaProblem(spec.schema);
    if (problem) {
      return invalidRequest(
        `Invalid schema for response_format '${spec.name}': ${problem}`,
        'response_format',
        'invalid_json_schema',
      );
    }
  }
  return {
    responseSchema: {
      name: spec.name,
      schema: spec.schema ?? {},
      ...(typeof spec.strict === 'boolean' ? { strict: spec.strict } : {}),
    },
  };
}

/** Checks a Chat Completions body like the real API; its neutral form, or the 400 error. */
export function checkChatBody(body: unknown): RecordedChatRequest | OpenAiErrorObject {
  if (!isObject(body)) return invalidRequest('The body of the request must be a JSON object.');
  for (const key of Object.keys(body)) {
    if (!knownChatFields.has(key))
      return invalidRequest(`Unrecognized request argument supplied: ${key}`);
  }
  if (typeof body.model !== 'string' || body.model === '') {
    return invalidRequest('you must provide a model parameter', 'model', null);
  }
  if (body.stream === true) {
    return invalidRequest(
      'This test peer does not implement streaming; send stream: false.',
      'stream',
      'unsupported_value',
    );
  }
  const messages = checkMessages(body.messages);
  if (!Array.isArray(messages)) return messages;
  const tools = checkTools(body.tools);
  if (!Array.isArray(tools)) return tools;
  if (body.tool_choice !== undefined && tools.length === 0) {
    return invalidRequest(
      "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
      'tool_choice',
      null,
    );
  }
  if (
    body.tool_choice !== undefined &&
    !['none', 'auto', 'required'].includes(body.tool_choice as string) &&
    !isObject(body.tool_choice)
  ) {
    return invalidRequest(
      "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named function.",
      'tool_choice',
      'invalid_value',
    );
  }
  const format = checkResponseFormat(body.response_format, messages);
  if ('message' in format) return format;
  const { temperature } = body;
  if (
    temperature !== undefined &&
    (typeof temperature !== 'number' || temperature < 0 || temperature > 2)
  ) {
    return invalidRequest(
      `Invalid 'temperature': expected a number between 0 and 2, but got ${JSON.stringify(temperature)} instead.`,
      'temperature',
      'invalid_value',
    );
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (
    maxTokens !== undefined &&
    maxTokens !== null &&
    (!Number.isInteger(maxTokens) || (maxTokens as number) < 1)
  ) {
    return invalidRequest(
      `Invalid 'max_tokens': expected an integer of at least 1, but got ${JSON.stringify(maxTokens)} instead.`,
      'max_tokens',
      'invalid_value',
    );
  }
  return {
    model: body.model,
    messages,
    tools,
    ...(body.tool_choice !== undefined ? { toolChoice: body.tool_choice } : {}),
    ...format,
    ...(typeof temperature === 'number' ? { temperature } : {}),
    ...(typeof maxTokens === 'number' ? { maxTokens } : {}),
  };
}

/** Checks an embeddings body; the texts and options, or the 400 error. */
export function checkEmbeddingsBody(
  body: unknown,
): { model: string; texts: string[]; base64: boolean; dimensions?: number } | OpenAiErrorObject {
  if (!isObject(body)) return invalidRequest('The body of the request must be a JSON object.');
  if (typeof body.model !== 'string' || body.model === '') {
    return invalidRequest('you must provide a model parameter', 'model', null);
  }
  const input = typeof body.input === 'string' ? [body.input] : body.input;
  if (
    !Array.isArray(input) ||
    input.length === 0 ||
    input.some((text) => typeof text !== 'string' || text === '')
  ) {
    return invalidRequest(
      "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
      'input',
      null,
    );
  }
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    return invalidRequest(
      `Invalid value for 'encoding_format': expected 'float' or 'base64'.`,
      'encoding_format',
      'invalid_value',
    );
  }
  const { dimensions } = body;
  if (dimensions !== undefined && (!Number.isInteger(dimensions) || (dimensions as number) < 1)) {
    return invalidRequest(
      "Invalid 'dimensions': expected an integer of at least 1.",
      'dimensions',
      'invalid_value',
    );
  }
  return {
    model: body.model,
    texts: input as string[],
    base64: format === 'base64',
    ...(typeof dimensions === 'number' ? { dimensions } : {}),
  };
}
