/**
 * The text-to-speech port: a reply read aloud, as a voice message. Drivers: the embedded one
 * (espeak-ng and ffmpeg from the system, no account), OpenAI's speech API.
 */

/** One text to read aloud. */
export interface SpeechRequest {
  /** At most the driver's {@link SpeechSynthesizer.maxTextLength} characters. */
  text: string;
  /** The text's language (`ru`, `en`): drivers pick a voice that speaks it. */
  language?: string;
  /** A voice of the driver (`alloy`, `ru`, `en-us+f3`); default: one for the language. */
  voice?: string;
  /** 0.5 to 2; default 1. */
  speed?: number;
  signal?: AbortSignal;
}

/** Speech a driver made: always OGG/Opus, what Telegram sends as a voice message. */
export interface SynthesizedSpeech {
  data: Uint8Array;
  /** `audio/ogg` (Opus inside). */
  mimeType: 'audio/ogg';
  /** How long it plays, in seconds. */
  durationSeconds: number;
}

/**
 * A text-to-speech driver. Every driver passes `runSpeechSynthesizerContract` from
 * `@botwire/core/contract-suites`. Errors are BotwireErrors: `BOTWIRE_SPEECH_TEXT_TOO_LONG`
 * (checked before any work), `BOTWIRE_SPEECH_UNAVAILABLE` when a program or service it needs is
 * missing, `BOTWIRE_SPEECH_FAILED` when it failed.
 */
export interface SpeechSynthesizer {
  /** `espeak`, `openai`, ... */
  readonly name: string;
  /** The longest text it reads, in characters. */
  readonly maxTextLength: number;
  synthesize(request: SpeechRequest): Promise<SynthesizedSpeech>;
}
