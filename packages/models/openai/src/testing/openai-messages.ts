import type { RecordedChatMessage } from '@botwire/core/testing';

/** An OpenAI-style error body's `error` object. */
export interface OpenAiErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** A 400 `invalid_request_error`, as the real API words them. */
export const invalidRequest = (
  message: string,
  param: string | null = null,
  code: string | null = null,
): OpenAiErrorObject => ({ message, type: 'invalid_request_error', param, code });

/** OpenAI's pattern for tool and schema names. */
export const namePattern = /^[a-zA-Z0-9_-]{1,64}$/;
const roles = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
/** True for a plain object (not null, not an array). */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parseArguments = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** How the API names a value's type in messages: `a string`, `an array`, ... */
export const typeName = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

/** Text of a message's `content`: a string, or an array of `{ type: 'text', text }` parts. */
function contentText(content: unknown, param: string): string | OpenAiErrorObject {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const [index, part] of content.entries()) {
      if (!isObject(part) || typeof part.type !== 'string') {
        return invalidRequest(
          `Invalid '${param}[${index}]': expected an object with a type.`,
          `${param}[${index}]`,
        );
      }
      if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
    }
    return texts.join('');
  }
  return invalidRequest(
    `Invalid type for '${param}': expected one of a string or array of objects, but got ${typeName(content)} instead.`,
    param,
    'invalid_type',
  );
}

/** Checks `messages` like the API: roles, content, and tool calls answered in order. */
export function checkMessages(messages: unknown): RecordedChatMessage[] | OpenAiErrorObject {
  if (!Array.isArray(messages)) {
    return messages === undefined
      ? invalidRequest(
          "Missing required parameter: 'messages'.",
          'messages',
          'missing_required_parameter',
        )
      : invalidRequest(
          `Invalid type for 'messages': expected an array, but got ${typeName(messages)} instead.`,
          'messages',
          'invalid_type',
        );
  }
  if (messages.length === 0) {
    return invalidRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  const recorded: RecordedChatMessage[] = [];
  let awaiting = new Set<string>();
  for (const [index, message] of messages.entries()) {
    const param = `messages[${index}]`;
    if (!isObject(message) || typeof message.role !== 'string' || !roles.has(message.role)) {
      return invalidRequest(
        `Invalid value for '${param}.role': expected one of system, developer, user, assistant or tool.`,
        `${param}.role`,
        'invalid_value',
      );
    }
    const role = message.role;
    if (role !== 'tool' && awaiting.size > 0) {
      return invalidRequest(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...awaiting].join(', ')}`,
        'messages',
        null,
      );
    }
    if (role !== 'assistant' && (message.content === undefined || message.content === null)) {
      return invalidRequest(
        `Missing required parameter: '${param}.content'.`,
        `${param}.content`,
        'missing_required_parameter',
      );
    }
    const text = contentText(message.content, `${param}.content`);
    if (typeof text !== 'string') return text;
    const entry: RecordedChatMessage = { role, content: text };
    if (role === 'assistant' && message.tool_calls !== undefined) {
      if (!Array.isArray(message.tool_calls)) {
        return invalidRequest(
          `Invalid type for '${param}.tool_calls': expected an array.`,
          `${param}.tool_calls`,
          'invalid_type',
        );
      }
      entry.toolCalls = [];
      for (const [callIndex, call] of message.tool_calls.entries()) {
        const callParam = `${param}.tool_calls[${callIndex}]`;
        if (
          !isObject(call) ||
          typeof call.id !== 'string' ||
          !isObject(call.function) ||
          typeof call.function.name !== 'string'
        ) {
          return invalidRequest(
            `Invalid '${callParam}': expected { id, type: 'function', function: { name, arguments } }.`,
            callParam,
            'invalid_value',
          );
        }
        if (typeof call.function.arguments !== 'string') {
          return invalidRequest(
            `Invalid type for '${callParam}.function.arguments': expected a string, but got ${typeName(call.function.arguments)} instead.`,
            `${callParam}.function.arguments`,
            'invalid_type',
          );
        }
        entry.toolCalls.push({
          id: call.id,
          name: call.function.name,
          arguments: parseArguments(call.function.arguments),
        });
      }
      awaiting = new Set(entry.toolCalls.map((call) => call.id as string));
    }
    if (role === 'tool') {
      if (typeof message.tool_call_id !== 'string') {
        return invalidRequest(
          `Missing required parameter: '${param}.tool_call_id'.`,
          `${param}.tool_call_id`,
          'missing_required_parameter',
        );
      }
      if (!awaiting.has(message.tool_call_id)) {
        return invalidRequest(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `${param}.role`,
          null,
        );
      }
      awaiting.delete(message.tool_call_id);
      entry.toolCallId = message.tool_call_id;
    }
    recorded.push(entry);
  }
  if (awaiting.size > 0) {
    return invalidRequest(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...awaiting].join(', ')}`,
      'messages',
      null,
    );
  }
  return recorded;
}
