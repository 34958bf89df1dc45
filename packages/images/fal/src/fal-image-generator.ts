import {
  BotwireError,
  type ImageGenerator,
  type TrainingStatus,
  type TrainingUpdate,
} from '@botwire/core';
import { generateWithFal } from './fal-generation';
import { appOf, type FalQueueConnection } from './fal-queue';
import {
  type FalTrainingModels,
  parseFalWebhook,
  readTrainingStatus,
  startTraining,
} from './fal-training';

/** Options of {@link falImageGenerator}. */
export interface FalImageGeneratorOptions {
  /** The FAL key (`<key id>:<secret>`). Default: `FAL_KEY` from `env`. */
  apiKey?: string;
  /** Where to read `FAL_KEY`. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** FAL's queue. Default `https://queue.fal.run`; a local peer's `queueUrl` in tests. */
  queueUrl?: string;
  /** The endpoint that makes pictures (flux-lora input and output). Default `fal-ai/flux-lora`. */
  generationModel?: string;
  /**
   * The trainers of personal models. Default `fal-ai/flux-lora-portrait-trainer` for portraits,
   * `fal-ai/flux-lora-fast-training` for styles.
   */
  trainingModel?: FalTrainingModels;
  /** How often generation asks the queue for its status. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How long generation waits for pictures before giving up (and cancelling). Default 300 000 ms. */
  timeoutMs?: number;
  /** The fetch to use, for the queue and for downloading pictures. Default the global fetch. */
  fetch?: typeof fetch;
}

/** An image generator that also trains personal models and reads FAL's webhooks. */
export type FalImageGenerator = ImageGenerator &
  Required<Pick<ImageGenerator, 'train' | 'trainingStatus' | 'parseWebhook'>>;

/**
 * Flux reads prompts through a T5 encoder of 512 tokens and drops the rest; at about four
 * characters a token, 2000 characters is the longest prompt it still reads whole.
 */
export const FAL_MAX_PROMPT_LENGTH = 2000;

/**
 * The FAL image generation driver: pictures from `fal-ai/flux-lora` (with a personal LoRA when
 * the request names one) and personal models from FAL's LoRA trainers, all through FAL's queue
 * API (submit, status, result; a webhook or polling for training).
 *
 * It speaks the queue's HTTP protocol with `fetch` rather than `@fal-ai/client`: that client
 * cannot be pointed at a local peer, and the protocol is four small calls.
 *
 * Job ids are FAL's request ids, so a webhook's `request_id` is the job id train() returned,
 * and a new driver (after a restart) finds the job by asking the configured trainers.
 *
 * @example
 * const images = falImageGenerator({ apiKey: process.env.FAL_KEY });
 * const { jobId } = await images.train({ archive: zip, kind: 'portrait', triggerWord: 'TOK' });
 * // later, from polling or from images.parseWebhook(body)
 * const status = await images.trainingStatus(jobId);
 * if (status.state === 'completed')
 *   await images.generate({ prompt: 'TOK as an astronaut', model: status.model, triggerWord: 'TOK' });
 */
export function falImageGenerator(options: FalImageGeneratorOptions = {}): FalImageGenerator {
  const apiKey = options.apiKey ?? (options.env ?? process.env).FAL_KEY;
  if (!apiKey?.trim()) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'The FAL image generator has no key: set FAL_KEY or pass apiKey.',
      hint: 'Create a key at https://fal.ai/dashboard/keys and set FAL_KEY=<key id>:<secret>.',
    });
  }
  const connection: FalQueueConnection = {
    queueUrl: (options.queueUrl ?? 'https://queue.fal.run').replace(/\/+$/, ''),
    apiKey: apiKey.trim(),
    fetch: options.fetch ?? globalThis.fetch,
  };
  const generation = {
    model: options.generationModel ?? 'fal-ai/flux-lora',
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    timeoutMs: options.timeoutMs ?? 300_000,
  };
  const trainers: FalTrainingModels = options.trainingModel ?? {
    portrait: 'fal-ai/flux-lora-portrait-trainer',
    style: 'fal-ai/flux-lora-fast-training',
  };
  const startedHere = new Map<string, string>();

  return {
    name: 'fal',
    maxPromptLength: FAL_MAX_PROMPT_LENGTH,

    async generate(request) {
      if (typeof request.prompt !== 'string' || !request.prompt.trim()) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message: 'The prompt is empty.' });
      }
      if (request.prompt.length > FAL_MAX_PROMPT_LENGTH) {
        throw new BotwireError('BOTWIRE_IMAGE_PROMPT_TOO_LONG', {
          message: `The prompt has ${request.prompt.length} characters; FAL's flux takes at most ${FAL_MAX_PROMPT_LENGTH}.`,
        });
      }
      return generateWithFal(connection, generation, request);
    },

    async train(request) {
      const { jobId, model } = await startTraining(connection, trainers, request);
      startedHere.set(jobId, model);
      return { jobId };
    },

    async trainingStatus(jobId, statusOptions): Promise<TrainingStatus> {
      const known = startedHere.get(jobId);
      const candidates = [known, trainers.portrait, trainers.style].filter(
        (model): model is string => typeof model === 'string',
      );
      // one question per app: status lives at owner/name, whatever the subpath
      const models = candidates.filter(
        (model, index) => candidates.findIndex((other) => appOf(other) === appOf(model)) === index,
      );
      const status = await readTrainingStatus(connection, models, jobId, statusOptions?.signal);
      if (status.state === 'completed' || status.state === 'failed') startedHere.delete(jobId);
      return status;
    },

    parseWebhook(body): TrainingUpdate {
      return parseFalWebhook(body);
    },
  };
}
