import { createHash } from 'node:crypto';
import { BotwireError } from '../errors/botwire-error';
import type {
  GeneratedImage,
  ImageGenerator,
  ImageSize,
  TrainingStatus,
} from '../ports/image-generator';
import { drawText, fillRect, measureText, toFontText } from './bitmap-font';
import { encodePng, type RgbBitmap } from './png-encoder';

/** Options of {@link previewImageGenerator}. */
export interface PreviewImageGeneratorOptions {
  /** The longest prompt taken, in characters. Default 4000. */
  maxPromptLength?: number;
  /** The size when a request gives none. Default 1024 × 1024, as the port says. */
  defaultSize?: ImageSize;
  /** How long a preview training job takes, in ms. Default 15 s. */
  trainingMs?: number;
  /** The clock training jobs are timed by (tests move it). Default `Date.now`. */
  now?: () => number;
}

const previewJob = /^preview-train-(\d{13})-(\d{1,9})-([0-9a-f]{16})$/;

type Color = readonly [number, number, number];

const minSide = 64;
const maxSide = 2048;

const clampSide = (value: number) =>
  Math.min(maxSide, Math.max(minSide, Math.round(Number.isFinite(value) ? value : 1024)));

/** A stream of pseudo-random bytes from a seed string (SHA-256 in counter mode). */
function byteStream(seed: string): () => number {
  let block = Buffer.alloc(0);
  let position = 0;
  let counter = 0;
  return () => {
    if (position >= block.length) {
      block = createHash('sha256').update(`${seed}\u0000${counter++}`).digest();
      position = 0;
    }
    return block[position++]!;
  };
}

function hsl(hue: number, saturation: number, lightness: number): Color {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/** Wraps the font text of `prompt` into at most `lines` lines of `columns` characters. */
function wrap(prompt: string, columns: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of toFontText(prompt).split(' ')) {
    const piece = word.slice(0, columns);
    if (!/[A-Z0-9]/.test(piece)) continue; // marks left alone by words the font lacks
    if (line && line.length + 1 + piece.length > columns) {
      out.push(line);
      line = '';
      if (out.length === lines) return out;
    }
    line = line ? `${line} ${piece}` : piece;
  }
  if (line && out.length < lines) out.push(line);
  return out;
}

/** Draws one preview picture: a gradient and shapes the seed picks, and the PREVIEW label. */
function draw(width: number, height: number, seed: string, prompt: string): RgbBitmap {
  const next = byteStream(seed);
  const bitmap: RgbBitmap = { width, height, pixels: new Uint8Array(width * height * 3) };
  const hue = (next() * 360) / 256;
  const from = hsl(hue, 0.55, 0.55);
  const to = hsl((hue + 60 + (next() * 120) / 256) % 360, 0.55, 0.35);
  const span = width + height - 2 || 1;
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const t = (row + column) / span;
      const offset = (row * width + column) * 3;
      bitmap.pixels[offset] = from[0] + (to[0] - from[0]) * t;
      bitmap.pixels[offset + 1] = from[1] + (to[1] - from[1]) * t;
      bitmap.pixels[offset + 2] = from[2] + (to[2] - from[2]) * t;
    }
  }
  const shapes = 4 + (next() % 5);
  for (let shape = 0; shape < shapes; shape++) {
    const color = hsl((next() * 360) / 256, 0.6, 0.4 + next() / 640);
    const cx = (next() / 255) * width;
    const cy = (next() / 255) * height;
    const radius = ((8 + (next() % 24)) / 100) * Math.min(width, height);
    if (next() % 2) {
      fillRect(bitmap, cx - radius, cy - radius / 2, radius * 2, radius, color);
      continue;
    }
    const top = Math.max(0, Math.floor(cy - radius));
    const bottom = Math.min(height, Math.ceil(cy + radius));
    for (let row = top; row < bottom; row++) {
      const half = Math.sqrt(radius * radius - (row - cy) * (row - cy));
      fillRect(bitmap, cx - half, row, half * 2, 1, color);
    }
  }
  label(bitmap, prompt);
  return bitmap;
}

/** Stamps a dark band across the middle with PREVIEW and the first words of the prompt. */
function label(bitmap: RgbBitmap, prompt: string): void {
  const { width, height } = bitmap;
  const white: Color = [255, 255, 255];
  const title = 'PREVIEW';
  const titleScale = Math.max(1, Math.floor((width * 0.7) / measureText(title, 1)));
  const textScale = Math.max(1, Math.floor(titleScale / 4));
  const columns = Math.max(1, Math.floor((width * 0.9) / (6 * textScale)));
  const lines = wrap(prompt, columns, 3);
  const bandHeight = (7 + 5) * titleScale + lines.length * 9 * textScale;
  const bandTop = Math.max(0, Math.floor((height - bandHeight) / 2));
  fillRect(bitmap, 0, bandTop, width, bandHeight, [24, 24, 28]);
  const stripe = Math.max(1, Math.floor(titleScale / 2));
  fillRect(bitmap, 0, bandTop, width, stripe, [250, 200, 40]);
  fillRect(bitmap, 0, bandTop + bandHeight - stripe, width, stripe, [250, 200, 40]);
  let y = bandTop + 2 * titleScale;
  drawText(bitmap, title, (width - measureText(title, titleScale)) / 2, y, titleScale, white);
  y += 9 * titleScale;
  for (const line of lines) {
    drawText(bitmap, line, (width - measureText(line, textScale)) / 2, y, textScale, white);
    y += 9 * textScale;
  }
}

/**
 * The embedded image generation driver: no account, no network, no model. It draws a local
 * stand-in PNG (a gradient and shapes picked by the prompt, seed and model, with a band reading
 * PREVIEW and the prompt's first words), so a bot runs before it has an image provider's key.
 * Every picture has `preview: true`. The same request gives the same bytes; another prompt,
 * seed, model or position in `count` gives another picture. Sizes are kept as asked, rounded
 * and held to 64–2048 px a side; without one, 1024 × 1024.
 *
 * It "trains" too, so a studio's whole flow runs with no account: `train` checks the archive is a
 * zip and starts a job that is queued for its first fifth, running, then completed after
 * `trainingMs` with a model id made from the archive's hash (no learning happens; pictures drawn
 * with that model are previews like any other). The job's timing is in its id, so its status
 * survives a restart of the bot. It has no webhooks: callers poll `trainingStatus`.
 *
 * @example
 * const images = previewImageGenerator();
 * const [picture] = await images.generate({ prompt: 'a fox in the snow', size: { width: 512, height: 512 } });
 */
export function previewImageGenerator(options: PreviewImageGeneratorOptions = {}): ImageGenerator {
  const maxPromptLength = options.maxPromptLength ?? 4000;
  const defaultSize = options.defaultSize ?? { width: 1024, height: 1024 };
  const trainingMs = Math.max(0, Math.round(options.trainingMs ?? 15_000));
  const now = options.now ?? Date.now;
  return {
    name: 'preview',
    maxPromptLength,
    async train(request) {
      request.signal?.throwIfAborted();
      const archive = request.archive;
      // A zip starts with a local file header (PK\x03\x04), or is empty (PK\x05\x06).
      if (
        !(archive instanceof Uint8Array) ||
        archive.byteLength < 22 ||
        archive[0] !== 0x50 ||
        archive[1] !== 0x4b
      ) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: 'Training needs a zip archive of the photos.',
        });
      }
      const hash = createHash('sha256')
        .update(archive)
        .update(`\u0000${request.kind}\u0000${request.triggerWord}`)
        .digest('hex')
        .slice(0, 16);
      return { jobId: `preview-train-${now()}-${trainingMs}-${hash}` };
    },
    async trainingStatus(jobId): Promise<TrainingStatus> {
      const match = previewJob.exec(jobId);
      if (!match) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `"${jobId}" is not a job id of the preview image generator.`,
        });
      }
      const elapsed = now() - Number(match[1]);
      const duration = Number(match[2]);
      if (elapsed >= duration) return { state: 'completed', model: `preview-lora-${match[3]}` };
      if (elapsed < duration / 5) return { state: 'queued' };
      return {
        state: 'running',
        logs: [`preview training ${Math.floor((elapsed / duration) * 100)}%`],
      };
    },
    async generate(request) {
      request.signal?.throwIfAborted();
      if (typeof request.prompt !== 'string' || request.prompt.trim() === '') {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: 'An image request needs a prompt: say what to draw.',
        });
      }
      if (request.prompt.length > maxPromptLength) {
        throw new BotwireError('BOTWIRE_IMAGE_PROMPT_TOO_LONG', {
          message: `The prompt has ${request.prompt.length} characters; the preview takes at most ${maxPromptLength}.`,
        });
      }
      const count = request.count ?? 1;
      if (!Number.isInteger(count) || count < 1 || count > 4) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `An image request makes 1 to 4 pictures, not ${count}.`,
        });
      }
      const width = clampSide(request.size?.width ?? defaultSize.width);
      const height = clampSide(request.size?.height ?? defaultSize.height);
      const images: GeneratedImage[] = [];
      for (let index = 0; index < count; index++) {
        request.signal?.throwIfAborted();
        const seed = JSON.stringify([
          request.prompt,
          request.seed ?? 0,
          request.model ?? '',
          index,
        ]);
        const data = encodePng(draw(width, height, seed, request.prompt));
        images.push({ data, mimeType: 'image/png', width, height, preview: true });
        // Drawing is synchronous: give the event loop a turn between pictures.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return images;
    },
  };
}
