import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runImageGeneratorContract } from '../contracts/image-generator-contract';
import { rejectsWithCode } from '../contracts/rejects-with-code';
import { toFontText } from './bitmap-font';
import { previewImageGenerator } from './preview-image-generator';

runImageGeneratorContract('preview', async () => ({ generator: previewImageGenerator() }));

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

  it('cannot train', () => {
    expect(generator.train).toBeUndefined();
    expect(generator.trainingStatus).toBeUndefined();
  });
});

describe('toFontText', () => {
  it('keeps Latin letters in capitals, drops accents and letters the font lacks', () => {
    expect(toFontText('Café — Москва 2027!')).toBe('CAFE 2027!');
    expect(toFontText('  a\tb\nc  ')).toBe('A B C');
  });
});
