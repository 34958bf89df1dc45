import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runImageGeneratorContract } from '../contracts/image-generator-contract';
import { rejectsWithCode } from '../contracts/rejects-with-code';
import { toFontText } from './bitmap-font';
import { previewImageGenerator } from './preview-image-generator';

runImageGeneratorContract(
  'preview',
  async () => ({ generator: previewImageGenerator({ trainingMs: 300 }) }),
  { trains: true },
);

describe('previewImageGenerator training', () => {
  const zip = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);

  it('goes queued → running → completed on its clock, and a new instance (a restart) reads the same job', async () => {
    let now = 1_800_000_000_000;
    const first = previewImageGenerator({ trainingMs: 10_000, now: () => now });
    const { jobId } = await first.train!({ archive: zip, kind: 'portrait', triggerWord: 'TOK' });
    expect(await first.trainingStatus!(jobId)).toEqual({ state: 'queued' });
    now += 5_000;
    const restarted = previewImageGenerator({ trainingMs: 1, now: () => now });
    expect((await restarted.trainingStatus!(jobId)).state).toBe('running');
    now += 5_000;
    const done = await restarted.trainingStatus!(jobId);
    expect(done.state).toBe('completed');
    const again = await first.train!({ archive: zip, kind: 'portrait', triggerWord: 'TOK' });
    const other = await first.train!({ archive: zip, kind: 'style', triggerWord: 'TOK' });
    now += 10_000;
    expect(await first.trainingStatus!(again.jobId)).toEqual(done);
    expect(await first.trainingStatus!(other.jobId)).not.toEqual(done);
  });

  it('refuses an archive that is not a zip, and a job id that is not its own', async () => {
    const generator = previewImageGenerator();
    await rejectsWithCode(
      generator.train!({ archive: new Uint8Array(40), kind: 'portrait', triggerWord: 'TOK' }),
      'BOTWIRE_INVALID_ARGUMENT',
    );
    await rejectsWithCode(generator.trainingStatus!('fal-123'), 'BOTWIRE_INVALID_ARGUMENT');
  });
});

/** The RGB pixels of a PNG made by encodePng (one IDAT, filter 0 rows). */
function pixelsOf(png: Uint8Array, width: number): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const idatLength = view.getUint32(33);
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  const stride = width * 3 + 1;
  const out = new Uint8Array((raw.length / stride) * width * 3);
  for (let row = 0; row * stride < raw.length; row++) {
    out.set(raw.subarray(row * stride + 1, (row + 1) * stride), row * width * 3);
  }
  return out;
}

describe('previewImageGenerator', () => {
  const generator = previewImageGenerator();
  const small = { width: 256, height: 256 };

  it('gives the same bytes for the same prompt and seed, and other bytes otherwise', async () => {
    const [a] = await generator.generate({ prompt: 'a fox', seed: 7, size: small });
    const [b] = await generator.generate({ prompt: 'a fox', seed: 7, size: small });
    const [c] = await generator.generate({ prompt: 'a hare', seed: 7, size: small });
    const [d] = await generator.generate({ prompt: 'a fox', seed: 8, size: small });
    const [e] = await generator.generate({ prompt: 'a fox', seed: 7, size: small, model: 'm-1' });
    expect(Buffer.from(a!.data).equals(Buffer.from(b!.data))).toBe(true);
    for (const other of [c, d, e]) {
      expect(Buffer.from(a!.data).equals(Buffer.from(other!.data))).toBe(false);
    }
  });

  it('marks every picture a preview, and draws each of count differently', async () => {
    const images = await generator.generate({ prompt: 'three cats', count: 3, size: small });
    expect(images.every((image) => image.preview === true)).toBe(true);
    const unique = new Set(images.map((image) => Buffer.from(image.data).toString('base64')));
    expect(unique.size).toBe(3);
  });

  it('stamps a dark band with white PREVIEW letters across the middle', async () => {
    const [image] = await generator.generate({ prompt: 'x', size: small });
    const pixels = pixelsOf(image!.data, 256);
    const colors = new Set<string>();
    for (let column = 0; column < 256; column++) {
      const offset = (128 * 256 + column) * 3;
      colors.add(pixels.subarray(offset, offset + 3).join(','));
    }
    // The middle row crosses only the band and the letters on it.
    expect(colors).toEqual(new Set(['24,24,28', '255,255,255']));
  });

  it('honours the size, held to 64–2048 px, and 1024 × 1024 without one', async () => {
    const [wide] = await generator.generate({ prompt: 'p', size: { width: 300.4, height: 100 } });
    expect([wide!.width, wide!.height]).toEqual([300, 100]);
    const [tiny] = await generator.generate({ prompt: 'p', size: { width: 1, height: 5000 } });
    expect([tiny!.width, tiny!.height]).toEqual([64, 2048]);
    const [plain] = await generator.generate({ prompt: 'p' });
    expect([plain!.width, plain!.height]).toEqual([1024, 1024]);
  });

  it('refuses an empty prompt and a count outside 1–4', async () => {
    await rejectsWithCode(generator.generate({ prompt: '  ' }), 'BOTWIRE_INVALID_ARGUMENT');
    await rejectsWithCode(
      generator.generate({ prompt: 'p', count: 5 }),
      'BOTWIRE_INVALID_ARGUMENT',
    );
    await rejectsWithCode(
      generator.generate({ prompt: 'p', count: 0 }),
      'BOTWIRE_INVALID_ARGUMENT',
    );
  });
});

describe('toFontText', () => {
  it('keeps Latin letters in capitals, drops accents and letters the font lacks', () => {
    expect(toFontText('Café — Москва 2027!')).toBe('CAFE 2027!');
    expect(toFontText('  a\tb\nc  ')).toBe('A B C');
  });
});
