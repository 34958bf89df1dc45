import { createHash } from 'node:crypto';
import { type ImageFormat, imageSize, sniffFile } from './image-header';

/** What a training photo must be. */
export interface PhotoRules {
  /** The largest file, in bytes. Default 20 MB. */
  maxBytes: number;
  /** The shortest side, in pixels. Default 512. */
  minSide: number;
  /** The longest side a header may declare, in pixels (a guard against decompression bombs). Default 12,000. */
  maxSide: number;
}

export const defaultPhotoRules: PhotoRules = {
  maxBytes: 20 * 1024 * 1024,
  minSide: 512,
  maxSide: 12_000,
};

/** Why a photo was refused; `detail` fills the message's placeholders. */
export type PhotoRefusal =
  | { reason: 'too-large'; detail: { megabytes: number; max: number } }
  | { reason: 'not-image'; detail: { kind: string } }
  | { reason: 'broken'; detail: Record<string, never> }
  | { reason: 'too-small'; detail: { width: number; height: number; min: number } }
  | { reason: 'too-big'; detail: { width: number; height: number; max: number } }
  | { reason: 'duplicate'; detail: { of: number } };

/** A photo that passed: its format, size and fingerprint. */
export interface AcceptedPhoto {
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  /** sha256 of the bytes, hex: the same file sent twice has the same one. */
  sha256: string;
}

/**
 * Checks one training photo before it is kept: its size (before anything else, so a 50 MB file
 * costs nothing more), its real type from its first bytes (a PDF sent as a photo is refused,
 * naming what it is), a readable header with a big enough and sane resolution, and that the
 * same file is not in the set already (`known`: the fingerprints kept so far, in order).
 */
export function checkPhoto(
  data: Uint8Array,
  known: readonly string[],
  rules: PhotoRules = defaultPhotoRules,
): { ok: true; photo: AcceptedPhoto } | ({ ok: false } & PhotoRefusal) {
  const tooLarge = checkPhotoSize(data.byteLength, rules);
  if (tooLarge) return { ok: false, ...tooLarge };
  const sniff = sniffFile(data);
  if (sniff.kind !== 'image')
    return { ok: false, reason: 'not-image', detail: { kind: sniff.name } };
  const size = imageSize(data, sniff.format);
  if (!size) return { ok: false, reason: 'broken', detail: {} };
  const shortSide = Math.min(size.width, size.height);
  if (shortSide < rules.minSide)
    return { ok: false, reason: 'too-small', detail: { ...size, min: rules.minSide } };
  if (Math.max(size.width, size.height) > rules.maxSide)
    return { ok: false, reason: 'too-big', detail: { ...size, max: rules.maxSide } };
  const sha256 = createHash('sha256').update(data).digest('hex');
  const earlier = known.indexOf(sha256);
  if (earlier !== -1) return { ok: false, reason: 'duplicate', detail: { of: earlier + 1 } };
  return {
    ok: true,
    photo: { format: sniff.format, ...size, bytes: data.byteLength, sha256 },
  };
}

/**
 * The refusal of a photo of `bytes` bytes when it is over the limit, else undefined: checked on
 * the size a messenger announces, before downloading, and on the bytes.
 */
export function checkPhotoSize(
  bytes: number,
  rules: PhotoRules = defaultPhotoRules,
): Extract<PhotoRefusal, { reason: 'too-large' }> | undefined {
  if (bytes <= rules.maxBytes) return undefined;
  return {
    reason: 'too-large',
    detail: { megabytes: megabytes(bytes), max: megabytes(rules.maxBytes) },
  };
}

function megabytes(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 10) / 10;
}
