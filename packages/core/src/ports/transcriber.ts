/**
 * The speech-to-text port: voice messages and audio files to text. Drivers: OpenAI and any
 * OpenAI-compatible endpoint (`whisper-1` API shape).
 */

/** One piece of audio to transcribe. */
export interface TranscriptionRequest {
  audio: Uint8Array;
  /** `audio/ogg`, `audio/mpeg`, `audio/wav`, ... */
  mimeType: string;
  /** The file's name, with the extension providers read the format from (`voice.ogg`). */
  fileName: string;
  /** The spoken language (ISO 639-1: `ru`, `en`), when known: it helps the provider. */
  language?: string;
  /** Text that came before (the end of the previous chunk), to keep names and style. */
  prompt?: string;
  signal?: AbortSignal;
}

/** What the provider heard. */
export interface Transcription {
  text: string;
  /** The language the provider detected, when it says. */
  language?: string;
  /** The audio's length in seconds, when the provider says. */
  durationSeconds?: number;
}

/**
 * A speech-to-text driver. Errors are BotwireErrors: `BOTWIRE_TRANSCRIPTION_TOO_LARGE` for audio
 * over {@link Transcriber.maxBytes} (checked before any request; split it first),
 * `BOTWIRE_TRANSCRIPTION_FAILED` when the provider refused or failed.
 */
export interface Transcriber {
  /** `openai`, ... */
  readonly name: string;
  /** The largest file the provider takes, in bytes (`whisper-1`: 25 MB). */
  readonly maxBytes: number;
  transcribe(request: TranscriptionRequest): Promise<Transcription>;
}
