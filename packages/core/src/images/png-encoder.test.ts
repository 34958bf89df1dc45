import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { encodePng, readPngSize } from './png-encoder';
import { storedZip } from './stored-zip';

describe('crc32', () => {
  it('matches the standard check value, in one part or several', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    expect(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4)))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('encodePng', () => {
  const pixels = Uint8Array.from({ length: 3 * 2 * 3 }, (_, index) => index * 10);
  const png = encodePng({ width: 3, height: 2, pixels });

  it('writes a PNG whose chunks carry valid CRCs and whose pixels inflate back', () => {
    expect(readPngSize(png)).toEqual({ width: 3, height: 2 });
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    const chunks: { type: string; data: Uint8Array }[] = [];
    for (let offset = 8; offset < png.length; ) {
      const length = view.getUint32(offset);
      const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
      const data = png.subarray(offset + 8, offset + 8 + length);
      expect(view.getUint32(offset + 8 + length), type).toBe(
        crc32(png.subarray(offset + 4, offset + 8 + length)),
      );
      chunks.push({ type, data });
      offset += 12 + length;
    }
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([...chunks[0]!.data.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    const raw = inflateSync(chunks[1]!.data);
    expect([...raw]).toEqual([0, ...pixels.subarray(0, 9), 0, ...pixels.subarray(9)]);
  });

  it('refuses a bitmap whose bytes do not fit its size', () => {
    expect(() => encodePng({ width: 2, height: 2, pixels: new Uint8Array(3) })).toThrow(/12 bytes/);
    expect(() => encodePng({ width: 0, height: 2, pixels: new Uint8Array(0) })).toThrow();
  });

  it('reads no size from bytes that are not a PNG', () => {
    expect(readPngSize(Uint8Array.of(0xff, 0xd8, 0xff))).toBeUndefined();
  });
});

describe('storedZip', () => {
  it('writes local headers, a central directory and its end record', () => {
    const data = new TextEncoder().encode('hello');
    const zip = storedZip([{ name: 'a.txt', data }]);
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint32(14, true)).toBe(crc32(data));
    expect(new TextDecoder().decode(zip.subarray(30, 35))).toBe('a.txt');
    expect(new TextDecoder().decode(zip.subarray(35, 40))).toBe('hello');
    const end = zip.length - 22;
    expect(view.getUint32(end, true)).toBe(0x06054b50);
    expect(view.getUint16(end + 10, true)).toBe(1);
    const centralOffset = view.getUint32(end + 16, true);
    expect(view.getUint32(centralOffset, true)).toBe(0x02014b50);
  });
});
