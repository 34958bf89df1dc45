import { createHash } from 'node:crypto';
import { encodePng } from '@botwire/core';
import { invalidRequest, type OpenAiErrorObject } from './openai-protocol';

/** What one image model of the API takes, from the API reference. */
interface ImageModelRules {
  maxPromptLength: number;
  sizes: string[];
  maxN: number;
  /** DALL·E models take `response_format` (default `url`); GPT image models answer base64 only. */
  dallE: boolean;
}

const gptImage: ImageModelRules = {
  maxPromptLength: 32000,
  sizes: ['1024x1024', '1536x1024', '1024x1536', 'auto'],
  maxN: 10,
  dallE: false,
};

/** The image models the peer knows, as the real API describes them. */
export const imageModels: Readonly<Record<string, ImageModelRules>> = {
  'dall-e-2': {
    maxPromptLength: 1000,
    sizes: ['256x256', '512x512', '1024x1024'],
    maxN: 10,
    dallE: true,
  },
  'dall-e-3': {
    maxPromptLength: 4000,
    sizes: ['1024x1024', '1792x1024', '1024x1792'],
    maxN: 1,
    dallE: true,
  },
  'gpt-image-1': gptImage,
  'gpt-image-1-mini': gptImage,
  'gpt-image-1.5': gptImage,
};

const knownParameters = new Set([
  'prompt',
  'model',
  'n',
  'size',
  'quality',
  'response_format',
  'style',
  'user',
  'background',
  'moderation',
  'output_format',
  'output_compression',
]);
const gptOnly = ['background', 'moderation', 'output_format', 'output_compression'];

/** A valid image generation request, as the peer understood it. */
export interface CheckedImageRequest {
  model: string;
  prompt: string;
  n: number;
  width: number;
  height: number;
  size: string;
  responseFormat: 'url' | 'b64_json';
  rules: ImageModelRules;
}

const quote = (values: string[]) => values.map((value) => `'${value}'`).join(', ');

/**
 * Checks a `POST /v1/images/generations` body as the API does: the model, the prompt and its
 * length for that model, `n` (1 for DALL·E 3), the sizes the model makes, `response_format`
 * (DALL·E only) and unknown parameters. Returns the request, or the OpenAI error object for a 400.
 * `extraModels` are models the peer was told about: they follow the GPT image model rules.
 */
export function checkImageBody(
  body: unknown,
  extraModels: string[] | undefined,
): CheckedImageRequest | OpenAiErrorObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalidRequest('The request body must be a JSON object.');
  }
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!knownParameters.has(key))
      return invalidRequest(`Unknown parameter: '${key}'.`, key, 'unknown_parameter');
  }
  const model = fields.model ?? 'dall-e-2';
  if (typeof model !== 'string')
    return invalidRequest("Invalid type for 'model': expected a string.", 'model', 'invalid_type');
  const rules = imageModels[model] ?? (extraModels?.includes(model) ? gptImage : undefined);
  if (!rules) {
    const supported = quote([...Object.keys(imageModels), ...(extraModels ?? [])]);
    return invalidRequest(
      `Invalid value: '${model}'. Supported values are: ${supported}.`,
      'model',
      'invalid_value',
    );
  }
  const prompt = fields.prompt;
  if (prompt === undefined)
    return invalidRequest(
      "Missing required parameter: 'prompt'.",
      'prompt',
      'missing_required_parameter',
    );
  if (typeof prompt !== 'string')
    return invalidRequest(
      "Invalid type for 'prompt': expected a string.",
      'prompt',
      'invalid_type',
    );
  if (prompt.length === 0) {
    return invalidRequest(
      "Invalid 'prompt': empty string. Expected a string with minimum length 1, but got an empty string instead.",
      'prompt',
      'empty_string',
    );
  }
  if (prompt.length > rules.maxPromptLength) {
    return invalidRequest(
      `Invalid 'prompt': string too long. Expected a string with maximum length ${rules.maxPromptLength}, but got a string with length ${prompt.length} instead.`,
      'prompt',
      'string_above_max_length',
    );
  }
  const n = fields.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n))
    return invalidRequest("Invalid type for 'n': expected an integer.", 'n', 'invalid_type');
  if (n < 1)
    return invalidRequest(
      `Invalid 'n': integer below minimum value. Expected a value >= 1, but got ${n} instead.`,
      'n',
      'integer_below_min_value',
    );
  if (n > rules.maxN)
    return invalidRequest(
      `Invalid 'n': integer above maximum value. Expected a value <= ${rules.maxN}, but got ${n} instead.`,
      'n',
      'integer_above_max_value',
    );
  const size = fields.size ?? (rules.dallE ? '1024x1024' : 'auto');
  if (typeof size !== 'string' || !rules.sizes.includes(size)) {
    return invalidRequest(
      `Invalid value: '${String(size)}'. Supported values are: ${quote(rules.sizes)}.`,
      'size',
      'invalid_value',
    );
  }
  const responseFormat = fields.response_format ?? (rules.dallE ? 'url' : 'b64_json');
  if (!rules.dallE && fields.response_format !== undefined) {
    return invalidRequest(
      "Unknown parameter: 'response_format'.",
      'response_format',
      'unknown_parameter',
    );
  }
  if (responseFormat !== 'url' && responseFormat !== 'b64_json') {
    return invalidRequest(
      `Invalid value: '${String(responseFormat)}'. Supported values are: 'url' and 'b64_json'.`,
      'response_format',
      'invalid_value',
    );
  }
  for (const key of gptOnly) {
    if (rules.dallE && fields[key] !== undefined)
      return invalidRequest(`Unknown parameter: '${key}'.`, key, 'unknown_parameter');
  }
  if (fields.output_format !== undefined && fields.output_format !== 'png') {
    return invalidRequest(
      `The peer makes PNG pictures only, not '${String(fields.output_format)}'.`,
      'output_format',
      'peer_unsupported',
    );
  }
  const [width, height] = (size === 'auto' ? '1024x1024' : size).split('x').map(Number) as [
    number,
    number,
  ];
  return { model, prompt, n, width, height, size, responseFormat, rules };
}

/**
 * Draws the peer's picture for a prompt: a PNG of the requested size whose colours come from
 * the prompt and the picture's index, so the same request gives the same bytes. It is a
 * stand-in for the model's picture, not a drawing of the prompt.
 */
export function peerPicture(
  prompt: string,
  index: number,
  width: number,
  height: number,
): Uint8Array {
  const digest = createHash('sha256').update(`${index}\u0000${prompt}`).digest();
  const pixels = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const offset = (row * width + column) * 3;
      pixels[offset] = (digest[0]! + (column * 255) / width) & 0xff;
      pixels[offset + 1] = (digest[1]! + (row * 255) / height) & 0xff;
      pixels[offset + 2] = digest[2]! ^ (((column >> 5) + (row >> 5)) & 1 ? 0x40 : 0);
    }
  }
  return encodePng({ width, height, pixels });
}

/**
 * The body of a successful answer: `created`, `data` (base64 or a URL the peer serves, with
 * `revised_prompt` for DALL·E 3, which rewrites prompts; the peer gives it back unchanged), and
 * for GPT image models the output fields and `usage`.
 */
export function imagesAnswer(
  request: CheckedImageRequest,
  store: (png: Uint8Array) => string,
): Record<string, unknown> {
  const data = Array.from({ length: request.n }, (_, index) => {
    const png = peerPicture(request.prompt, index, request.width, request.height);
    return {
      ...(request.responseFormat === 'b64_json'
        ? { b64_json: Buffer.from(png).toString('base64') }
        : { url: store(png) }),
      ...(request.model === 'dall-e-3' ? { revised_prompt: request.prompt } : {}),
    };
  });
  const created = Math.floor(Date.now() / 1000);
  if (request.rules.dallE) return { created, data };
  const inputTokens = Math.max(1, Math.ceil(request.prompt.length / 4));
  const outputTokens = 1056 * request.n;
  return {
    created,
    background: 'opaque',
    data,
    output_format: 'png',
    quality: 'high',
    size: `${request.width}x${request.height}`,
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { image_tokens: 0, text_tokens: inputTokens },
      output_tokens: outputTokens,
      total_tokens: inputTokens + outputTokens,
    },
  };
}
