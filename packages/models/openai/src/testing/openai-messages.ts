import { imageTypeOf } from '@botwire/core';
import type { RecordedChatImage, RecordedChatMessage } from '@botwire/core/testing';

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

/** A message's content as the peer reads it: the text, and the pictures of `image_url` parts. */
interface ReadContent {
  text: string;
  images: RecordedChatImage[];
}

const dataUrl = /^data:(image\/(?:png|jpeg|jpg|gif|webp));base64,([A-Za-z0-9+/=\s]+)$/;

/** One `image_url` part: a base64 data URL of a PNG, JPEG, GIF or WebP, read back to bytes. */
function readImagePart(
  part: Record<string, unknown>,
  param: string,
): RecordedChatImage | OpenAiErrorObject {
  const url = isObject(part.image_url) ? part.image_url.url : undefined;
  if (typeof url !== 'string')
    return invalidRequest(
      `Missing required parameter: '${param}.image_url.url'.`,
      `${param}.image_url.url`,
      'missing_required_parameter',
    );
  if (/^https?:\/\//.test(url))
    // The peer cannot fetch the web; the real API would download it.
    return invalidRequest(
      'This test peer takes pictures only as base64 data URLs.',
      `${param}.image_url.url`,
      'unsupported_value',
    );
  const match = dataUrl.exec(url);
  const data = match ? new Uint8Array(Buffer.from(match[2]!, 'base64')) : undefined;
  const mimeType = data ? imageTypeOf(data) : undefined;
  if (!match || !data || !mimeType)
    return invalidRequest(
      "You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].",
      `${param}.image_url.url`,
      'invalid_image_format',
    );
  return { mimeType, data };
}

/** A message's `content`: a string, or an array of `text` and (user messages) `image_url` parts. */
function readContent(
  content: unknown,
  param: string,
  role: string,
): ReadContent | OpenAiErrorObject {
  if (typeof content === 'string') return { text: content, images: [] };
  if (content === null || content === undefined) return { text: '', images: [] };
  if (Array.isArray(content)) {
    const texts: string[] = [];
    const images: RecordedChatImage[] = [];
    for (const [index, part] of content.entries()) {
      const partParam = `${param}[${index}]`;
      if (!isObject(part) || typeof part.type !== 'string') {
        return invalidRequest(`Invalid '${partParam}': expected an object with a type.`, partParam);
      }
      if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
      else if (part.type === 'image_url') {
        if (role !== 'user')
          return invalidRequest(
            `Invalid '${partParam}.type': image_url parts are only allowed in user messages.`,
            `${partParam}.type`,
            'invalid_value',
          );
        const image = readImagePart(part, partParam);
        if ('message' in image) return image;
        images.push(image);
      } else
        return invalidRequest(
          `Invalid value: '${part.type}'. Supported values are: 'text' and 'image_url'.`,
          `${partParam}.type`,
          'invalid_value',
        );
    }
    return { text: texts.join(''), images };
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
    const content = readContent(message.content, `${param}.content`, role);
    if ('message' in content) return content;
    const entry: RecordedChatMessage = {
      role,
      content: content.text,
      ...(content.images.length ? { images: content.images } : {}),
    };
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
