import {
  BotwireError,
  type GeneratedImage,
  type ImageGenerator,
  type ImageSize,
  readPngSize,
} from '@botwire/core';
import type OpenAI from 'openai';
import { checkConnectionOptions, clientFactory, endpointOf } from './openai-client';
import {
  type MediaErrorContext,
  mediaConnection,
  type OpenAiMediaOptions,
  toMediaError,
} from './openai-media';

/** Options of {@link openaiImageGenerator}. */
export interface OpenAiImageGeneratorOptions extends OpenAiMediaOptions {
  /** `gpt-image-1` (default), `gpt-image-1-mini`, `dall-e-3`, `dall-e-2`, or a compatible endpoint's model. */
  model?: 'gpt-image-1' | 'gpt-image-1-mini' | 'dall-e-3' | 'dall-e-2' | (string & {});
  /** Passed on as `quality` (`low`, `medium`, `high`, `auto` for GPT image models; `standard`, `hd` for DALL·E 3). */
  quality?: 'low' | 'medium' | 'high' | 'auto' | 'standard' | 'hd';
  /** Overrides the prompt limit known for the model (for a compatible endpoint's model). */
  maxPromptLength?: number;
}

interface ModelRules {
  maxPromptLength: number;
  /** The sizes the model makes; undefined for any size (multiples of 16, `gpt-image-2`). */
  sizes?: string[];
  /** DALL·E 3 makes one picture a request. */
  onePerRequest?: boolean;
  /** DALL·E models take `response_format`; GPT image models always answer base64. */
  responseFormat?: boolean;
}

const gptImageSizes = ['1024x1024', '1536x1024', '1024x1536'];

/** What OpenAI's image models take, from the API reference. Unknown models are treated as GPT image models. */
function rulesOf(model: string): ModelRules {
  if (model === 'dall-e-2') {
    return {
      maxPromptLength: 1000,
      sizes: ['256x256', '512x512', '1024x1024'],
      responseFormat: true,
    };
  }
  if (model === 'dall-e-3') {
    return {
      maxPromptLength: 4000,
      sizes: ['1024x1024', '1792x1024', '1024x1792'],
      onePerRequest: true,
      responseFormat: true,
    };
  }
  if (model.startsWith('gpt-image-2')) return { maxPromptLength: 32000 };
  return { maxPromptLength: 32000, sizes: gptImageSizes };
}

/**
 * The size string to ask for: of the sizes the model makes, the one nearest in shape (aspect
 * ratio), then in area; for a model that takes any size, the request rounded to multiples of 16
 * within 3:1 and 3840 × 2160 pixels.
 */
export function nearestImageSize(requested: ImageSize, sizes: string[] | undefined): string {
  const width = Math.max(1, requested.width);
  const height = Math.max(1, requested.height);
  if (!sizes) {
    const ratio = Math.min(3, Math.max(1 / 3, width / height));
    const area = Math.min(width * height, 3840 * 2160);
    const h = Math.sqrt(area / ratio);
    const round = (value: number) => Math.max(16, Math.round(value / 16) * 16);
    return `${round(h * ratio)}x${round(h)}`;
  }
  const score = (size: string) => {
    const [w, h] = size.split('x').map(Number) as [number, number];
    const shape = Math.abs(Math.log(width / height / (w / h)));
    return [Math.round(shape * 1e6), Math.abs(Math.log((width * height) / (w * h)))] as const;
  };
  return [...sizes].sort((a, b) => {
    const [sa, aa] = score(a);
    const [sb, ab] = score(b);
    return sa - sb || aa - ab;
  })[0]!;
}

const sniff = (bytes: Uint8Array): string | undefined => {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const text = String.fromCharCode(...bytes.subarray(0, 12));
  if (text.startsWith('RIFF') && text.endsWith('WEBP')) return 'image/webp';
  return undefined;
};

/**
 * The image generation driver for OpenAI Images (`/v1/images/generations`) and compatible
 * endpoints, through the `openai` client. It checks the prompt against the model's limit
 * before any request (`gpt-image-1` 32000 characters, `dall-e-3` 4000, `dall-e-2` 1000), asks
 * for the model's size nearest the requested one, and for DALL·E 3 (one picture a request) sends
 * `count` requests at once. Pictures come back as bytes (base64 from the API, or fetched when an
 * endpoint answers with URLs), with the size read from the PNG header. OpenAI cannot train or
 * draw with personal models: a request with `model` is refused with `BOTWIRE_INVALID_ARGUMENT`.
 * Provider errors become `BOTWIRE_IMAGE_PROVIDER_FAILED` with the provider's message.
 *
 * @example
 * const images = openaiImageGenerator({ env: process.env, model: 'gpt-image-1' });
 * const [picture] = await images.generate({ prompt: 'a watercolour fox', size: { width: 1536, height: 1024 } });
 */
export function openaiImageGenerator(options: OpenAiImageGeneratorOptions = {}): ImageGenerator {
  const connection = mediaConnection(options);
  const model = options.model ?? 'gpt-image-1';
  checkConnectionOptions(connection, model);
  const client = clientFactory(connection);
  const rules = rulesOf(model);
  const maxPromptLength = options.maxPromptLength ?? rules.maxPromptLength;
  const context: MediaErrorContext = {
    code: 'BOTWIRE_IMAGE_PROVIDER_FAILED',
    service: 'OpenAI Images',
    model,
    endpoint: endpointOf(connection),
  };
  const failed = (message: string) =>
    new BotwireError('BOTWIRE_IMAGE_PROVIDER_FAILED', {
      message: `OpenAI Images ("${model}") ${message}`,
    });

  async function toImage(
    item: OpenAI.Image,
    size: string,
    answer: OpenAI.ImagesResponse,
    signal: AbortSignal | undefined,
  ): Promise<GeneratedImage> {
    let data: Uint8Array;
    if (typeof item.b64_json === 'string') {
      data = new Uint8Array(Buffer.from(item.b64_json, 'base64'));
    } else if (typeof item.url === 'string') {
      const response = await fetch(item.url, signal ? { signal } : {});
      if (!response.ok) throw failed(`gave a picture URL that answered ${response.status}.`);
      data = new Uint8Array(await response.arrayBuffer());
    } else {
      throw failed('answered with a picture that has neither b64_json nor url.');
    }
    const mimeType = sniff(data);
    if (!mimeType) throw failed('answered with bytes that are not a PNG, JPEG or WebP picture.');
    // Some endpoints answer `auto` when they were asked for it; then the asked size stands.
    const answered: string | undefined = answer.size;
    const stated = (answered && answered !== 'auto' ? answered : size).split('x').map(Number);
    const { width, height } = readPngSize(data) ?? {
      width: stated[0] ?? 0,
      height: stated[1] ?? 0,
    };
    return {
      data,
      mimeType,
      width,
      height,
      ...(item.revised_prompt ? { revisedPrompt: item.revised_prompt } : {}),
    };
  }

  async function request(prompt: string, n: number, size: string, signal: AbortSignal | undefined) {
    const connected = await client();
    let answer: OpenAI.ImagesResponse;
    try {
      answer = await connected.images.generate(
        {
          model,
          prompt,
          n,
          size,
          ...(rules.responseFormat ? { response_format: 'b64_json' as const } : {}),
          ...(options.quality ? { quality: options.quality } : {}),
        },
        signal ? { signal } : {},
      );
    } catch (error) {
      throw await toMediaError(error, context, signal, connection.apiKey);
    }
    const items = answer?.data ?? [];
    if (items.length !== n)
      throw failed(`answered with ${items.length} pictures; ${n} were asked for.`);
    return Promise.all(items.map((item) => toImage(item, size, answer, signal)));
  }

  return {
    name: 'openai',
    maxPromptLength,
    async generate(call) {
      call.signal?.throwIfAborted();
      if (typeof call.prompt !== 'string' || call.prompt.trim() === '') {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: 'An image request needs a prompt: say what to draw.',
        });
      }
      if (call.prompt.length > maxPromptLength) {
        throw new BotwireError('BOTWIRE_IMAGE_PROMPT_TOO_LONG', {
          message: `The prompt has ${call.prompt.length} characters; OpenAI "${model}" takes at most ${maxPromptLength}.`,
        });
      }
      const count = call.count ?? 1;
      if (!Number.isInteger(count) || count < 1 || count > 4) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `An image request makes 1 to 4 pictures, not ${count}.`,
        });
      }
      if (call.model !== undefined) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `OpenAI Images cannot draw with a personal model ("${call.model}").`,
          hint: 'Use a driver that trains personal models (FAL) for requests with a model.',
        });
      }
      const size = nearestImageSize(call.size ?? { width: 1024, height: 1024 }, rules.sizes);
      if (!rules.onePerRequest) return request(call.prompt, count, size, call.signal);
      const batches = await Promise.all(
        Array.from({ length: count }, () => request(call.prompt, 1, size, call.signal)),
      );
      return batches.flat();
    },
  };
}
