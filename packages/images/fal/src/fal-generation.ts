import { BotwireError, type GeneratedImage, type ImageRequest } from '@botwire/core';
import {
  appOf,
  callQueue,
  type FalQueueConnection,
  type FalQueueStatus,
  falMessage,
  providerFailed,
  sleep,
} from './fal-queue';

/** How generation waits for FAL's queue. */
export interface FalGenerationSettings {
  model: string;
  pollIntervalMs: number;
  timeoutMs: number;
}

interface FalImageFile {
  url: string;
  width?: number;
  height?: number;
  content_type?: string;
}

const sizeStep = 16;
const smallestSide = 256;
const largestSide = 2048;

/**
 * The size flux makes nearest to the one asked: each side a multiple of 16 (its latent grid),
 * between 256 and 2048 pixels.
 */
export function fluxSize(size: { width: number; height: number } | undefined) {
  const side = (value: number) =>
    Math.min(largestSide, Math.max(smallestSide, Math.round(value / sizeStep) * sizeStep));
  return { width: side(size?.width ?? 1024), height: side(size?.height ?? 1024) };
}

/** The flux-lora input for a request: prompt (with the trigger word), size, count, LoRA. */
export function generationInput(request: ImageRequest): Record<string, unknown> {
  const count = request.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 4) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `count must be a whole number from 1 to 4, not ${String(count)}.`,
    });
  }
  const size = request.size;
  if (size && !(size.width > 0 && size.height > 0)) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `size must have a positive width and height, not ${size.width} × ${size.height}.`,
    });
  }
  const trigger = request.triggerWord?.trim();
  const prompt =
    trigger && !request.prompt.includes(trigger) ? `${trigger}, ${request.prompt}` : request.prompt;
  return {
    prompt,
    image_size: fluxSize(size),
    num_images: count,
    output_format: 'png',
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.model ? { loras: [{ path: request.model, scale: 1 }] } : {}),
  };
}

/**
 * Submits a flux-lora request to FAL's queue, polls its status until COMPLETED (within
 * `timeoutMs`, honouring the request's signal; a request given up is cancelled), reads the
 * result and downloads each picture with the same fetch (without the key: FAL's picture URLs
 * are public CDN links).
 */
export async function generateWithFal(
  connection: FalQueueConnection,
  settings: FalGenerationSettings,
  request: ImageRequest,
): Promise<GeneratedImage[]> {
  const input = generationInput(request);
  const signal = request.signal;
  signal?.throwIfAborted();
  const submitted = await callQueue(connection, 'POST', settings.model, { body: input, signal });
  if (!submitted.ok)
    throw providerFailed(`${settings.model} refused the request: ${submitted.message}`);
  const requestId = (submitted.body as { request_id?: unknown })?.request_id;
  if (typeof requestId !== 'string')
    throw providerFailed('the queue answered without a request_id.');
  const base = `${appOf(settings.model)}/requests/${encodeURIComponent(requestId)}`;
  const cancel = () => {
    callQueue(connection, 'PUT', `${base}/cancel`).catch(() => undefined);
  };

  const deadline = Date.now() + settings.timeoutMs;
  let status: FalQueueStatus;
  try {
    for (;;) {
      const answer = await callQueue(connection, 'GET', `${base}/status`, { signal });
      if (!answer.ok) throw providerFailed(`status of ${requestId}: ${answer.message}`);
      status = answer.body as FalQueueStatus;
      if (status?.status === 'COMPLETED') break;
      if (Date.now() + settings.pollIntervalMs > deadline) {
        cancel();
        throw providerFailed(
          `${settings.model} did not finish request ${requestId} within ${settings.timeoutMs} ms (it is ${status?.status ?? 'unknown'}).`,
        );
      }
      await sleep(settings.pollIntervalMs, signal);
    }
  } catch (error) {
    if (signal?.aborted) cancel();
    throw error;
  }

  const result = await callQueue(connection, 'GET', base, { signal });
  if (!result.ok) {
    throw providerFailed(`${settings.model} failed request ${requestId}: ${result.message}`);
  }
  if (status.error) throw providerFailed(`${settings.model} failed: ${status.error}`);
  const output = result.body as { images?: FalImageFile[]; prompt?: unknown };
  if (!Array.isArray(output?.images) || output.images.length === 0) {
    throw providerFailed(
      `${settings.model} answered without images: ${falMessage(output, 'no images')}`,
    );
  }
  const revised =
    typeof output.prompt === 'string' && output.prompt !== input.prompt ? output.prompt : undefined;
  return Promise.all(
    output.images.map(async (image) => ({
      ...(await download(connection, image, signal)),
      ...(revised ? { revisedPrompt: revised } : {}),
    })),
  );
}

async function download(
  connection: FalQueueConnection,
  image: FalImageFile,
  signal: AbortSignal | undefined,
): Promise<GeneratedImage> {
  let response: Response;
  try {
    response = await connection.fetch(image.url, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw providerFailed(`could not download the picture ${image.url}.`, error);
  }
  if (!response.ok) {
    throw providerFailed(`downloading the picture ${image.url} answered HTTP ${response.status}.`);
  }
  const data = new Uint8Array(await response.arrayBuffer());
  const mimeType =
    image.content_type ?? response.headers.get('content-type')?.split(';')[0] ?? 'image/png';
  const measured = pngSize(data);
  return {
    data,
    mimeType,
    width: image.width ?? measured?.width ?? 0,
    height: image.height ?? measured?.height ?? 0,
  };
}

/** Width and height from a PNG's IHDR, for results that do not state them. */
function pngSize(data: Uint8Array): { width: number; height: number } | undefined {
  if (data.length < 24 || data[0] !== 0x89 || data[1] !== 0x50) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
