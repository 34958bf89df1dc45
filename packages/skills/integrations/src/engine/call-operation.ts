import { BotwireError, type EgressResponse, isBotwireError } from '@botwire/core';
import {
  applyAuth,
  type Credentials,
  credentialSecrets,
  type EgressFetchFunction,
  requestAccessToken,
  requireCredentials,
  safeUrl,
} from './auth';
import { type BuiltRequest, buildRequest } from './build-request';
import { integrationError, redact } from './integration-errors';
import { OAuthTokenCache } from './oauth-token-cache';
import { type AuthScheme, isIdempotentMethod, type Operation } from './operation';
import { readResponseBody, visibleHeaders } from './response-body';

/** One call of an operation. */
export interface CallRequest {
  /** The URL the operation's path is appended to, such as `https://api.example.com/v1`. */
  baseUrl: string;
  operation: Operation;
  /** The arguments, already validated against `operation.inputSchema` by the caller. */
  args: Record<string, unknown>;
  /** The auth to send; usually `operation.security` or the definition's `auth`. */
  auth?: AuthScheme;
  credentials?: Credentials;
  /** The bot's egress fetch: every request, the token endpoint's too, goes through it. */
  fetch: EgressFetchFunction;
  /** The longest the whole call may take, retries and token requests included. Default 15000. */
  timeoutMs?: number;
  /** The largest body read; a larger one is cut and marked. Default 1 MiB. */
  maxResponseBytes?: number;
  /**
   * How many times a GET, HEAD, OPTIONS, PUT or DELETE is repeated after a network error,
   * 429, 502, 503 or 504 (never a POST or PATCH). Default 2.
   */
  retries?: number;
  /** Keeps OAuth2 access tokens between calls; without one each call asks for a new token. */
  tokenCache?: OAuthTokenCache;
  signal?: AbortSignal;
}

/** What an API answered. A 4xx or 5xx status is a result, not an error. */
export interface CallResult {
  status: number;
  /** True for a 2xx status. */
  ok: boolean;
  /** The response headers in lower case, without set-cookie or authorization. */
  headers: Record<string, string>;
  /** Parsed JSON, else text; `null` when empty. A body past the cap is text ending in a marker. */
  body: unknown;
  /** True when the body was cut at `maxResponseBytes`. */
  truncated: boolean;
  /** From the first request to the last byte, retries included. */
  durationMs: number;
  /** The final URL, without user info, and without its query when an API key is in the query. */
  url: string;
  /** How many requests were sent to the API (token requests not counted). */
  attempts: number;
}

const retryStatuses = new Set([429, 502, 503, 504]);
/** The longest `Retry-After` honoured; a longer one ends the retries. */
const maxRetryAfterMs = 5000;

/**
 * Calls an operation: builds its URL, headers and body from the arguments, adds the auth
 * (for oauth2, an access token from the token endpoint, kept in `tokenCache`), sends it
 * through the injected egress fetch, retries idempotent methods on network errors, 429 and
 * 502/503/504 (with a short backoff, or `Retry-After` up to 5 s), and reads the answer.
 *
 * With oauth2, a 401 for a kept token drops it, fetches a new one once and repeats the request
 * once; if the token endpoint refuses, or the API answers 401 again (or 401 for a token just
 * issued), the call fails with BOTWIRE_INTEGRATION_AUTH_FAILED. A missing credential fails with
 * BOTWIRE_INTEGRATION_CREDENTIALS_MISSING, naming it. Errors of the egress policy (blocked,
 * timeout, too large, failed) propagate as they are, except that a secret in them is redacted.
 * No message, result or error ever holds a credential.
 *
 * @example
 * const result = await callOperation({
 *   baseUrl: 'https://api.example.com', operation, args: { petId: 1 },
 *   auth: operation.security, credentials: { token }, fetch: (url, init) => egressFetch(policy, url, init),
 * });
 */
export async function callOperation(request: CallRequest): Promise<CallResult> {
  const started = performance.now();
  const timeoutMs = request.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  const limit = request.maxResponseBytes ?? 1024 * 1024;
  const credentials = request.credentials ?? {};
  const auth = request.auth;
  const secrets = credentialSecrets(credentials);
  const built = buildRequest(request.baseUrl, request.operation, request.args);
  if (auth) requireCredentials(auth, credentials);
  const hideQuery = auth?.type === 'apiKey' && auth.in === 'query';
  const context: SendContext = { request, built, deadline, timeoutMs, limit, secrets, hideQuery };

  let sent: Sent;
  if (auth?.type === 'oauth2') {
    sent = await callWithOAuth(context, auth);
  } else {
    if (auth) applyAuth(built, auth, credentials);
    sent = await send(context);
  }
  const { body, truncated } = readResponseBody(sent.response, limit, secrets);
  return {
    status: sent.response.status,
    ok: sent.response.ok,
    headers: visibleHeaders(sent.response.headers, secrets),
    body,
    truncated,
    durationMs: Math.round(performance.now() - started),
    url: displayUrl(sent.response.url || built.url.href, hideQuery),
    attempts: sent.attempts,
  };
}

interface SendContext {
  request: CallRequest;
  built: BuiltRequest;
  deadline: number;
  timeoutMs: number;
  limit: number;
  secrets: string[];
  hideQuery: boolean;
}

interface Sent {
  response: EgressResponse;
  attempts: number;
}

async function callWithOAuth(
  context: SendContext,
  auth: Extract<AuthScheme, { type: 'oauth2' }>,
): Promise<Sent> {
  const { request, built } = context;
  const { clientId, clientSecret } = request.credentials as Required<
    Pick<Credentials, 'clientId' | 'clientSecret'>
  >;
  const tokenUrl = new URL(auth.tokenUrl, `${request.baseUrl.replace(/\/+$/, '')}/`).href;
  const cache = request.tokenCache ?? new OAuthTokenCache();
  const key = OAuthTokenCache.key(tokenUrl, clientId, clientSecret, auth.scopes);
  const issue = () =>
    guard(
      () =>
        requestAccessToken({
          tokenUrl,
          clientId,
          clientSecret,
          ...(auth.scopes ? { scopes: auth.scopes } : {}),
          fetch: request.fetch,
          timeoutMs: remaining(context),
          ...(request.signal ? { signal: request.signal } : {}),
        }),
      context.secrets,
    );
  const first = await cache.obtain(key, issue);
  context.secrets.push(first.token);
  applyAuth(built, auth, request.credentials, first.token);
  const sent = await send(context);
  if (sent.response.status !== 401) return sent;
  cache.delete(key);
  const where = safeUrl(built.url.href);
  if (!first.cached)
    throw authFailed(
      `${where} refused the OAuth2 access token it was just issued (HTTP 401); the token was refused and could not be renewed.`,
      tokenUrl,
      context.secrets,
    );
  let renewed: { token: string };
  try {
    renewed = await cache.obtain(key, issue);
  } catch (error) {
    if (isBotwireError(error) && isBotwireError(error, 'BOTWIRE_INTEGRATION_AUTH_FAILED'))
      throw authFailed(
        `${where} refused the kept OAuth2 access token (HTTP 401; it expired or was revoked), and it could not be renewed: ${error.message}`,
        tokenUrl,
        context.secrets,
      );
    throw error;
  }
  context.secrets.push(renewed.token);
  applyAuth(built, auth, request.credentials, renewed.token);
  const again = await send(context);
  const attempts = sent.attempts + again.attempts;
  if (again.response.status !== 401) return { response: again.response, attempts };
  cache.delete(key);
  throw authFailed(
    `${where} refused the OAuth2 access token (HTTP 401), even after it was renewed; the token was refused or expired and could not be renewed.`,
    tokenUrl,
    context.secrets,
  );
}

function authFailed(message: string, tokenUrl: string, secrets: readonly string[]): BotwireError {
  return integrationError('BOTWIRE_INTEGRATION_AUTH_FAILED', redact(message, secrets), {
    hint: 'Check the client id, the client secret and the scopes of the integration (and that this client may call this API), then connect it again.',
    details: { tokenUrl: safeUrl(tokenUrl) },
  });
}

function remaining(context: SendContext): number {
  const left = context.deadline - Date.now();
  if (left <= 0) throw timedOut(context);
  return left;
}

function timedOut(context: SendContext): BotwireError {
  const where = displayUrl(context.built.url.href, context.hideQuery);
  return new BotwireError('BOTWIRE_EGRESS_TIMEOUT', {
    message: `${where} did not answer within ${context.timeoutMs} ms.`,
    details: { url: where, timeoutMs: context.timeoutMs },
  });
}

/** Sends the built request, repeating it as {@link CallRequest.retries} allows. */
async function send(context: SendContext): Promise<Sent> {
  const { request, built } = context;
  const retries = isIdempotentMethod(request.operation.method)
    ? Math.max(0, request.retries ?? 2)
    : 0;
  for (let attempt = 1; ; attempt++) {
    const left = remaining(context);
    // The egress fetch enforces `timeoutMs`; the guard is for fetches that ignore it.
    const guardSignal = AbortSignal.timeout(left + 1000);
    const signal = request.signal ? AbortSignal.any([request.signal, guardSignal]) : guardSignal;
    let response: EgressResponse;
    try {
      response = await guard(
        () =>
          request.fetch(built.url.href, {
            method: request.operation.method,
            headers: built.headers,
            ...(built.body === undefined ? {} : { body: built.body }),
            timeoutMs: left,
            maxResponseBytes: context.limit,
            truncate: true,
            signal,
          }),
        context.secrets,
      );
    } catch (error) {
      if (guardSignal.aborted && !request.signal?.aborted && !isBotwireError(error))
        throw timedOut(context);
      const wait = backoff(attempt);
      if (
        attempt <= retries &&
        isBotwireError(error, 'BOTWIRE_EGRESS_FAILED') &&
        fits(context, wait)
      ) {
        await sleep(wait, request.signal);
        continue;
      }
      throw error;
    }
    if (attempt <= retries && retryStatuses.has(response.status)) {
      const wait = retryAfter(response.headers.get('retry-after')) ?? backoff(attempt);
      if (wait <= maxRetryAfterMs && fits(context, wait)) {
        await sleep(wait, request.signal);
        continue;
      }
    }
    return { response, attempts: attempt };
  }
}

const backoff = (attempt: number) => 200 * 2 ** (attempt - 1) + Math.floor(Math.random() * 100);

/** True when waiting `ms` still leaves time for a request. */
const fits = (context: SendContext, ms: number) => Date.now() + ms + 100 < context.deadline;

/** The wait a `Retry-After` header asks for, in ms (seconds or an HTTP date). */
export function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Runs a request; a BotwireError that quotes a secret (an egress error naming a URL with the
 * API key in its query) is raised again with the same code, the secret redacted. Any other
 * error passes unchanged.
 */
async function guard<T>(run: () => Promise<T>, secrets: readonly string[]): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isBotwireError(error)) throw error;
    const text = JSON.stringify([error.message, error.hint, error.details, error.problems]);
    if (redact(text, secrets) === text) throw error;
    throw new BotwireError(error.code, {
      message: redact(error.message, secrets),
      ...(error.hint ? { hint: redact(error.hint, secrets) } : {}),
      details: redactedDetails(error.details, secrets),
      problems: error.problems.map((problem) => ({
        ...problem,
        message: redact(problem.message, secrets),
      })),
    });
  }
}

function redactedDetails(details: Record<string, unknown>, secrets: readonly string[]) {
  try {
    return JSON.parse(redact(JSON.stringify(details), secrets)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** A URL for a result: no user info or fragment, and no query when it holds the API key. */
function displayUrl(url: string, hideQuery: boolean): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.hash = '';
    if (hideQuery) parsed.search = '';
    return parsed.href;
  } catch {
    return url;
  }
}
