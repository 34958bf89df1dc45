import { BotwireError, type Transcriber, type TranscriptionRequest } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { type AudioPiece, type TranscriptionProgress, transcribeInOrder } from './transcribe-long';

/** Pieces whose bytes are their index; the fake transcriber answers `part <index>`. */
function pieces(count: number): AudioPiece[] {
  return Array.from({ length: count }, (_, index) => ({
    fileName: `chunk-${index + 1}.ogg`,
    mimeType: 'audio/ogg',
    read: async () => new Uint8Array([index]),
  }));
}

/** A transcriber that answers `part <n>` after `delays[n]` ms and records every request. */
function fakeTranscriber(delays: number[] = [], failAt?: number) {
  const requests: TranscriptionRequest[] = [];
  const transcriber: Transcriber = {
    name: 'fake',
    maxBytes: 1000,
    async transcribe(request) {
      requests.push(request);
      const index = request.audio[0]!;
      await new Promise((resolve) => setTimeout(resolve, delays[index] ?? 0));
      if (index === failAt) {
        throw new BotwireError('BOTWIRE_TRANSCRIPTION_FAILED', { message: 'refused' });
      }
      return { text: ` part ${index} `, language: 'en' };
    },
  };
  return { transcriber, requests };
}

describe('transcribeInOrder', () => {
  it('goes one by one, giving each piece the end of the text before it as its prompt', async () => {
    const { transcriber, requests } = fakeTranscriber();
    const progress: TranscriptionProgress[] = [];
    const result = await transcribeInOrder(transcriber, pieces(3), {
      language: 'en',
      prompt: 'Anna and Boris.',
      onProgress: (step) => progress.push(step),
    });
    expect(result).toEqual({
      text: 'part 0 part 1 part 2',
      parts: ['part 0', 'part 1', 'part 2'],
      language: 'en',
    });
    expect(requests.map((request) => request.prompt)).toEqual([
      'Anna and Boris.',
      'part 0',
      'part 1',
    ]);
    expect(requests.map((request) => request.fileName)).toEqual([
      'chunk-1.ogg',
      'chunk-2.ogg',
      'chunk-3.ogg',
    ]);
    expect(progress.map((step) => step.done)).toEqual([1, 2, 3]);
  });

  it('puts answers back in order when several pieces run at once and finish out of order', async () => {
    const { transcriber } = fakeTranscriber([60, 5, 30, 1]);
    const finished: number[] = [];
    const result = await transcribeInOrder(transcriber, pieces(4), {
      concurrency: 3,
      onProgress: (step) => finished.push(step.index),
    });
    expect(finished).not.toEqual([0, 1, 2, 3]);
    expect(result.text).toBe('part 0 part 1 part 2 part 3');
  });

  it('stops at the first failure without sending the pieces after it', async () => {
    const { transcriber, requests } = fakeTranscriber([], 1);
    const error = await transcribeInOrder(transcriber, pieces(4)).catch(
      (caught: unknown) => caught,
    );
    expect((error as BotwireError).code).toBe('BOTWIRE_TRANSCRIPTION_FAILED');
    expect(requests).toHaveLength(2);
  });

  it('stops when aborted', async () => {
    const { transcriber, requests } = fakeTranscriber([20, 20, 20]);
    const controller = new AbortController();
    const running = transcribeInOrder(transcriber, pieces(3), {
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('gave up')),
    });
    await expect(running).rejects.toThrow('gave up');
    expect(requests).toHaveLength(1);
  });
});
