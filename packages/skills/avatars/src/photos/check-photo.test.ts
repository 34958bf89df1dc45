import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '@botwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPhoto, defaultPhotoRules } from './check-photo';
import { imageSize, sniffFile } from './image-header';

/** Real JPEG and WebP files from Debian's ffmpeg, a PNG from core's encoder. */
let folder: string;
const made: Record<string, Uint8Array> = {};

function ffmpegImage(name: string, size: string, color: string): Uint8Array {
  const path = join(folder, name);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `color=c=${color}:s=${size}`,
    '-frames:v',
    '1',
    '-y',
    path,
  ]);
  return new Uint8Array(readFileSync(path));
}

function png(width: number, height: number, shade = 0): Uint8Array {
  const pixels = new Uint8Array(width * height * 3).fill(shade);
  return encodePng({ width, height, pixels });
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'botwire-photos-'));
  made.jpeg = ffmpegImage('face.jpg', '640x800', 'red');
  made.wide = ffmpegImage('wide.jpg', '1024x768', 'blue');
  made.webp = ffmpegImage('face.webp', '700x900', 'green');
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('image headers', () => {
  it('reads the type from the bytes and the size from the header', () => {
    expect(sniffFile(made.jpeg!)).toEqual({ kind: 'image', format: 'jpeg' });
    expect(imageSize(made.jpeg!, 'jpeg')).toEqual({ width: 640, height: 800 });
    expect(imageSize(made.wide!, 'jpeg')).toEqual({ width: 1024, height: 768 });
    expect(sniffFile(made.webp!)).toEqual({ kind: 'image', format: 'webp' });
    expect(imageSize(made.webp!, 'webp')).toEqual({ width: 700, height: 900 });
    const picture = png(600, 520);
    expect(sniffFile(picture)).toEqual({ kind: 'image', format: 'png' });
    expect(imageSize(picture, 'png')).toEqual({ width: 600, height: 520 });
  });

  it('names what a file that is not a photo is', () => {
    expect(sniffFile(new TextEncoder().encode('%PDF-1.7\n...'))).toEqual({
      kind: 'other',
      name: 'pdf',
    });
    expect(sniffFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toEqual({
      kind: 'other',
      name: 'zip',
    });
    expect(sniffFile(new TextEncoder().encode('GIF89a'))).toEqual({ kind: 'other', name: 'gif' });
    expect(sniffFile(new Uint8Array(12))).toEqual({ kind: 'other', name: 'unknown' });
  });

  it('gives no size for a cut header', () => {
    expect(imageSize(made.jpeg!.subarray(0, 20), 'jpeg')).toBeUndefined();
    expect(imageSize(png(600, 600).subarray(0, 18), 'png')).toBeUndefined();
  });
});

describe('checkPhoto', () => {
  it('accepts a good photo with its format, size and fingerprint', () => {
    const checked = checkPhoto(made.jpeg!, []);
    expect(checked).toMatchObject({ ok: true, photo: { format: 'jpeg', width: 640, height: 800 } });
    if (checked.ok) expect(checked.photo.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a PDF sent as a photo, naming it', () => {
    expect(checkPhoto(new TextEncoder().encode('%PDF-1.4 a contract'), [])).toEqual({
      ok: false,
      reason: 'not-image',
      detail: { kind: 'pdf' },
    });
  });

  it('refuses a 50 MB photo by its size before reading it', () => {
    const huge = new Uint8Array(50 * 1024 * 1024);
    huge.set(made.jpeg!.subarray(0, 64));
    expect(checkPhoto(huge, [])).toEqual({
      ok: false,
      reason: 'too-large',
      detail: { megabytes: 50, max: 20 },
    });
  });

  it('refuses a photo too small to train on, and a header that claims an absurd size', () => {
    expect(checkPhoto(png(300, 900), [])).toEqual({
      ok: false,
      reason: 'too-small',
      detail: { width: 300, height: 900, min: defaultPhotoRules.minSide },
    });
    const bomb = png(600, 600);
    new DataView(bomb.buffer, bomb.byteOffset).setUint32(16, 60_000);
    expect(checkPhoto(bomb, [])).toMatchObject({ ok: false, reason: 'too-big' });
  });

  it('refuses the same file sent twice, naming the earlier one', () => {
    const first = checkPhoto(made.jpeg!, []);
    const other = checkPhoto(made.webp!, []);
    if (!first.ok || !other.ok) throw new Error('both photos should pass');
    const known = [other.photo.sha256, first.photo.sha256];
    expect(checkPhoto(made.jpeg!, known)).toEqual({
      ok: false,
      reason: 'duplicate',
      detail: { of: 2 },
    });
  });

  it('refuses a broken image', () => {
    expect(checkPhoto(made.jpeg!.subarray(0, 16), [])).toEqual({
      ok: false,
      reason: 'broken',
      detail: {},
    });
  });
});
