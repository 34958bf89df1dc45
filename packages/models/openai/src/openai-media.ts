import { BotwireError, type BotwireErrorCode, redactSecret } from '@botwire/core';
import { loadOpenAi, type OpenAiConnectionOptions } from './openai-client';

/** Connection options of the OpenAI media drivers (images, transcription). */
export interface OpenAiMediaOptions extends OpenAiConnectionOptions {
  /**
   * Where to read `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID`
   * from when the options above leave them out (pass `process.env` explicitly; nothing else is read).
   */
  env?: Record<string, string | undefined>;
}

/** The connection options with the blanks filled from `env`, as `createModel` reads them. */
export function mediaConnection(options: OpenAiMediaOptions): OpenAiConnectionOptions {
  const read = (name: string) => {
    const value = options.env?.[name]?.trim();
    return value ? value : undefined;
  };
  const { env: _env, ...connection } = options;
  return {
    ...connection,
    apiKey: options.apiKey ?? read('OPENAI_API_KEY'),
    baseURL: options.baseURL ?? read('OPENAI_BASE_URL'),
    organization: options.organization ?? read('OPENAI_ORG_ID'),
    project: options.project ?? read('OPENAI_PROJECT_ID'),
  };
}

/** What failed, for the error's message: `OpenAI Images ("gpt-image-1")`. */
export interface MediaErrorContext {
  code: Extract<
    BotwireErrorCode,
    'BOTWIRE_IMAGE_PROVIDER_FAILED' | 'BOTWIRE_TRANSCRIPTION_FAILED' | 'BOTWIRE_SPEECH_FAILED'
  >;
  service: string;
  model: string;
  endpoint: string;
}

/**
 * Turns what the `openai` client threw into a BotwireError of `context.code`: the caller's abort
 * becomes the signal's reason; API errors keep the provider's message (with the key cut out),
 * status, error code and `Retry-After` in `details`.
 */
export async function toMediaError(
  error: unknown,
  context: MediaErrorContext,
  signal: AbortSignal | undefined,
  apiKey: string | undefined,
): Promise<unknown> {
  if (signal?.aborted) return signal.reason;
  const { APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError } =
    await loadOpenAi();
  const who = `${context.service} ("${context.model}")`;
  const details = { provider: 'openai', model: context.model };
  if (error instanceof APIUserAbortError) {
    return new DOMException(`The ${context.service} call was aborted.`, 'AbortError');
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new BotwireError(context.code, {
      message: `${who} did not answer within the client's timeout.`,
      details,
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new BotwireError(context.code, {
      message: `${who} could not be reached at ${context.endpoint}.`,
      hint: 'Check the network and OPENAI_BASE_URL.',
      details,
      cause: error.cause ?? error,
    });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const body = error.error as { message?: unknown } | undefined;
    const text =
      typeof body?.message === 'string' ? body.message : error.message.replace(/^\d+\s*/, '');
    const retryAfter = Number(error.headers?.get('retry-after'));
    return new BotwireError(context.code, {
      message: `${who} answered ${error.status}: ${redactSecret(text, apiKey)}`,
      ...(error.status === 401
        ? { hint: 'Check OPENAI_API_KEY (or the apiKey option) for this endpoint.' }
        : error.status === 429
          ? { hint: 'The provider is rate limiting or out of quota; try again later.' }
          : {}),
      details: {
        ...details,
        status: error.status,
        providerCode: error.code ?? error.type ?? null,
        ...(Number.isFinite(retryAfter) && retryAfter >= 0
          ? { retryAfterMs: retryAfter * 1000 }
          : {}),
      },
    });
  }
  if (error instanceof BotwireError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new BotwireError(context.code, {
    message: `${who} failed: ${redactSecret(text, apiKey)}`,
    details,
    cause: error,
  });
}
