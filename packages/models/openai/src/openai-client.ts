import {
  BotwireError,
  isBotwireError,
  type ModelErrorContext,
  modelBadResponse,
  modelErrorFromStatus,
  modelUnavailable,
  redactSecret,
} from '@botwire/core';
import type OpenAI from 'openai';

/** Connection options shared by the OpenAI chat and embedding models. */
export interface OpenAiConnectionOptions {
  /** The API key. Optional for an OpenAI-compatible `baseURL` that needs none. */
  apiKey?: string;
  /** An OpenAI-compatible endpoint, such as `http://localhost:8000/v1` (default: OpenAI's). */
  baseURL?: string;
  organization?: string;
  project?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** A ready `openai` client; the options above are then ignored. */
  client?: OpenAI;
}

type OpenAiModule = typeof import('openai');

let loading: Promise<OpenAiModule> | undefined;

/** Imports the `openai` package once, on first use. */
export function loadOpenAi(): Promise<OpenAiModule> {
  loading ??= import('openai');
  return loading;
}

const defaultBaseURL = 'https://api.openai.com/v1';

/** Checks the options at creation, so a missing key fails at start-up and not on the first message. */
export function checkConnectionOptions(options: OpenAiConnectionOptions, model: string): void {
  if (typeof model !== 'string' || model.trim() === '') {
    throw new BotwireError('BOTWIRE_MODEL_NOT_CONFIGURED', {
      message: 'The OpenAI model driver needs a model name, such as gpt-4o-mini.',
    });
  }
  if (!options.client && !options.apiKey && !options.baseURL) {
    throw new BotwireError('BOTWIRE_MODEL_NOT_CONFIGURED', {
      message: `The OpenAI model "${model}" has no API key.`,
      hint: 'Set OPENAI_API_KEY, or OPENAI_BASE_URL for an OpenAI-compatible endpoint that needs no key.',
      details: { provider: 'openai', model },
    });
  }
}

/** The client to use: the injected one, or one made (once) from the options with retries off. */
export function clientFactory(options: OpenAiConnectionOptions): () => Promise<OpenAI> {
  let client: Promise<OpenAI> | undefined = options.client
    ? Promise.resolve(options.client)
    : undefined;
  return () => {
    client ??= loadOpenAi().then(
      ({ default: Client }) =>
        new Client({
          // The client refuses to start without a key; an endpoint that needs none gets no
          // Authorization header at all (the header is removed below).
          apiKey: options.apiKey ?? 'no-key',
          baseURL: options.baseURL ?? defaultBaseURL,
          organization: options.organization ?? null,
          project: options.project ?? null,
          maxRetries: 0,
          defaultHeaders: {
            ...options.headers,
            ...(options.apiKey ? {} : { Authorization: null }),
          },
        }),
    );
    return client;
  };
}

/** The endpoint a model talks to, for error messages. */
export function endpointOf(options: OpenAiConnectionOptions): string {
  return options.client?.baseURL ?? options.baseURL ?? defaultBaseURL;
}

/**
 * Turns what the `openai` client threw into a Botwire model error: the caller's abort becomes
 * the signal's reason, timeouts and connection errors get their codes, API errors keep their
 * status and `Retry-After`. The API key never appears in the result.
 */
export async function toModelError(
  error: unknown,
  context: ModelErrorContext,
  signal: AbortSignal | undefined,
  apiKey: string | undefined,
): Promise<unknown> {
  if (signal?.aborted) return signal.reason;
  const { APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError } =
    await loadOpenAi();
  if (error instanceof APIUserAbortError) {
    return new DOMException('The model call was aborted.', 'AbortError');
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new BotwireError('BOTWIRE_MODEL_TIMEOUT', {
      message: `The openai model "${context.model}" did not answer within the client's timeout.`,
      details: { provider: context.provider, model: context.model },
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) return modelUnavailable(context, error.cause ?? error);
  if (error instanceof APIError && typeof error.status === 'number') {
    const body = error.error as { message?: unknown } | undefined;
    const message =
      typeof body?.message === 'string' ? body.message : error.message.replace(/^\d+\s*/, '');
    return modelErrorFromStatus(context, {
      status: error.status,
      message: redactSecret(message, apiKey),
      retryAfter: error.headers?.get('retry-after'),
      retryAfterMs: error.headers?.get('retry-after-ms'),
      providerCode: error.code ?? error.type ?? null,
      ...(error.status === 401
        ? { hint: 'Check OPENAI_API_KEY (or the apiKey option) for this endpoint.' }
        : {}),
    });
  }
  if (isBotwireError(error)) return error;
  const text = error instanceof Error ? error.message : String(error);
  return modelBadResponse(context, redactSecret(text, apiKey), error);
}
