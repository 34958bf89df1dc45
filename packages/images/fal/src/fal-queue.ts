import { BotwireError } from '@botwire/core';

/** Where a request is, as FAL's queue status endpoint says. */
export interface FalQueueStatus {
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED';
  queue_position?: number;
  logs?: { message: string }[] | null;
  /** Set on a request that failed (FAL's request error types). */
  error?: string | null;
  error_type?: string | null;
}

/** What went wrong with a call to FAL: HTTP status and FAL's own words. */
export interface FalFailure {
  status: number;
  message: string;
}

/** How the driver reaches FAL's queue: its base URL, the key and the fetch to use. */
export interface FalQueueConnection {
  queueUrl: string;
  apiKey: string;
  fetch: typeof fetch;
}

/**
 * The app of an endpoint: `owner/name` without the subpath (`fal-ai/flux/dev` → `fal-ai/flux`).
 * FAL's docs: the subpath is used to submit, but not for status or result.
 */
export function appOf(model: string): string {
  return model.split('/').slice(0, 2).join('/');
}

/** FAL's error words from a body: `detail` as a string or a list of `{ loc, msg }`, or `error`. */
export function falMessage(body: unknown, fallback: string): string {
  if (!body || typeof body !== 'object') return fallback;
  const { detail, error, message } = body as Record<string, unknown>;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    const parts = detail.map((item) => {
      if (!item || typeof item !== 'object') return String(item);
      const { loc, msg } = item as { loc?: unknown; msg?: unknown };
      const where = Array.isArray(loc) ? loc.filter((part) => part !== 'body').join('.') : '';
      return where ? `${where}: ${String(msg)}` : String(msg);
    });
    if (parts.length) return parts.join('; ');
  }
  if (typeof error === 'string') return error;
  if (typeof message === 'string') return message;
  return fallback;
}

/** A BOTWIRE_IMAGE_PROVIDER_FAILED with FAL's message (the key is never part of it). */
export function providerFailed(message: string, cause?: unknown): BotwireError {
  return new BotwireError('BOTWIRE_IMAGE_PROVIDER_FAILED', {
    message: `FAL: ${message}`,
    hint: 'Check FAL_KEY, the model name and the input; https://fal.ai/dashboard shows the request.',
    cause,
  });
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/**
 * One call to FAL's queue API with `Authorization: Key …`. Resolves with the JSON body of a 2xx
 * answer, or with a {@link FalFailure} for any other answer; a network error becomes
 * BOTWIRE_IMAGE_PROVIDER_FAILED, an abort rethrows the signal's reason.
 */
export async function callQueue(
  connection: FalQueueConnection,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: { body?: unknown; signal?: AbortSignal | undefined } = {},
): Promise<{ ok: true; body: unknown } | ({ ok: false } & FalFailure)> {
  let response: Response;
  try {
    response = await connection.fetch(`${connection.queueUrl}/${path}`, {
      method,
      headers: {
        authorization: `Key ${connection.apiKey}`,
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw providerFailed(`could not reach ${connection.queueUrl} (${describe(error)}).`, error);
  }
  const body = await readJson(response).catch((error: unknown) => {
    if (options.signal?.aborted) throw options.signal.reason;
    throw providerFailed(`the answer from ${connection.queueUrl} broke off.`, error);
  });
  if (response.ok) return { ok: true, body };
  return {
    ok: false,
    status: response.status,
    message: falMessage(body, `HTTP ${response.status} ${response.statusText}`.trim()),
  };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
