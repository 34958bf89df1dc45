import { describe, expect, it } from 'vitest';
import { rejectsWithCode } from '../contracts/rejects-with-code';
import { runSpeechSynthesizerContract } from '../contracts/speech-synthesizer-contract';
import { espeakSpeechSynthesizer } from './espeak-speech-synthesizer';
import { wavDurationSeconds } from './wav-duration';

// espeak-ng and ffmpeg come from Debian: `.ci/run` installs them.
runSpeechSynthesizerContract('espeak', async () => ({ speech: espeakSpeechSynthesizer() }));

describe('espeakSpeechSynthesizer', () => {
  it('says which program is missing', async () => {
    const speech = espeakSpeechSynthesizer({ espeak: 'espeak-ng-not-installed' });
    await rejectsWithCode(speech.synthesize({ text: 'Hello' }), 'BOTWIRE_SPEECH_UNAVAILABLE');
    const noFfmpeg = espeakSpeechSynthesizer({ ffmpeg: 'ffmpeg-not-installed' });
    await expect(noFfmpeg.synthesize({ text: 'Hello' })).rejects.toThrow(
      /ffmpeg-not-installed is not installed/,
    );
  });

  it('refuses a voice name that is not one, and reads slower at speed 0.5', async () => {
    const speech = espeakSpeechSynthesizer();
    await rejectsWithCode(
      speech.synthesize({ text: 'Hi', voice: '--help; rm' }),
      'BOTWIRE_INVALID_ARGUMENT',
    );
    const normal = await speech.synthesize({ text: 'One two three four five.' });
    const slow = await speech.synthesize({ text: 'One two three four five.', speed: 0.5 });
    expect(slow.durationSeconds).toBeGreaterThan(normal.durationSeconds * 1.5);
  });

  it('reads the length of a WAV file, streamed or not', () => {
    const wav = new Uint8Array(44 + 32_000);
    const view = new DataView(wav.buffer);
    wav.set(new TextEncoder().encode('RIFF'), 0);
    wav.set(new TextEncoder().encode('WAVEfmt '), 8);
    view.setUint32(16, 16, true);
    view.setUint32(28, 16_000, true); // bytes a second: 8 kHz, 16-bit mono
    wav.set(new TextEncoder().encode('data'), 36);
    view.setUint32(40, 32_000, true);
    expect(wavDurationSeconds(wav)).toBe(2);
    view.setUint32(40, 0xffffffff, true);
    expect(wavDurationSeconds(wav)).toBe(2);
    expect(wavDurationSeconds(new Uint8Array(10))).toBeUndefined();
  });
});
