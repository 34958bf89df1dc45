import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { isBotwireError, type TrainingStatus } from '@botwire/core';
import { type FalPeer, startFalPeer } from '@botwire/images-fal/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { falImageGenerator } from './fal-image-generator';

let peer: FalPeer;
let receiver: Server | undefined;
afterEach(async () => {
  await peer?.close();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  receiver = undefined;
});

const driver = () =>
  falImageGenerator({ apiKey: peer.apiKey, queueUrl: peer.url, pollIntervalMs: 10 });

/** A zip (stored, no compression) of `files`, as the skill sends the user's photos. */
function zipOf(files: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const photos = zipOf({ 'photo-1.jpg': 'jpeg bytes one', 'photo-2.jpg': 'jpeg bytes two' });

async function statusUntil(
  read: () => Promise<TrainingStatus>,
  done: (status: TrainingStatus) => boolean,
): Promise<TrainingStatus> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const status = await read();
    if (done(status) || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('falImageGenerator: training', () => {
  it('trains a portrait model, found by polling, then draws with its LoRA and trigger word', async () => {
    peer = await startFalPeer();
    const generator = driver();
    const { jobId } = await generator.train({
      archive: photos,
      kind: 'portrait',
      triggerWord: 'TOK',
      steps: 500,
    });
    const submit = peer.calls[0]!;
    expect(submit.path).toBe('/fal-ai/flux-lora-portrait-trainer');
    const input = submit.body as Record<string, unknown>;
    expect(input).toMatchObject({ trigger_phrase: 'TOK', steps: 500 });
    expect(String(input.images_data_url)).toMatch(/^data:application\/zip;base64,UEsDB/);

    expect(['queued', 'running']).toContain((await generator.trainingStatus(jobId)).state);
    const running = await statusUntil(
      () => generator.trainingStatus(jobId),
      (s) => s.state === 'running',
    );
    expect(running).toMatchObject({
      state: 'running',
      logs: expect.arrayContaining([expect.stringContaining('Preprocessing')]),
    });

    await peer.complete(jobId);
    const done = await generator.trainingStatus(jobId);
    expect(done.state).toBe('completed');
    const model = (done as { model: string }).model;
    expect(model).toMatch(/\.safetensors$/);
    const weights = new Uint8Array(await (await fetch(model)).arrayBuffer());
    expect(
      JSON.parse(
        Buffer.from(
          weights.subarray(8, 8 + Number(Buffer.from(weights).readBigUInt64LE())),
        ).toString(),
      ),
    ).toMatchObject({ __metadata__: { trigger: 'TOK' } });

    const [image] = await generator.generate({
      prompt: 'in a green coat',
      model,
      triggerWord: 'TOK',
      size: { width: 256, height: 256 },
    });
    expect(image!.mimeType).toBe('image/png');
    const generation = peer.calls.filter((call) => call.path === '/fal-ai/flux-lora').at(-1)!;
    expect(generation.body).toMatchObject({
      prompt: 'TOK, in a green coat',
      loras: [{ path: model, scale: 1 }],
    });
  });

  it('trains a style on the fast trainer, and a new driver (a restart) still finds the job', async () => {
    peer = await startFalPeer();
    const starter = driver();
    const { jobId } = await starter.train({ archive: photos, kind: 'style', triggerWord: 'STYL' });
    expect(peer.calls[0]!.path).toBe('/fal-ai/flux-lora-fast-training');
    expect(peer.calls[0]!.body).toMatchObject({
      trigger_word: 'STYL',
      is_style: true,
      create_masks: false,
    });

    const first = peer.calls.length;
    await starter.trainingStatus(jobId); // the driver that started it asks the style app only
    expect(peer.calls.slice(first).map((call) => call.path.split('/')[2])).toEqual([
      'flux-lora-fast-training',
    ]);

    const restarted = driver();
    const before = peer.calls.length;
    expect(['queued', 'running']).toContain((await restarted.trainingStatus(jobId)).state);
    // the job id does not say which trainer: the portrait app answers 404, the style app knows it
    expect(peer.calls.slice(before).map((call) => [call.path.split('/')[2], call.answer])).toEqual([
      ['flux-lora-portrait-trainer', 404],
      ['flux-lora-fast-training', 202],
    ]);
    await peer.complete(jobId);
    expect(await restarted.trainingStatus(jobId)).toMatchObject({
      state: 'completed',
      model: expect.stringContaining(peer.url),
    });
  });

  it('reports a failed training with FAL’s words, and refuses an archive that is not a zip', async () => {
    peer = await startFalPeer();
    const generator = driver();
    const { jobId } = await generator.train({
      archive: photos,
      kind: 'portrait',
      triggerWord: 'TOK',
    });
    await peer.fail(jobId, 'Not enough faces found in the images');
    expect(await generator.trainingStatus(jobId)).toEqual({
      state: 'failed',
      error: 'Not enough faces found in the images',
    });

    const before = peer.calls.length;
    await expect(
      generator.train({
        archive: new TextEncoder().encode('just text'),
        kind: 'portrait',
        triggerWord: 'TOK',
      }),
    ).rejects.toMatchObject({ code: 'BOTWIRE_INVALID_ARGUMENT' });
    expect(peer.calls).toHaveLength(before);
  });

  it('says so for a job id FAL does not know, and refuses a request without a trigger word', async () => {
    peer = await startFalPeer();
    const generator = driver();
    await expect(
      generator.trainingStatus('00000000-0000-0000-0000-000000000000'),
    ).rejects.toMatchObject({ code: 'BOTWIRE_IMAGE_PROVIDER_FAILED' });
    await expect(
      generator.train({ archive: photos, kind: 'portrait', triggerWord: ' ' }),
    ).rejects.toMatchObject({ code: 'BOTWIRE_INVALID_ARGUMENT' });
  });

  it('learns of the end from FAL’s webhook, read with parseWebhook', async () => {
    peer = await startFalPeer();
    const received: string[] = [];
    receiver = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        received.push(text);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/fal?token=abc`;

    const generator = driver();
    const { jobId } = await generator.train({
      archive: photos,
      kind: 'portrait',
      triggerWord: 'TOK',
      webhookUrl,
    });
    expect(peer.calls[0]!.query).toEqual({ fal_webhook: webhookUrl });
    await peer.complete(jobId);
    expect(received).toHaveLength(1);
    const update = generator.parseWebhook(JSON.parse(received[0]!));
    expect(update).toEqual({
      jobId,
      status: { state: 'completed', model: expect.stringMatching(/\.safetensors$/) },
    });
    expect(generator.parseWebhook(received[0]!)).toEqual(update);
    expect(peer.webhooks[0]).toMatchObject({ url: webhookUrl, answer: 200 });

    const second = await generator.train({
      archive: photos,
      kind: 'style',
      triggerWord: 'TOK',
      webhookUrl,
    });
    await peer.fail(second.jobId, 'GPU preempted');
    const failed = generator.parseWebhook(JSON.parse(received[1]!));
    expect(failed.jobId).toBe(second.jobId);
    expect(failed.status).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('GPU preempted'),
    });
  });

  it('refuses a body that is not FAL’s training webhook with BOTWIRE_INVALID_ARGUMENT', () => {
    peer = undefined as unknown as FalPeer;
    const generator = falImageGenerator({ apiKey: 'k' });
    for (const body of [
      null,
      'not json',
      [],
      { status: 'OK' },
      { request_id: 'r', status: 'MAYBE' },
      { request_id: 'r', status: 'OK', payload: { images: [] } },
      { request_id: 'r', status: 'OK', payload: null, payload_error: 'too large' },
    ]) {
      let error: unknown;
      try {
        generator.parseWebhook(body);
      } catch (caught) {
        error = caught;
      }
      expect(isBotwireError(error) && error.code, JSON.stringify(body)).toBe(
        'BOTWIRE_INVALID_ARGUMENT',
      );
    }
  });
});
