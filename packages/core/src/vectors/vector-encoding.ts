import { endianness } from 'node:os';

const bigEndian = endianness() === 'BE';

/** Reverses the bytes of every 4-byte item, turning big-endian floats into little-endian ones. */
function swapFloatBytes(bytes: Uint8Array): void {
  for (let at = 0; at + 3 < bytes.length; at += 4) {
    const [a, b] = [bytes[at]!, bytes[at + 1]!];
    bytes[at] = bytes[at + 3]!;
    bytes[at + 1] = bytes[at + 2]!;
    bytes[at + 2] = b;
    bytes[at + 3] = a;
  }
}

/**
 * A vector as base64 of its Float32 little-endian bytes: 4 bytes an item, about 5.4 characters
 * once in base64 (2,048 characters for 384 dimensions).
 *
 * @example
 * encodeVector(new Float32Array([1, 0])); // 'AACAPwAAAAA='
 */
export function encodeVector(vector: Float32Array): string {
  const bytes = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  if (!bigEndian) return bytes.toString('base64');
  const copy = Buffer.from(bytes);
  swapFloatBytes(copy);
  return copy.toString('base64');
}

/**
 * Writes the vector `encoded` by {@link encodeVector} into `target` at item `offset`, without
 * an intermediate copy. Returns false (leaving the items in an unspecified state) when it does
 * not hold exactly `dimensions` items.
 */
export function decodeVectorInto(
  encoded: unknown,
  target: Float32Array,
  offset: number,
  dimensions: number,
): boolean {
  if (typeof encoded !== 'string') return false;
  const byteLength = dimensions * 4;
  if (
    Math.floor((encoded.length * 3) / 4) -
      (encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0) !==
    byteLength
  )
    return false;
  const bytes = Buffer.from(target.buffer, target.byteOffset + offset * 4, byteLength);
  if (bytes.write(encoded, 'base64') !== byteLength) return false;
  if (bigEndian) swapFloatBytes(bytes);
  return true;
}
