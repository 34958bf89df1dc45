import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBotwireError } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { planChunks, splitAudio, withPrivateDirectory } from './audio-chunks';
import { probeAudio } from './audio-probe';
import { runMediaTool } from './run-media-tool';
import { dominantHertz, makeTones } from './testing/make-audio';

const whisperMax = 25 * 1024 * 1024;

describe('planChunks', () => {
  it('cuts into the fewest equal chunks under the length and the size', () => {
    expect(planChunks(42, 600, whisperMax)).toEqual({ count: 1, chunkSeconds: 42 });
    expect(planChunks(600, 600, whisperMax)).toEqual({ count: 1, chunkSeconds: 600 });
    expect(planChunks(601, 600, whisperMax)).toEqual({ count: 2, chunkSeconds: 300.5 });
    expect(planChunks(1800, 600, whisperMax)).toEqual({ count: 3, chunkSeconds: 600 });
    // 1 MB at 3 000 bytes a second: at most 314 s a chunk, so 600 s needs two.
    expect(planChunks(600, 600, 1024 * 1024)).toEqual({ count: 2, chunkSeconds: 300 });
  });
});

describe('probeAudio and splitAudio', () => {
  it('reads the length of audio and refuses a PDF named .ogg or a picture', async () => {
    await withPrivateDirectory(async (directory) => {
      const voice = join(directory, 'voice');
      await writeFile(voice, makeTones({ hertz: [440], secondsEach: 3, format: 'ogg' }));
      const probe = await probeAudio(voice, new Uint8Array());
      expect(probe).toMatchObject({ ok: true, format: 'ogg', codec: 'opus' });
      expect(probe.ok && probe.durationSeconds).toBeCloseTo(3, 1);

      const pdfBytes = new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
      const pdf = join(directory, 'fake.ogg');
      await writeFile(pdf, pdfBytes);
      expect(await probeAudio(pdf, pdfBytes)).toEqual({
        ok: false,
        reason: 'unreadable',
        looksLike: 'pdf',
      });

      const picture = join(directory, 'picture.png');
      await runMediaTool(
        'ffmpeg',
        ['-v', 'error', '-f', 'lavfi', '-i', 'color=red:s=8x8', '-frames:v', '1', picture],
        { timeoutMs: 20_000 },
      );
      expect(await probeAudio(picture, new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toEqual({
        ok: false,
        reason: 'no-audio',
        looksLike: 'png',
      });
    });
  });

  it('splits into ordered Ogg Opus chunks in a private folder removed afterwards', async () => {
    let seen = '';
    await withPrivateDirectory(async (directory) => {
      seen = directory;
      expect(statSync(directory).mode & 0o777).toBe(0o700);
      const input = join(directory, 'input');
      await writeFile(input, makeTones({ hertz: [300, 600, 900], secondsEach: 20, format: 'wav' }));
      const probe = await probeAudio(input, new Uint8Array());
      if (!probe.ok) throw new Error('not audio');
      const chunks = await splitAudio(input, {
        durationSeconds: probe.durationSeconds,
        maxChunkSeconds: 20,
        maxBytes: whisperMax,
        directory,
      });
      expect(chunks.map((chunk) => chunk.fileName)).toEqual([
        'chunk-0001.ogg',
        'chunk-0002.ogg',
        'chunk-0003.ogg',
      ]);
      const tones = [];
      for (const chunk of chunks) {
        const bytes = await chunk.read();
        expect(chunk.mimeType).toBe('audio/ogg');
        // Constant 24 kbit/s: about 3 000 bytes a second, plus the Ogg pages.
        expect(bytes.byteLength).toBeGreaterThan(20 * 2800);
        expect(bytes.byteLength).toBeLessThan(20 * 3400);
        tones.push(Math.round(dominantHertz(bytes) / 100) * 100);
      }
      expect(tones).toEqual([300, 600, 900]);
    });
    expect(existsSync(seen)).toBe(false);
  });

  it('says to install ffmpeg when it is missing, and stops a run at its timeout', async () => {
    const missing = await runMediaTool('ffmpeg', ['-version'], {
      timeoutMs: 5_000,
      binary: '/nonexistent/ffmpeg',
    }).catch((error: unknown) => error);
    expect(isBotwireError(missing, 'BOTWIRE_TRANSCRIPTION_FAILED')).toBe(true);
    expect((missing as Error & { hint: string }).hint).toContain('apt-get install ffmpeg');

    const started = Date.now();
    const slow = await runMediaTool(
      'ffmpeg',
      ['-v', 'error', '-re', '-f', 'lavfi', '-i', 'anullsrc', '-t', '30', '-f', 'null', '-'],
      { timeoutMs: 300 },
    ).catch((error: unknown) => error);
    expect(isBotwireError(slow, 'BOTWIRE_TRANSCRIPTION_FAILED')).toBe(true);
    expect((slow as Error).message).toContain('did not finish within');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
