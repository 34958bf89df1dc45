import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodePng, readPngSize } from '../images/png-encoder';
import { storedZip } from '../images/stored-zip';
import type { GeneratedImage, ImageGenerator, TrainingStatus } from '../ports/image-generator';
import { rejectsWithCode } from './rejects-with-code';

/** What a test run of the image generation contract needs: the driver, and how to release it. */
export interface ImageGeneratorTarget {
  generator: ImageGenerator;
  /** Releases what the run used (peers, servers). */
  close?(): Promise<void>;
  /**
   * How many requests the provider (or its peer) has received so far, when the target can tell:
   * lets the suite check that refused input never reaches the provider.
   */
  requestCount?(): number;
}

/** Options of {@link runImageGeneratorContract}. */
export interface ImageGeneratorContractOptions {
  /** The driver can train personal models: run the training tests. */
  trains?: boolean;
  /** Makes the provider (its peer) finish the training job `jobId`, when it does not on its own. */
  completeTraining?: (jobId: string) => Promise<void> | void;
  /** How long a training job may take to complete. Default 10 s. */
  trainingTimeoutMs?: number;
}

const magic: Record<string, (bytes: Uint8Array) => boolean> = {
  'image/png': (bytes) =>
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, index) => bytes[index] === byte),
  'image/jpeg': (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff,
  'image/webp': (bytes) =>
    String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' &&
    String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP',
};

/** Checks that one picture is real image bytes of its stated type, with a positive size. */
function expectRealImage(image: GeneratedImage): void {
  expect(image.data).toBeInstanceOf(Uint8Array);
  expect(image.data.byteLength).toBeGreaterThan(16);
  const check = magic[image.mimeType];
  expect(check, `unexpected mimeType ${image.mimeType}`).toBeDefined();
  expect(check?.(image.data), `bytes are not ${image.mimeType}`).toBe(true);
  expect(Number.isInteger(image.width) && image.width > 0).toBe(true);
  expect(Number.isInteger(image.height) && image.height > 0).toBe(true);
  if (image.mimeType === 'image/png') {
    expect(readPngSize(image.data)).toEqual({ width: image.width, height: image.height });
  }
}

/** A zip of a few small photos, as training takes them. */
function trainingArchive(): Uint8Array {
  const photo = (shade: number) => {
    const pixels = new Uint8Array(64 * 64 * 3);
    for (let index = 0; index < pixels.length; index += 3) {
      pixels.set([shade, (index / 3) % 64, 255 - shade], index);
    }
    return encodePng({ width: 64, height: 64, pixels });
  };
  return storedZip([0, 1, 2, 3].map((n) => ({ name: `photo-${n + 1}.png`, data: photo(n * 60) })));
}

/**
 * The contract every image generation driver passes (preview, OpenAI, FAL, ...): one picture by
 * default and `count` when asked, each real image bytes of its `mimeType` with a positive size
 * (the PNG header agrees with it), a landscape request drawn wider than tall, a prompt over
 * `maxPromptLength` refused with `BOTWIRE_IMAGE_PROMPT_TOO_LONG` before any request, an aborted
 * signal honoured; and with `trains`, a training job that goes from queued or running to
 * completed with a model that a generation can then use.
 *
 * @example
 * runImageGeneratorContract('preview', async () => ({ generator: previewImageGenerator() }));
 */
export function runImageGeneratorContract(
  name: string,
  create: () => Promise<ImageGeneratorTarget>,
  options: ImageGeneratorContractOptions = {},
): void {
  const trainingTimeoutMs = options.trainingTimeoutMs ?? 10_000;
  describe(`image generator contract: ${name}`, { timeout: 30_000 + trainingTimeoutMs }, () => {
    let target: ImageGeneratorTarget;
    let generator: ImageGenerator;
    beforeEach(async () => {
      target = await create();
      generator = target.generator;
    });
    afterEach(async () => {
      await target?.close?.();
    });

    it('has a name and a positive prompt limit', () => {
      expect(typeof generator.name).toBe('string');
      expect(generator.name.length).toBeGreaterThan(0);
      expect(Number.isInteger(generator.maxPromptLength)).toBe(true);
      expect(generator.maxPromptLength).toBeGreaterThan(100);
    });

    it('makes one picture by default, as real image bytes of its type', async () => {
      const images = await generator.generate({ prompt: 'a red fox in the snow, watercolour' });
      expect(images).toHaveLength(1);
      expectRealImage(images[0]!);
    });

    it('makes count pictures', async () => {
      const images = await generator.generate({
        prompt: 'a lighthouse at dusk',
        count: 2,
        size: { width: 1024, height: 1024 },
      });
      expect(images).toHaveLength(2);
      for (const image of images) expectRealImage(image);
    });

    it('draws a landscape request wider than tall', async () => {
      const [image] = await generator.generate({
        prompt: 'a wide mountain panorama',
        size: { width: 1536, height: 1024 },
      });
      expectRealImage(image!);
      expect(image!.width).toBeGreaterThan(image!.height);
    });

    it('refuses a prompt over maxPromptLength with BOTWIRE_IMAGE_PROMPT_TOO_LONG, before any request', async () => {
      const before = target.requestCount?.();
      await rejectsWithCode(
        generator.generate({ prompt: 'x'.repeat(generator.maxPromptLength + 1) }),
        'BOTWIRE_IMAGE_PROMPT_TOO_LONG',
      );
      if (before !== undefined) expect(target.requestCount?.()).toBe(before);
      const [image] = await generator.generate({ prompt: 'a small blue cube' });
      expectRealImage(image!);
    });

    it('rejects when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(
        generator.generate({ prompt: 'a cat', signal: controller.signal }),
      ).rejects.toBeDefined();
    });

    if (options.trains) {
      it('trains a personal model that a generation can then use', async () => {
        expect(typeof generator.train).toBe('function');
        expect(typeof generator.trainingStatus).toBe('function');
        const { jobId } = await generator.train!({
          archive: trainingArchive(),
          kind: 'portrait',
          triggerWord: 'TOK',
        });
        expect(typeof jobId).toBe('string');
        expect(jobId.length).toBeGreaterThan(0);

        const first = await generator.trainingStatus!(jobId);
        const early: TrainingStatus['state'][] = options.completeTraining
          ? ['queued', 'running']
          : ['queued', 'running', 'completed'];
        expect(early).toContain(first.state);

        await options.completeTraining?.(jobId);
        const deadline = Date.now() + trainingTimeoutMs;
        let status = first;
        while (status.state !== 'completed' && status.state !== 'failed') {
          expect(Date.now(), `training ${jobId} did not complete in time`).toBeLessThan(deadline);
          await new Promise((resolve) => setTimeout(resolve, 50));
          status = await generator.trainingStatus!(jobId);
        }
        expect(status.state).toBe('completed');
        const model = (status as { model: string }).model;
        expect(typeof model).toBe('string');
        expect(model.length).toBeGreaterThan(0);

        const [image] = await generator.generate({
          prompt: 'a portrait photo of TOK in a green coat',
          model,
          triggerWord: 'TOK',
        });
        expectRealImage(image!);
      });
    }
  });
}
