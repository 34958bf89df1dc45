import { BotwireError, type Transcriber, type Transcription } from '@botwire/core';
import { checkConnectionOptions, clientFactory, endpointOf, loadOpenAi } from './openai-client';
import {
  type MediaErrorContext,
  mediaConnection,
  type OpenAiMediaOptions,
  toMediaError,
} from './openai-media';
import { languageCode } from './whisper-languages';

/** Options of {@link openaiTranscriber}. */
export interface OpenAiTranscriberOptions extends OpenAiMediaOptions {
  /** `whisper-1` (default), `gpt-4o-transcribe`, `gpt-4o-mini-transcribe`, or a compatible endpoint's model. */
  model?: 'whisper-1' | 'gpt-4o-transcribe' | 'gpt-4o-mini-transcribe' | (string & {});
  /** The largest file sent, in bytes. Default 25 MB (26 214 400 bytes), the API's limit. */
  maxBytes?: number;
}

/** The API's upload limit for transcription: 25 MB. */
const apiMaxBytes = 25 * 1024 * 1024;

/**
 * The speech-to-text driver for OpenAI (`/v1/audio/transcriptions`, the `whisper-1` API shape)
 * and compatible endpoints (a self-hosted Whisper server), through the `openai` client. Audio
 * over `maxBytes` (25 MB) and empty audio are refused before any request. `whisper-1` is asked
 * for `verbose_json`, which adds the language (returned as an ISO 639-1 code) and the length;
 * the `gpt-4o-*-transcribe` models take only `json`, which has the text alone. Provider errors
 * become `BOTWIRE_TRANSCRIPTION_FAILED` with the provider's message.
 *
 * @example
 * const transcriber = openaiTranscriber({ env: process.env });
 * const { text } = await transcriber.transcribe({ audio, mimeType: 'audio/ogg', fileName: 'voice.ogg' });
 */
export function openaiTranscriber(options: OpenAiTranscriberOptions = {}): Transcriber {
  const connection = mediaConnection(options);
  const model = options.model ?? 'whisper-1';
  checkConnectionOptions(connection, model);
  const client = clientFactory(connection);
  const maxBytes = options.maxBytes ?? apiMaxBytes;
  const verbose = !model.startsWith('gpt-4o');
  const context: MediaErrorContext = {
    code: 'BOTWIRE_TRANSCRIPTION_FAILED',
    service: 'OpenAI transcription',
    model,
    endpoint: endpointOf(connection),
  };

  return {
    name: 'openai',
    maxBytes,
    async transcribe(request) {
      request.signal?.throwIfAborted();
      if (!(request.audio instanceof Uint8Array) || request.audio.byteLength === 0) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: 'There is no audio to transcribe: the file is empty.',
        });
      }
      if (request.audio.byteLength > maxBytes) {
        throw new BotwireError('BOTWIRE_TRANSCRIPTION_TOO_LARGE', {
          message: `The audio has ${request.audio.byteLength} bytes; OpenAI "${model}" takes at most ${maxBytes}.`,
          hint: 'Split the audio into chunks under the limit and transcribe them in order.',
        });
      }
      if (typeof request.fileName !== 'string' || !/\.[A-Za-z0-9]+$/.test(request.fileName)) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `The audio's file name "${String(request.fileName)}" has no extension; the provider reads the format from it (voice.ogg).`,
        });
      }
      const { toFile } = await loadOpenAi();
      const file = await toFile(request.audio, request.fileName, { type: request.mimeType });
      const body = {
        file,
        model,
        ...(request.language ? { language: request.language } : {}),
        ...(request.prompt ? { prompt: request.prompt } : {}),
      };
      const signal = request.signal ? { signal: request.signal } : {};
      try {
        const connected = await client();
        if (!verbose) {
          const answer = await connected.audio.transcriptions.create(
            { ...body, response_format: 'json' },
            signal,
          );
          return { text: answer.text.trim() };
        }
        const answer = await connected.audio.transcriptions.create(
          { ...body, response_format: 'verbose_json' },
          signal,
        );
        const result: Transcription = { text: answer.text.trim() };
        if (typeof answer.language === 'string' && answer.language) {
          result.language = languageCode(answer.language);
        }
        if (typeof answer.duration === 'number' && Number.isFinite(answer.duration)) {
          result.durationSeconds = answer.duration;
        }
        return result;
      } catch (error) {
        throw await toMediaError(error, context, request.signal, connection.apiKey);
      }
    },
  };
}
