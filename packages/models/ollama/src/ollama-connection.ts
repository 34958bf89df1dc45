import {
  isBotwireError,
  type ModelErrorContext,
  modelBadResponse,
  modelErrorFromStatus,
  modelUnavailable,
  redactSecret,
} from '@botwire/core';
import type { Ollama } from 'ollama';

/** Connection options shared by the Ollama chat and embedding models. */
export interface OllamaConnectionOptions {
  /** The Ollama server, such as `http://127.0.0.1:11434` or `gpu-box:11434` (default: the local one). */
  host?: string;
  /** Sent as `Authorization: Bearer <apiKey>` (ollama.com, or a proxy in front of Ollama). */
  apiKey?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * A ready `ollama` client. Its requests cannot be aborted (the client takes no signal for
   * non-streamed calls), so an abort or timeout only stops the waiting, and a 429's
   * `Retry-After` is not seen. Without it, the driver makes a client per call that can.
   */
  client?: Ollama;
  /** The fetch the driver's own clients use (default: the global fetch). */
  fetch?: typeof fetch;
}

type OllamaModule = typeof import('ollama');
let loading: Promise<OllamaModule> | undefined;

/** Imports the `ollama` package once, on first use. */
export function loadOllama(): Promise<OllamaModule> {
  loading ??= import('ollama');
  return loading;
}

/** The host a driver talks to, for messages. */
export const hostOf = (options: OllamaConnectionOptions) =>
  options.host ?? 'http://127.0.0.1:11434';

/** Rejects with the signal's reason when it aborts; for clients that ignore the signal. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A fetch for one call: it carries the call's signal (the `ollama` client passes none for
 * non-streamed requests), and turns error answers into Botwire errors itself, so the status,
 * the `Retry-After` header and the message survive (and the client logs nothing).
 */
function callFetch(
  options: OllamaConnectionOptions,
  context: ModelErrorContext,
  signal: AbortSignal | undefined,
): typeof fetch {
  const base = options.fetch ?? globalThis.fetch;
  return async (input, init) => {
    let response: Response;
    try {
      response = await base(input, { ...init, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw modelUnavailable(context, error);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let message = text.trim();
    try {
      const body = JSON.parse(text) as { error?: unknown };
      if (typeof body.error === 'string') message = body.error;
    } catch {
      // Not JSON: keep the text.
    }
    throw modelErrorFromStatus(context, {
      status: response.status,
      message: redactSecret(message.slice(0, 500), options.apiKey),
      retryAfter: response.headers.get('retry-after'),
      ...(response.status === 404
        ? { hint: `Pull the model first: ollama pull ${context.model}` }
        : {}),
    });
  };
}

/** What the `ollama` client (or the fetch under it) threw, as a Botwire model error. */
function toModelError(
  error: unknown,
  context: ModelErrorContext,
  signal: AbortSignal | undefined,
  apiKey: string | undefined,
): unknown {
  if (signal?.aborted) return signal.reason;
  if (isBotwireError(error)) return error;
  const named = error as { name?: string; status_code?: unknown; message?: string };
  if (named?.name === 'ResponseError' && typeof named.status_code === 'number') {
    return modelErrorFromStatus(context, {
      status: named.status_code,
      message: redactSecret(named.message ?? '', apiKey),
    });
  }
  if (error instanceof TypeError) return modelUnavailable(context, error);
  const text = error instanceof Error ? error.message : String(error);
  return modelBadResponse(context, redactSecret(text, apiKey), error);
}

/** Runs one call with a client that honours `signal`, mapping every failure to a model error. */
export function ollamaCaller(options: OllamaConnectionOptions, context: ModelErrorContext) {
  const headers = {
    ...options.headers,
    ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}),
  };
  return async <T>(signal: AbortSignal | undefined, run: (client: Ollama) => Promise<T>) => {
    if (signal?.aborted) throw signal.reason;
    try {
      if (options.client) return await raceSignal(run(options.client), signal);
      const { Ollama: Client } = await loadOllama();
      const client = new Client({
        ...(options.host ? { host: options.host } : {}),
        headers,
        fetch: callFetch(options, context, signal),
      });
      return await run(client);
    } catch (error) {
      throw toModelError(error, context, signal, options.apiKey);
    }
  };
}
