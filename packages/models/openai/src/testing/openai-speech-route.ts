import { invalidRequest, type OpenAiErrorObject } from './openai-messages';

/** The API's longest input to read aloud, in characters. */
export const speechMaxInput = 4096;

const speechModels = ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', 'gpt-4o-mini-tts-2025-12-15'];
const voices = [
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'fable',
  'onyx',
  'nova',
  'sage',
  'shimmer',
  'verse',
  'marin',
  'cedar',
];
const formats = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'];

/** A valid speech request, as the peer understood it. */
export interface CheckedSpeechRequest {
  model: string;
  input: string;
  voice: string;
  responseFormat: string;
  speed: number;
  instructions?: string;
}

/**
 * Reads and checks a `POST /v1/audio/speech` JSON body as the API does: a speech model, an input
 * of 1 to 4096 characters, a known voice, a response format, a speed from 0.25 to 4, and
 * `instructions` only for `gpt-4o-mini-tts`. Returns the request, or the status and error.
 */
export function checkSpeechBody(
  body: unknown,
  extraModels: string[] | undefined,
): CheckedSpeechRequest | { status: number; error: OpenAiErrorObject } {
  const bad = (message: string, param: string | null = null) => ({
    status: 400,
    error: invalidRequest(message, param),
  });
  if (typeof body !== 'object' || body === null) return bad('The body must be a JSON object.');
  const request = body as Record<string, unknown>;
  const model = request.model;
  if (typeof model !== 'string') return bad("Missing required parameter: 'model'.", 'model');
  if (!speechModels.includes(model) && !extraModels?.includes(model))
    return {
      status: 404,
      error: invalidRequest(
        `The model \`${model}\` does not exist or you do not have access to it.`,
        null,
        'model_not_found',
      ),
    };
  const input = request.input;
  if (typeof input !== 'string' || input.length === 0)
    return bad("Missing required parameter: 'input'.", 'input');
  if (input.length > speechMaxInput)
    return bad(`String should have at most ${speechMaxInput} characters`, 'input');
  if (typeof request.voice !== 'string' || !voices.includes(request.voice))
    return bad(`Invalid value for 'voice': expected one of ${voices.join(', ')}.`, 'voice');
  const responseFormat = request.response_format ?? 'mp3';
  if (typeof responseFormat !== 'string' || !formats.includes(responseFormat))
    return bad(
      `Invalid value for 'response_format': expected one of ${formats.join(', ')}.`,
      'response_format',
    );
  const speed = request.speed ?? 1;
  if (typeof speed !== 'number' || speed < 0.25 || speed > 4)
    return bad("Invalid value for 'speed': expected a number from 0.25 to 4.", 'speed');
  if (request.instructions !== undefined && !model.startsWith('gpt-4o'))
    return bad(`Instructions are not supported with the model ${model}.`, 'instructions');
  return {
    model,
    input,
    voice: request.voice,
    responseFormat,
    speed,
    ...(typeof request.instructions === 'string' ? { instructions: request.instructions } : {}),
  };
}
