import { afterEach, describe, expect, it } from 'vitest';
import { type FalPeer, startFalPeer } from './fal-peer';

let peer: FalPeer;
afterEach(() => peer?.close());

const call = async (
  method: string,
  path: string,
  body?: unknown,
  key: string | null = peer.apiKey,
) => {
  const response = await fetch(`${peer.url}${path}`, {
    method,
    headers: {
      ...(key === null ? {} : { authorization: `Key ${key}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stateOf = async (id: string, state: string) => {
  while (peer.requests.get(id)?.state !== state) await settle(5);
};

describe('startFalPeer', () => {
  it('checks the key as FAL does', async () => {
    peer = await startFalPeer();
    expect(await call('POST', '/fal-ai/flux-lora', { prompt: 'a' }, null)).toEqual({
      status: 401,
      body: { detail: 'Authentication is required to access this application.' },
    });
    expect((await call('POST', '/fal-ai/flux-lora', { prompt: 'a' }, 'wrong')).status).toBe(401);
    expect(peer.requests.size).toBe(0);
  });

  it('queues a request through IN_QUEUE, IN_PROGRESS and COMPLETED, with its URLs', async () => {
    peer = await startFalPeer({ queueMs: 500, generationMs: 300 });
    const submitted = await call('POST', '/fal-ai/flux-lora', {
      prompt: 'a cat',
      image_size: 'square',
    });
    const id = submitted.body.request_id as string;
    expect(submitted.body).toMatchObject({
      status_url: `${peer.url}/fal-ai/flux-lora/requests/${id}/status`,
      response_url: `${peer.url}/fal-ai/flux-lora/requests/${id}`,
    });
    expect((await call('GET', `/fal-ai/flux-lora/requests/${id}/status`)).body).toMatchObject({
      status: 'IN_QUEUE',
      queue_position: 0,
    });
    expect((await call('GET', `/fal-ai/flux-lora/requests/${id}`)).status).toBe(400);
    await stateOf(id, 'IN_PROGRESS');
    expect(
      (await call('GET', `/fal-ai/flux-lora/requests/${id}/status?logs=1`)).body,
    ).toMatchObject({
      status: 'IN_PROGRESS',
      logs: [expect.objectContaining({ message: expect.any(String) })],
    });
    await stateOf(id, 'COMPLETED');
    expect((await call('GET', `/fal-ai/flux-lora/requests/${id}/status`)).body.status).toBe(
      'COMPLETED',
    );
    const result = await call('GET', `/fal-ai/flux-lora/requests/${id}`);
    expect(result.body).toMatchObject({
      prompt: 'a cat',
      images: [{ width: 512, height: 512, content_type: 'image/png' }],
    });
    const picture = await fetch((result.body.images as { url: string }[])[0]!.url);
    expect(picture.headers.get('content-type')).toBe('image/png');
    expect(
      (await call('GET', `/fal-ai/flux-lora-fast-training/requests/${id}/status`)).status,
    ).toBe(404);
  });

  it('checks inputs on the runner: the request completes with a 422 detail list', async () => {
    peer = await startFalPeer({ queueMs: 1, generationMs: 1 });
    const { body } = await call('POST', '/fal-ai/flux-lora', {
      image_size: { width: 0, height: 512 },
      num_images: 9,
    });
    await stateOf(body.request_id as string, 'COMPLETED');
    const result = await call('GET', `/fal-ai/flux-lora/requests/${body.request_id}`);
    expect(result.status).toBe(422);
    expect(result.body.detail).toEqual([
      { loc: ['body', 'prompt'], msg: 'field required', type: 'value_error.missing' },
      expect.objectContaining({ loc: ['body', 'image_size', 'width'] }),
      expect.objectContaining({ loc: ['body', 'num_images'] }),
    ]);
    const trainer = await call('POST', '/fal-ai/flux-lora-fast-training', { trigger_word: 'TOK' });
    await stateOf(trainer.body.request_id as string, 'COMPLETED');
    const training = await call(
      'GET',
      `/fal-ai/flux-lora-fast-training/requests/${trainer.body.request_id}`,
    );
    expect(training.body.detail).toEqual([
      expect.objectContaining({ loc: ['body', 'images_data_url'] }),
    ]);
    const notZip = await call('POST', '/fal-ai/flux-lora-portrait-trainer', {
      images_data_url: `data:application/zip;base64,${Buffer.from('hello').toString('base64')}`,
    });
    await stateOf(notZip.body.request_id as string, 'COMPLETED');
    const refused = await call(
      'GET',
      `/fal-ai/flux-lora-portrait-trainer/requests/${notZip.body.request_id}`,
    );
    expect(refused).toMatchObject({
      status: 422,
      body: { detail: [{ msg: 'The images archive is not a zip file' }] },
    });
  });

  it('cancels a queued request, and answers 404 for an unknown app', async () => {
    peer = await startFalPeer({ queueMs: 1000 });
    const { body } = await call('POST', '/fal-ai/flux-lora', { prompt: 'a' });
    expect(await call('PUT', `/fal-ai/flux-lora/requests/${body.request_id}/cancel`)).toEqual({
      status: 202,
      body: { status: 'CANCELLATION_REQUESTED' },
    });
    expect(
      (await call('GET', `/fal-ai/flux-lora/requests/${body.request_id}/status`)).body.status,
    ).toBe('COMPLETED');
    expect((await call('POST', '/fal-ai/nothing', { prompt: 'a' })).status).toBe(404);
  });
});
