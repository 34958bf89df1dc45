/**
 * The image generation port: pictures from a prompt, and (for providers that can) a personal
 * model trained on someone's photos that later pictures draw them with. Drivers: the embedded
 * preview (no account, a local stand-in labelled as a preview), OpenAI Images, FAL.
 */

/** A width and height in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

/** One request for pictures. */
export interface ImageRequest {
  /** What to draw; at most the driver's {@link ImageGenerator.maxPromptLength} characters. */
  prompt: string;
  /** A personal model from {@link ImageGenerator.train} (the provider's id of its weights), to draw its person. */
  model?: string;
  /** The word the personal model knows its person by (`TOK`), when the prompt should use it. */
  triggerWord?: string;
  /** Default 1024 × 1024; drivers round to the nearest size the provider makes. */
  size?: ImageSize;
  /** How many pictures, 1 to 4. Default 1. */
  count?: number;
  /** Makes the result repeatable where the provider allows. */
  seed?: number;
  signal?: AbortSignal;
}

/** One picture a driver made. */
export interface GeneratedImage {
  data: Uint8Array;
  /** `image/png`, `image/jpeg`, `image/webp`. */
  mimeType: string;
  width: number;
  height: number;
  /** True for a local stand-in (the embedded preview driver), not a provider's picture. */
  preview?: boolean;
  /** The prompt the provider says it used, when it rewrote it. */
  revisedPrompt?: string;
}

/** What kind of personal model to train. */
export type TrainingKind = 'portrait' | 'style';

/** A request to train a personal model on someone's photos. */
export interface TrainingRequest {
  /** A zip archive of the photos (JPEG or PNG), as providers take them. */
  archive: Uint8Array;
  kind: TrainingKind;
  /** The word prompts use for the person (`TOK`). */
  triggerWord: string;
  /** Training steps; the driver has a default per kind. */
  steps?: number;
  /** Where the provider reports the end of the job, when the driver supports webhooks. */
  webhookUrl?: string;
  signal?: AbortSignal;
}

/** Where a training job is, as the provider says. */
export type TrainingStatus =
  | { state: 'queued'; position?: number }
  | { state: 'running'; logs?: string[] }
  | { state: 'completed'; model: string }
  | { state: 'failed'; error: string };

/** A provider's webhook call, read: the job it is about and where that job is. */
export interface TrainingUpdate {
  jobId: string;
  status: TrainingStatus;
}

/**
 * An image generation driver. Every driver passes `runImageGeneratorContract` from
 * `@botwire/core/contract-suites`. Errors are BotwireErrors: `BOTWIRE_IMAGE_PROMPT_TOO_LONG`
 * for a prompt over the limit (checked before any request), `BOTWIRE_IMAGE_PROVIDER_FAILED`
 * when the provider refused or failed.
 */
export interface ImageGenerator {
  /** `preview`, `openai`, `fal`, ... */
  readonly name: string;
  /** The longest prompt the provider takes, in characters. */
  readonly maxPromptLength: number;
  /** Makes the pictures; resolves when they are ready (drivers poll or wait for the provider). */
  generate(request: ImageRequest): Promise<GeneratedImage[]>;
  /** Starts training a personal model and resolves with the provider's job id. Absent when the driver cannot train. */
  train?(request: TrainingRequest): Promise<{ jobId: string }>;
  /** Where a training job is now. */
  trainingStatus?(jobId: string, options?: { signal?: AbortSignal }): Promise<TrainingStatus>;
  /**
   * Reads a webhook call of the provider about a training job; throws BOTWIRE_INVALID_ARGUMENT
   * for a body that is not one (the caller answers 400).
   */
  parseWebhook?(body: unknown): TrainingUpdate;
}
