import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Transcriber } from '../ports/transcriber';
import { rejectsWithCode } from './rejects-with-code';

/** What a test run of the transcription contract needs: the driver, and how to release it. */
export interface TranscriberTarget {
  transcriber: Transcriber;
  /** Releases what the run used (peers, servers). */
  close?(): Promise<void>;
  /**
   * How many requests the provider (or its peer) has received so far, when the target can tell:
   * lets the suite check that refused audio never reaches the provider.
   */
  requestCount?(): number;
}

/** Options of {@link runTranscriberContract}. */
export interface TranscriberContractOptions {
  /** A piece of audio the provider (or its peer) transcribes, and what its text must match. */
  sample: { audio: Uint8Array; mimeType: string; fileName: string; expectedText: RegExp };
}

/**
 * The contract every speech-to-text driver passes (OpenAI and OpenAI-compatible, ...): the sample
 * comes back as text matching `expectedText` (with a language hint too), audio over `maxBytes`
 * is refused with `BOTWIRE_TRANSCRIPTION_TOO_LARGE` and empty audio with
 * `BOTWIRE_INVALID_ARGUMENT`, both before any request, and an aborted signal is honoured.
 *
 * @example
 * runTranscriberContract('openai', async () => ({ transcriber: openaiTranscriber({ baseURL }) }), {
 *   sample: { audio, mimeType: 'audio/ogg', fileName: 'voice.ogg', expectedText: /hello/i },
 * });
 */
export function runTranscriberContract(
  name: string,
  create: () => Promise<TranscriberTarget>,
  options: TranscriberContractOptions,
): void {
  const { sample } = options;
  describe(`transcriber contract: ${name}`, { timeout: 30_000 }, () => {
    let target: TranscriberTarget;
    let transcriber: Transcriber;
    beforeEach(async () => {
      target = await create();
      transcriber = target.transcriber;
    });
    afterEach(async () => {
      await target?.close?.();
    });

    it('has a name and a positive size limit', () => {
      expect(typeof transcriber.name).toBe('string');
      expect(transcriber.name.length).toBeGreaterThan(0);
      expect(Number.isInteger(transcriber.maxBytes)).toBe(true);
      expect(transcriber.maxBytes).toBeGreaterThan(sample.audio.byteLength);
    });

    it('transcribes the sample to its text', async () => {
      const result = await transcriber.transcribe({
        audio: sample.audio,
        mimeType: sample.mimeType,
        fileName: sample.fileName,
      });
      expect(typeof result.text).toBe('string');
      expect(result.text).toMatch(sample.expectedText);
      if (result.language !== undefined) expect(typeof result.language).toBe('string');
      if (result.durationSeconds !== undefined) {
        expect(Number.isFinite(result.durationSeconds)).toBe(true);
        expect(result.durationSeconds).toBeGreaterThanOrEqual(0);
      }
    });

    it('takes a language hint and the text that came before', async () => {
      const result = await transcriber.transcribe({
        audio: sample.audio,
        mimeType: sample.mimeType,
        fileName: sample.fileName,
        language: 'en',
        prompt: 'The previous part of the recording.',
      });
      expect(result.text).toMatch(sample.expectedText);
    });

    it('refuses audio over maxBytes with BOTWIRE_TRANSCRIPTION_TOO_LARGE, before any request', async () => {
      const before = target.requestCount?.();
      await rejectsWithCode(
        transcriber.transcribe({
          audio: new Uint8Array(transcriber.maxBytes + 1),
          mimeType: sample.mimeType,
          fileName: sample.fileName,
        }),
        'BOTWIRE_TRANSCRIPTION_TOO_LARGE',
      );
      if (before !== undefined) expect(target.requestCount?.()).toBe(before);
    });

    it('refuses empty audio with BOTWIRE_INVALID_ARGUMENT, before any request', async () => {
      const before = target.requestCount?.();
      await rejectsWithCode(
        transcriber.transcribe({
          audio: new Uint8Array(0),
          mimeType: sample.mimeType,
          fileName: sample.fileName,
        }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      if (before !== undefined) expect(target.requestCount?.()).toBe(before);
    });

    it('rejects when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(
        transcriber.transcribe({
          audio: sample.audio,
          mimeType: sample.mimeType,
          fileName: sample.fileName,
          signal: controller.signal,
        }),
      ).rejects.toBeDefined();
    });
  });
}
