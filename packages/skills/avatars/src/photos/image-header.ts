/** The formats providers train on, and what else people send as a "photo". */
export type ImageFormat = 'jpeg' | 'png' | 'webp';

/** What the first bytes of a file say it is. */
export type FileSniff =
  | { kind: 'image'; format: ImageFormat }
  | { kind: 'other'; name: 'pdf' | 'zip' | 'gif' | 'heic' | 'bmp' | 'tiff' | 'unknown' };

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
  signature.every((byte, index) => bytes[at + index] === byte);
const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

/** Reads a file's type from its first bytes, never from its name or the sender's MIME type. */
export function sniffFile(bytes: Uint8Array): FileSniff {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { kind: 'image', format: 'png' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP')
    return { kind: 'image', format: 'webp' };
  if (ascii(bytes, 0, 5) === '%PDF-') return { kind: 'other', name: 'pdf' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return { kind: 'other', name: 'zip' };
  if (ascii(bytes, 0, 4) === 'GIF8') return { kind: 'other', name: 'gif' };
  if (ascii(bytes, 4, 4) === 'ftyp' && /^(heic|heix|mif1|msf1|hevc)$/.test(ascii(bytes, 8, 4)))
    return { kind: 'other', name: 'heic' };
  if (ascii(bytes, 0, 2) === 'BM') return { kind: 'other', name: 'bmp' };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return { kind: 'other', name: 'tiff' };
  return { kind: 'other', name: 'unknown' };
}

/**
 * The width and height an image's header declares, or undefined when the header is cut or
 * broken. JPEG: the first start-of-frame marker; PNG: IHDR; WebP: VP8, VP8L or VP8X.
 */
export function imageSize(
  bytes: Uint8Array,
  format: ImageFormat,
): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (format === 'png') {
      if (ascii(bytes, 12, 4) !== 'IHDR') return undefined;
      return positive(view.getUint32(16), view.getUint32(20));
    }
    if (format === 'webp') return webpSize(bytes, view);
    return jpegSize(bytes, view);
  } catch {
    // A header that ends early reads past the end: the file is broken.
    return undefined;
  }
}

function positive(width: number, height: number) {
  return width > 0 && height > 0 ? { width, height } : undefined;
}

function jpegSize(bytes: Uint8Array, view: DataView) {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    // Fill bytes and markers without a length.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    const length = view.getUint16(offset + 2);
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return positive(view.getUint16(offset + 7), view.getUint16(offset + 5));
    offset += 2 + length;
  }
  return undefined;
}

function webpSize(bytes: Uint8Array, view: DataView) {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8 ') {
    // Lossy: a key frame's start code, then 14-bit width and height.
    if (!(bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a)) return undefined;
    return positive(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return undefined;
    const bits = view.getUint32(21, true);
    return positive((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    const width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    const height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
    return positive(width, height);
  }
  return undefined;
}
