import { BotwireError, isBotwireError } from '../errors/botwire-error';

/** Who a model error is about: the provider and model, and the endpoint when there is one. */
export interface ModelErrorContext {
  /** `openai`, `ollama`, ... */
  provider: string;
  model: string;
  /** The endpoint's URL; credentials and query strings are removed before it is shown. */
  endpoint?: string;
}

/** An HTTP error answer of a model endpoint, as a driver saw it. */
export interface ModelHttpFailure {
  status: number;
  /** The provider's error message, if the body had one. */
  message?: string;
  /** The `Retry-After` header: seconds or an HTTP date. */
  retryAfter?: string | null;
  /** The non-standard `retry-after-ms` header some OpenAI-compatible endpoints send. */
  retryAfterMs?: string | null;
  /** The provider's own error type or code, such as `invalid_api_key`. */
  providerCode?: string | null;
  /** Replaces the hint chosen from the status. */
  hint?: string;
}

/**
 * Reads a `Retry-After` value (`"2"`, `"0.5"` or an HTTP date) as milliseconds from `now`.
 * Undefined when the value is missing or not understood; never negative.
 *
 * @example
 * parseRetryAfter('2'); // 2000
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The endpoint URL without user, password, query or fragment, safe to show. */
export function safeEndpoint(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/$/, '')}`;
  } catch {
    return undefined;
  }
}

/** Replaces every occurrence of `secret` in `text` with `***` (no-op for short or missing secrets). */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('***');
}

const label = (context: ModelErrorContext) => {
  const endpoint = safeEndpoint(context.endpoint);
  return `The ${context.provider} model "${context.model}"${endpoint ? ` at ${endpoint}` : ''}`;
};

const baseDetails = (context: ModelErrorContext) => ({
  provider: context.provider,
  model: context.model,
  ...(safeEndpoint(context.endpoint) ? { endpoint: safeEndpoint(context.endpoint) } : {}),
});

function hintForStatus(status: number): string | undefined {
  if (status === 401 || status === 403) return 'Check the API key the model driver uses.';
  if (status === 404) return 'Check the model name and the base URL (or host) of the endpoint.';
  if (status === 429) return 'Wait and try again, or lower the request rate.';
  if (status >= 500) return 'The endpoint had a server error; try again later.';
  if (status >= 400) return 'The request was rejected; the message above says which field.';
  return undefined;
}

/**
 * The BotwireError for an HTTP error answer: 429 → `BOTWIRE_MODEL_RATE_LIMITED` (with
 * `details.retryAfterMs` when the endpoint said when to retry), anything else →
 * `BOTWIRE_MODEL_FAILED`. `details.status` always carries the status. Shared by every driver.
 *
 * @example
 * throw modelErrorFromStatus({ provider: 'ollama', model }, { status: 429, retryAfter: '3' });
 */
export function modelErrorFromStatus(
  context: ModelErrorContext,
  failure: ModelHttpFailure,
): BotwireError {
  const headerMs = failure.retryAfterMs?.trim() ? Number(failure.retryAfterMs) : Number.NaN;
  const retryAfterMs =
    Number.isFinite(headerMs) && headerMs >= 0
      ? Math.round(headerMs)
      : parseRetryAfter(failure.retryAfter);
  const said = failure.message ? `: ${failure.message}` : '.';
  const details = {
    ...baseDetails(context),
    status: failure.status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(failure.providerCode ? { providerCode: failure.providerCode } : {}),
  };
  const hint = failure.hint ?? hintForStatus(failure.status);
  if (failure.status === 429) {
    return new BotwireError('BOTWIRE_MODEL_RATE_LIMITED', {
      message: `${label(context)} is rate limited (HTTP 429)${said}`,
      ...(hint ? { hint } : {}),
      details,
    });
  }
  return new BotwireError('BOTWIRE_MODEL_FAILED', {
    message: `${label(context)} answered HTTP ${failure.status}${said}`,
    ...(hint ? { hint } : {}),
    details,
  });
}

/** `BOTWIRE_MODEL_UNAVAILABLE`: the endpoint could not be reached (refused, reset, DNS, ...). */
export function modelUnavailable(context: ModelErrorContext, cause?: unknown): BotwireError {
  const reason = describeCause(cause);
  return new BotwireError('BOTWIRE_MODEL_UNAVAILABLE', {
    message: `${label(context)} could not be reached${reason ? ` (${reason})` : ''}.`,
    hint: 'Check that the endpoint is running and that its URL is right.',
    details: baseDetails(context),
    cause,
  });
}

/** `BOTWIRE_MODEL_TIMEOUT`: no answer within `timeoutMs`. */
export function modelTimeout(
  context: ModelErrorContext,
  timeoutMs: number,
  what = 'timeout',
): BotwireError {
  return new BotwireError('BOTWIRE_MODEL_TIMEOUT', {
    message: `${label(context)} did not answer within ${timeoutMs} ms (${what}).`,
    hint: 'Raise the timeout, use a smaller model, or check the endpoint.',
    details: { ...baseDetails(context), timeoutMs },
  });
}

/** `BOTWIRE_MODEL_BAD_RESPONSE`: the endpoint answered, but not with a usable response. */
export function modelBadResponse(
  context: ModelErrorContext,
  problem: string,
  cause?: unknown,
): BotwireError {
  return new BotwireError('BOTWIRE_MODEL_BAD_RESPONSE', {
    message: `${label(context)} sent a response that is not usable: ${problem}`,
    details: baseDetails(context),
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The `code` of a low-level error and its causes (`ECONNREFUSED`, ...), for messages. */
function describeCause(cause: unknown): string | undefined {
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The HTTP status a model error carries in `details.status`, if any. */
export function modelErrorStatus(error: unknown): number | undefined {
  if (!isBotwireError(error)) return undefined;
  const status = error.details.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * True for model errors worth another attempt: rate limits, unreachable endpoints and 5xx
 * answers; timeouts only when `retryOnTimeout` is set. Never other 4xx answers.
 */
export function isRetryableModelError(error: unknown, options: { retryOnTimeout?: boolean } = {}) {
  if (!isBotwireError(error)) return false;
  switch (error.code) {
    case 'BOTWIRE_MODEL_RATE_LIMITED':
    case 'BOTWIRE_MODEL_UNAVAILABLE':
      return true;
    case 'BOTWIRE_MODEL_TIMEOUT':
      return options.retryOnTimeout === true;
    case 'BOTWIRE_MODEL_FAILED': {
      const status = modelErrorStatus(error);
      return status !== undefined && status >= 500;
    }
    default:
      return false;
  }
}
