import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

const ascii = new TextEncoder();

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.set(ascii.encode(type), 4);
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A hash of `text` as bytes, to derive colours and patterns that differ per input. */
export function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * A real PNG of `width` × `height` (8-bit RGB) whose colours and stripes come from `key`, so
 * different prompts (or seeds) give different pictures and the same ones the same bytes.
 */
export function patternPng(width: number, height: number, key: string): Uint8Array {
  const hash = digest(key);
  const base = [hash[0] ?? 0, hash[1] ?? 0, hash[2] ?? 0];
  const accent = [hash[3] ?? 0, hash[4] ?? 0, hash[5] ?? 0];
  const band = 8 + ((hash[6] ?? 0) % 56);
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  const rowA = Buffer.alloc(width * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const colour = Math.floor((x + y) / band) % 2 === 0 ? base : accent;
      rowA[x * 3] = colour[0] ?? 0;
      rowA[x * 3 + 1] = colour[1] ?? 0;
      rowA[x * 3 + 2] = colour[2] ?? 0;
    }
    rowA.copy(raw, y * stride + 1); // filter byte 0 (none) before each row
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * A small but well-formed `.safetensors` file (an 8-byte header length, a JSON header, one
 * float32 tensor), standing in for LoRA weights; its values come from `key`.
 */
export function loraWeights(key: string, metadata: Record<string, string>): Uint8Array {
  const values = digest(key);
  const header = JSON.stringify({
    __metadata__: metadata,
    'lora_unet.proj.alpha': { dtype: 'F32', shape: [8], data_offsets: [0, 32] },
  });
  const headerBytes = Buffer.from(header.padEnd(Math.ceil(header.length / 8) * 8, ' '));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(headerBytes.length));
  return Buffer.concat([size, headerBytes, values]);
}
