import { deflateSync } from 'node:zlib';
import { BotwireError } from '../errors/botwire-error';
import { crc32 } from './crc32';

/** An 8-bit RGB picture, row by row, three bytes a pixel. */
export interface RgbBitmap {
  width: number;
  height: number;
  /** `width * height * 3` bytes: red, green, blue of each pixel, left to right, top to bottom. */
  pixels: Uint8Array;
}

const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const ascii = new TextEncoder();

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(ascii.encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes an RGB bitmap as a PNG file (8-bit truecolour, no interlace), with `node:zlib` and
 * nothing else. The same bitmap always gives the same bytes.
 *
 * @example
 * const png = encodePng({ width: 1, height: 1, pixels: Uint8Array.of(255, 0, 0) });
 */
export function encodePng(bitmap: RgbBitmap): Uint8Array {
  const { width, height, pixels } = bitmap;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `A PNG needs a whole positive width and height, not ${width} × ${height}.`,
    });
  }
  const stride = width * 3;
  if (pixels.length !== stride * height) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `A ${width} × ${height} RGB bitmap has ${stride * height} bytes, not ${pixels.length}.`,
    });
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, truecolour, deflate, adaptive filters, no interlace
  const raw = new Uint8Array((stride + 1) * height);
  for (let row = 0; row < height; row++) {
    // filter type 0 (none) before each row
    raw.set(pixels.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
  }
  const parts = [
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The width and height a PNG file's header states, or undefined when `bytes` is not a PNG.
 *
 * @example
 * readPngSize(png); // { width: 1024, height: 1024 }
 */
export function readPngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || !signature.every((byte, index) => bytes[index] === byte)) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
