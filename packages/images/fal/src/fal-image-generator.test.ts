import { isBotwireError } from '@botwire/core';
import { type FalPeer, startFalPeer } from '@botwire/images-fal/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { FAL_MAX_PROMPT_LENGTH, falImageGenerator } from './fal-image-generator';

let peer: FalPeer;
afterEach(() => peer?.close());

const driver = (options: Parameters<typeof falImageGenerator>[0] = {}) =>
  falImageGenerator({ apiKey: peer.apiKey, queueUrl: peer.url, pollIntervalMs: 10, ...options });

const pngSize = (data: Uint8Array) => {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
};

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isBotwireError(error), `expected a BotwireError, got ${String(error)}`).toBe(true);
  return error as Error & { code: string };
}

describe('falImageGenerator: generation', () => {
  it('submits to flux-lora, polls the queue and downloads real pictures of the asked size', async () => {
    peer = await startFalPeer();
    const images = await driver().generate({
      prompt: 'a lighthouse at dusk',
      count: 2,
      size: { width: 512, height: 768 },
      seed: 7,
    });
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect(image.mimeType).toBe('image/png');
      expect([...image.data.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      expect({ width: image.width, height: image.height }).toEqual({ width: 512, height: 768 });
      expect(pngSize(image.data)).toEqual({ width: 512, height: 768 });
      expect(image.preview).toBeUndefined();
    }
    expect(Buffer.from(images[0]!.data).equals(Buffer.from(images[1]!.data))).toBe(false);

    const submit = peer.calls[0]!;
    expect(submit).toMatchObject({ method: 'POST', path: '/fal-ai/flux-lora', authorized: true });
    expect(submit.body).toEqual({
      prompt: 'a lighthouse at dusk',
      image_size: { width: 512, height: 768 },
      num_images: 2,
      output_format: 'png',
      seed: 7,
    });
    const statusCalls = peer.calls.filter((call) => call.path.endsWith('/status'));
    expect(statusCalls.length).toBeGreaterThanOrEqual(2);
    expect(statusCalls.every((call) => call.authorized)).toBe(true);
    const downloads = peer.calls.filter((call) => call.path.startsWith('/files/'));
    expect(downloads).toHaveLength(2);
    expect(downloads.every((call) => !call.authorized)).toBe(true);
  });

  it('draws different pictures for different prompts, the same for the same prompt and seed', async () => {
    peer = await startFalPeer();
    const generator = driver();
    const small = { width: 256, height: 256 };
    const [fox] = await generator.generate({ prompt: 'a fox', size: small, seed: 1 });
    const [owl] = await generator.generate({ prompt: 'an owl', size: small, seed: 1 });
    const [again] = await generator.generate({ prompt: 'a fox', size: small, seed: 1 });
    expect(Buffer.from(fox!.data).equals(Buffer.from(owl!.data))).toBe(false);
    expect(Buffer.from(fox!.data).equals(Buffer.from(again!.data))).toBe(true);
  });

  it('rounds sizes to the 16-pixel grid flux draws on, within 256 to 2048', async () => {
    peer = await startFalPeer();
    const generator = driver();
    const [odd] = await generator.generate({ prompt: 'a', size: { width: 1030, height: 100 } });
    expect({ width: odd!.width, height: odd!.height }).toEqual({ width: 1024, height: 256 });
    const [big] = await generator.generate({ prompt: 'b', size: { width: 4000, height: 300 } });
    expect({ width: big!.width, height: big!.height }).toEqual({ width: 2048, height: 304 });
  });

  it('refuses a prompt over the limit before any request, and takes one at the limit', async () => {
    peer = await startFalPeer();
    const generator = driver();
    expect(generator.maxPromptLength).toBe(FAL_MAX_PROMPT_LENGTH);
    const error = await failure(
      generator.generate({ prompt: 'x'.repeat(FAL_MAX_PROMPT_LENGTH + 1) }),
    );
    expect(error.code).toBe('BOTWIRE_IMAGE_PROMPT_TOO_LONG');
    expect(peer.calls).toHaveLength(0);
    const images = await generator.generate({
      prompt: 'y'.repeat(FAL_MAX_PROMPT_LENGTH),
      size: { width: 256, height: 256 },
    });
    expect(images).toHaveLength(1);
  });

  it('refuses a count outside 1 to 4 before any request', async () => {
    peer = await startFalPeer();
    expect((await failure(driver().generate({ prompt: 'a', count: 5 }))).code).toBe(
      'BOTWIRE_INVALID_ARGUMENT',
    );
    expect(peer.calls).toHaveLength(0);
  });

  it('reports a failed request with FAL’s message, never the key', async () => {
    peer = await startFalPeer({ apiKey: 'secret-id:very-secret' });
    const error = await failure(
      driver().generate({ prompt: 'me', model: 'https://example.test/nowhere.safetensors' }),
    );
    expect(error.code).toBe('BOTWIRE_IMAGE_PROVIDER_FAILED');
    expect(error.message).toContain('Failed to download LoRA weights');
    expect(error.message).not.toContain('very-secret');
  });

  it('reports a wrong key, an unknown model and a peer that fails the request', async () => {
    peer = await startFalPeer({ generationMs: 5000 });
    const wrongKey = await failure(
      falImageGenerator({ apiKey: 'nope:nope', queueUrl: peer.url }).generate({ prompt: 'a' }),
    );
    expect(wrongKey.code).toBe('BOTWIRE_IMAGE_PROVIDER_FAILED');
    expect(wrongKey.message).toContain('No user found for Key ID and Secret');
    expect(wrongKey.message).not.toContain('nope:nope');

    const unknown = await failure(
      driver({ generationModel: 'fal-ai/unknown' }).generate({ prompt: 'a' }),
    );
    expect(unknown.message).toContain("Application 'fal-ai/unknown' not found");

    const pending = failure(driver().generate({ prompt: 'a', size: { width: 256, height: 256 } }));
    await until(() =>
      [...peer.requests.values()].some((request) => request.state === 'IN_PROGRESS'),
    );
    const [request] = [...peer.requests.values()].filter((entry) => entry.state === 'IN_PROGRESS');
    await peer.fail(request!.id, 'CUDA out of memory');
    const failed = await pending;
    expect(failed.code).toBe('BOTWIRE_IMAGE_PROVIDER_FAILED');
    expect(failed.message).toContain('CUDA out of memory');
  });

  it('gives up after timeoutMs and cancels the request', async () => {
    peer = await startFalPeer({ generationMs: 5000 });
    const error = await failure(driver({ timeoutMs: 150 }).generate({ prompt: 'slow' }));
    expect(error.code).toBe('BOTWIRE_IMAGE_PROVIDER_FAILED');
    expect(error.message).toContain('did not finish');
    await until(() => peer.calls.some((call) => call.method === 'PUT'));
    expect(peer.calls.find((call) => call.method === 'PUT')?.path).toMatch(/\/cancel$/);
  });

  it('honours an abort signal: rejects with its reason and cancels the request', async () => {
    peer = await startFalPeer({ generationMs: 5000 });
    const controller = new AbortController();
    const pending = driver().generate({ prompt: 'slow', signal: controller.signal });
    await until(() => peer.calls.some((call) => call.path.endsWith('/status')));
    controller.abort(new Error('user left'));
    await expect(pending).rejects.toThrow('user left');
    await until(() => peer.calls.some((call) => call.method === 'PUT'));

    const before = peer.calls.length;
    await expect(
      driver().generate({ prompt: 'never', signal: AbortSignal.abort(new Error('gone')) }),
    ).rejects.toThrow('gone');
    expect(peer.calls).toHaveLength(before);
  });
});

describe('falImageGenerator: key', () => {
  it('reads FAL_KEY from env, and without a key says how to set one', async () => {
    peer = await startFalPeer();
    const generator = falImageGenerator({
      env: { FAL_KEY: peer.apiKey },
      queueUrl: peer.url,
      pollIntervalMs: 10,
    });
    expect(generator.name).toBe('fal');
    await generator.generate({ prompt: 'a', size: { width: 256, height: 256 } });
    expect(peer.calls[0]?.authorized).toBe(true);

    let error: unknown;
    try {
      falImageGenerator({ env: {} });
    } catch (caught) {
      error = caught;
    }
    expect(isBotwireError(error) && error.code).toBe('BOTWIRE_INVALID_ARGUMENT');
    expect((error as Error).message).toContain('FAL_KEY');
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
