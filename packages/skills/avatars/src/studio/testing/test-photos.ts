import { encodePng } from '@botwire/core';

/**
 * A real PNG photo for tests: `width` × `height` pixels of a gradient picked by `seed`, so two
 * seeds give two different files (and the same seed the same bytes, a duplicate).
 */
export function testPhoto(seed: number, width = 512, height = 512): Uint8Array {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      pixels[at] = (seed * 37 + x) & 0xff;
      pixels[at + 1] = (seed * 91 + y) & 0xff;
      pixels[at + 2] = (seed * 53) & 0xff;
    }
  return encodePng({ width, height, pixels });
}

/** The first bytes of a PDF, as a file someone sends instead of a photo. */
export const testPdf = new TextEncoder().encode(
  '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
