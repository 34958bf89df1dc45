import { defaultChunkSeconds } from './audio-chunks';

/** The skill config `transcribe_audio` reads, with its defaults. */
export interface TranscriptionSettings {
  /** The largest file taken, in bytes (`maxAudioBytes`). Default 100 MB. */
  maxAudioBytes: number;
  /** The longest chunk sent in one request, in seconds (`chunkSeconds`). Default 600. */
  chunkSeconds: number;
  /** Credits per started minute of audio (`prices.transcriptionPerMinute`). Default 0: free. */
  pricePerMinute: number;
  /** Chunks transcribed at once (`transcriptionConcurrency`, 1 to 4). Default 1. */
  concurrency: number;
}

/** Reads {@link TranscriptionSettings} from the skill's config, with defaults for the rest. */
export function transcriptionSettings(config: Record<string, unknown>): TranscriptionSettings {
  const number = (value: unknown, fallback: number, min: number, max: number) =>
    typeof value === 'number' && Number.isFinite(value)
      ? Math.min(Math.max(value, min), max)
      : fallback;
  const prices = (config.prices ?? {}) as Record<string, unknown>;
  return {
    maxAudioBytes: number(config.maxAudioBytes, 100 * 1024 * 1024, 1, 2 ** 40),
    chunkSeconds: number(config.chunkSeconds, defaultChunkSeconds, 10, 3600),
    pricePerMinute: number(prices.transcriptionPerMinute, 0, 0, 1_000_000),
    concurrency: Math.round(number(config.transcriptionConcurrency, 1, 1, 4)),
  };
}
