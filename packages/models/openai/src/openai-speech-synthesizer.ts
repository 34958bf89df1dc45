import {
  BotwireError,
  oggOpusDurationSeconds,
  type SpeechSynthesizer,
  speechText,
} from '@botwire/core';
import { checkConnectionOptions, clientFactory, endpointOf } from './openai-client';
import {
  type MediaErrorContext,
  mediaConnection,
  type OpenAiMediaOptions,
  toMediaError,
} from './openai-media';

/** Options of {@link openaiSpeechSynthesizer}. */
export interface OpenAiSpeechSynthesizerOptions extends OpenAiMediaOptions {
  /** `gpt-4o-mini-tts` (default), `tts-1`, `tts-1-hd`, or a compatible endpoint's model. */
  model?: 'gpt-4o-mini-tts' | 'tts-1' | 'tts-1-hd' | (string & {});
  /** The voice when a request names none: `alloy`, `coral`, `nova`, ... Default `alloy`. */
  voice?: string;
  /** How to speak (`gpt-4o-mini-tts` only): "warm and calm, like a friend". */
  instructions?: string;
}

/** The API's longest input, in characters. */
const apiMaxText = 4096;

/**
 * The text-to-speech driver for OpenAI's speech API (`POST /v1/audio/speech`) and compatible
 * endpoints, through the `openai` client. It asks for `opus` (Ogg Opus, a Telegram voice
 * message as it is) and reads the length from the Ogg pages. A text over 4096 characters or an
 * empty one is refused before any request; provider errors become `BOTWIRE_SPEECH_FAILED`.
 *
 * @example
 * const speech = openaiSpeechSynthesizer({ env: process.env, voice: 'coral' });
 * const { data, durationSeconds } = await speech.synthesize({ text: 'Good night!' });
 */
export function openaiSpeechSynthesizer(
  options: OpenAiSpeechSynthesizerOptions = {},
): SpeechSynthesizer {
  const connection = mediaConnection(options);
  const model = options.model ?? 'gpt-4o-mini-tts';
  checkConnectionOptions(connection, model);
  const client = clientFactory(connection);
  const context: MediaErrorContext = {
    code: 'BOTWIRE_SPEECH_FAILED',
    service: 'OpenAI speech',
    model,
    endpoint: endpointOf(connection),
  };
  return {
    name: 'openai',
    maxTextLength: apiMaxText,
    async synthesize(request) {
      const text = speechText(request, apiMaxText, 'OpenAI speech');
      const instructions = options.instructions;
      try {
        const connected = await client();
        const response = await connected.audio.speech.create(
          {
            model,
            input: text,
            voice: (request.voice ?? options.voice ?? 'alloy') as 'alloy',
            response_format: 'opus',
            ...(request.speed !== undefined
              ? { speed: Math.min(4, Math.max(0.25, request.speed)) }
              : {}),
            ...(instructions && model.startsWith('gpt-4o') ? { instructions } : {}),
          },
          request.signal ? { signal: request.signal } : {},
        );
        const data = new Uint8Array(await response.arrayBuffer());
        const durationSeconds = oggOpusDurationSeconds(data);
        if (durationSeconds === undefined)
          throw new BotwireError('BOTWIRE_SPEECH_FAILED', {
            message: `OpenAI speech ("${model}") answered with ${data.byteLength} bytes that are not Ogg Opus.`,
          });
        return { data, mimeType: 'audio/ogg', durationSeconds };
      } catch (error) {
        if (error instanceof BotwireError) throw error;
        throw await toMediaError(error, context, request.signal, connection.apiKey);
      }
    },
  };
}
