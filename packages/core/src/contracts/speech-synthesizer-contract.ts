import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpeechSynthesizer } from '../ports/speech-synthesizer';
import { rejectsWithCode } from './rejects-with-code';

/** What a test run of the speech contract needs: the driver, and how to release it. */
export interface SpeechSynthesizerTarget {
  speech: SpeechSynthesizer;
  /** Releases what the run used (peers, servers). */
  close?(): Promise<void>;
  /** How many requests the provider (or its peer) has received so far, when the target can tell. */
  requestCount?(): number;
}

/** The Ogg pages of a file: each page's granule position and its packets' first bytes. */
function oggPackets(data: Uint8Array): { heads: string[]; lastGranule: bigint } {
  const heads: string[] = [];
  let lastGranule = 0n;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let at = 0; at + 27 <= data.byteLength; ) {
    if (String.fromCharCode(...data.subarray(at, at + 4)) !== 'OggS') break;
    const granule = view.getBigUint64(at + 6, true);
    if (granule !== 0xffffffffffffffffn) lastGranule = granule;
    const segments = data[at + 26]!;
    let body = at + 27 + segments;
    let packetStart = body;
    for (let index = 0; index < segments; index++) {
      const lacing = data[at + 27 + index]!;
      body += lacing;
      if (lacing < 255) {
        heads.push(String.fromCharCode(...data.subarray(packetStart, packetStart + 8)));
        packetStart = body;
      }
    }
    at = body;
  }
  return { heads, lastGranule };
}

/**
 * The contract every text-to-speech driver passes (the embedded espeak one, OpenAI's, ...): a
 * text comes back as OGG/Opus (an `OpusHead` and `OpusTags` header, then audio) whose length
 * by its last granule position agrees with `durationSeconds`, and a longer text plays longer;
 * a Russian text is read too; a text over `maxTextLength` is refused with
 * `BOTWIRE_SPEECH_TEXT_TOO_LONG` and an empty one with `BOTWIRE_INVALID_ARGUMENT`, both before
 * any request; an aborted signal is honoured.
 *
 * @example
 * runSpeechSynthesizerContract('espeak', async () => ({ speech: espeakSpeechSynthesizer() }));
 */
export function runSpeechSynthesizerContract(
  name: string,
  create: () => Promise<SpeechSynthesizerTarget>,
): void {
  describe(`speech synthesizer contract: ${name}`, { timeout: 60_000 }, () => {
    let target: SpeechSynthesizerTarget;
    let speech: SpeechSynthesizer;
    beforeEach(async () => {
      target = await create();
      speech = target.speech;
    });
    afterEach(async () => {
      await target?.close?.();
    });

    it('has a name and a text limit', () => {
      expect(speech.name.length).toBeGreaterThan(0);
      expect(Number.isInteger(speech.maxTextLength)).toBe(true);
      expect(speech.maxTextLength).toBeGreaterThanOrEqual(200);
    });

    it('reads a text aloud as OGG/Opus of the length it says, longer for a longer text', async () => {
      const short = await speech.synthesize({ text: 'Hello there.', language: 'en' });
      expect(short.mimeType).toBe('audio/ogg');
      const packets = oggPackets(short.data);
      expect(packets.heads[0]?.startsWith('OpusHead')).toBe(true);
      expect(packets.heads[1]?.startsWith('OpusTags')).toBe(true);
      expect(packets.heads.length).toBeGreaterThan(3);
      // Opus granule positions count 48 kHz samples.
      const played = Number(packets.lastGranule) / 48_000;
      expect(short.durationSeconds).toBeGreaterThan(0.2);
      expect(Math.abs(played - short.durationSeconds)).toBeLessThan(0.5);
      const long = await speech.synthesize({
        text: 'Hello there. This sentence is a good deal longer than the first one, so it plays longer.',
        language: 'en',
      });
      expect(long.durationSeconds).toBeGreaterThan(short.durationSeconds * 2);
    });

    it('reads Russian', async () => {
      const spoken = await speech.synthesize({ text: 'Привет! Как дела?', language: 'ru' });
      expect(oggPackets(spoken.data).heads[0]?.startsWith('OpusHead')).toBe(true);
      expect(spoken.durationSeconds).toBeGreaterThan(0.3);
    });

    it('refuses a text over the limit and an empty one before any request', async () => {
      const before = target.requestCount?.();
      await rejectsWithCode(
        speech.synthesize({ text: 'a'.repeat(speech.maxTextLength + 1) }),
        'BOTWIRE_SPEECH_TEXT_TOO_LONG',
      );
      await rejectsWithCode(speech.synthesize({ text: '   ' }), 'BOTWIRE_INVALID_ARGUMENT');
      if (before !== undefined) expect(target.requestCount?.()).toBe(before);
    });

    it('honours an aborted signal', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      await expect(
        speech.synthesize({ text: 'Never read.', signal: controller.signal }),
      ).rejects.toBeDefined();
    });
  });
}
