import { runImageGeneratorContract } from '@botwire/core/contract-suites';
import { afterEach, describe, expect, it } from 'vitest';
import { nearestImageSize, openaiImageGenerator } from './openai-image-generator';
import { type OpenAiPeer, startOpenAiPeer } from './testing';

const apiKey = 'sk-test-secret-key-1234';

for (const model of ['gpt-image-1', 'dall-e-3']) {
  runImageGeneratorContract(`openai ${model}`, async () => {
    const peer = await startOpenAiPeer({ apiKey });
    return {
      generator: openaiImageGenerator({ model, baseURL: peer.baseURL, apiKey }),
      requestCount: () => peer.requests.length,
      close: () => peer.close(),
    };
  });
}

describe('nearestImageSize', () => {
  it('picks the size of the nearest shape, then the nearest area', () => {
    const gpt = ['1024x1024', '1536x1024', '1024x1536'];
    expect(nearestImageSize({ width: 1920, height: 1080 }, gpt)).toBe('1536x1024');
    expect(nearestImageSize({ width: 600, height: 900 }, gpt)).toBe('1024x1536');
    expect(nearestImageSize({ width: 300, height: 310 }, gpt)).toBe('1024x1024');
    const dallE2 = ['256x256', '512x512', '1024x1024'];
    expect(nearestImageSize({ width: 500, height: 500 }, dallE2)).toBe('512x512');
    expect(
      nearestImageSize({ width: 1600, height: 900 }, ['1024x1024', '1792x1024', '1024x1792']),
    ).toBe('1792x1024');
  });

  it('rounds to multiples of 16 within 3:1 for a model that takes any size', () => {
    expect(nearestImageSize({ width: 1000, height: 700 }, undefined)).toBe('1008x704');
    const [w, h] = nearestImageSize({ width: 5000, height: 100 }, undefined).split('x').map(Number);
    expect(w! % 16 === 0 && h! % 16 === 0).toBe(true);
    expect(w! / h!).toBeLessThanOrEqual(3.05);
  });
});

describe('openaiImageGenerator', () => {
  let peer: OpenAiPeer;
  afterEach(() => peer?.close());

  it('asks gpt-image-1 for n pictures at the nearest size, without response_format', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const generator = openaiImageGenerator({ baseURL: peer.baseURL, apiKey, quality: 'low' });
    const images = await generator.generate({
      prompt: 'a fox',
      count: 2,
      size: { width: 1600, height: 900 },
    });
    expect(images.map((image) => [image.mimeType, image.width, image.height])).toEqual([
      ['image/png', 1536, 1024],
      ['image/png', 1536, 1024],
    ]);
    expect(images[0]!.preview).toBeUndefined();
    expect(peer.requests).toHaveLength(1);
    expect(peer.requests[0]!.body).toEqual({
      model: 'gpt-image-1',
      prompt: 'a fox',
      n: 2,
      size: '1536x1024',
      quality: 'low',
    });
  });

  it('sends one request a picture to dall-e-3, in base64, and keeps the revised prompt', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const generator = openaiImageGenerator({ model: 'dall-e-3', baseURL: peer.baseURL, apiKey });
    expect(generator.maxPromptLength).toBe(4000);
    const images = await generator.generate({
      prompt: 'a tall tower',
      count: 2,
      size: { width: 512, height: 900 },
    });
    expect(images).toHaveLength(2);
    expect(images[0]).toMatchObject({ width: 1024, height: 1792, revisedPrompt: 'a tall tower' });
    expect(
      peer.imageRequests.map((request) => [request.n, request.size, request.responseFormat]),
    ).toEqual([
      [1, '1024x1792', 'b64_json'],
      [1, '1024x1792', 'b64_json'],
    ]);
  });

  it('reads the key and endpoint from env, and refuses to start with neither', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const generator = openaiImageGenerator({
      env: { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: peer.baseURL },
    });
    expect(
      await generator.generate({ prompt: 'a cube', size: { width: 1024, height: 1024 } }),
    ).toHaveLength(1);
    expect(peer.requests[0]!.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(() => openaiImageGenerator({ env: {} })).toThrow(
      expect.objectContaining({ code: 'BOTWIRE_MODEL_NOT_CONFIGURED' }),
    );
  });

  it('turns provider errors into BOTWIRE_IMAGE_PROVIDER_FAILED with the message and no key', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const wrongKey = 'sk-wrong-secret-5678';
    const wrong = openaiImageGenerator({ baseURL: peer.baseURL, apiKey: wrongKey });
    const denied = await wrong.generate({ prompt: 'a cat' }).catch((error: unknown) => error);
    expect(denied).toMatchObject({
      code: 'BOTWIRE_IMAGE_PROVIDER_FAILED',
      details: { status: 401 },
    });
    expect((denied as Error).message).toMatch(/Incorrect API key/);
    expect(JSON.stringify(denied) + String(denied)).not.toContain(wrongKey);

    const generator = openaiImageGenerator({ baseURL: peer.baseURL, apiKey });
    peer.pushFor(
      'images',
      {
        status: 400,
        error: 'Your request was rejected as a result of our safety system.',
        errorCode: 'moderation_blocked',
      },
      { status: 429, retryAfter: 2, error: 'Rate limit reached for images per minute.' },
    );
    await expect(generator.generate({ prompt: 'something' })).rejects.toMatchObject({
      code: 'BOTWIRE_IMAGE_PROVIDER_FAILED',
      message: expect.stringMatching(/safety system/),
      details: { status: 400, providerCode: 'moderation_blocked' },
    });
    await expect(generator.generate({ prompt: 'something' })).rejects.toMatchObject({
      details: { status: 429, retryAfterMs: 2000 },
    });

    const unknown = openaiImageGenerator({ model: 'dall-e-9', baseURL: peer.baseURL, apiKey });
    await expect(unknown.generate({ prompt: 'x' })).rejects.toMatchObject({
      code: 'BOTWIRE_IMAGE_PROVIDER_FAILED',
      message: expect.stringMatching(/Invalid value: 'dall-e-9'/),
    });
  });

  it('refuses a personal model and bad counts before any request', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const generator = openaiImageGenerator({ baseURL: peer.baseURL, apiKey });
    await expect(generator.generate({ prompt: 'TOK', model: 'fal-lora-1' })).rejects.toMatchObject({
      code: 'BOTWIRE_INVALID_ARGUMENT',
    });
    await expect(generator.generate({ prompt: 'x', count: 5 })).rejects.toMatchObject({
      code: 'BOTWIRE_INVALID_ARGUMENT',
    });
    await expect(generator.generate({ prompt: ' ' })).rejects.toMatchObject({
      code: 'BOTWIRE_INVALID_ARGUMENT',
    });
    expect(peer.requests).toHaveLength(0);
    expect(generator.train).toBeUndefined();
  });

  it('stops waiting when the signal is aborted mid-request', async () => {
    peer = await startOpenAiPeer({ apiKey });
    peer.pushFor('images', { hang: true });
    const generator = openaiImageGenerator({ baseURL: peer.baseURL, apiKey });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 50);
    await expect(generator.generate({ prompt: 'slow', signal: controller.signal })).rejects.toThrow(
      'user left',
    );
  });
});
