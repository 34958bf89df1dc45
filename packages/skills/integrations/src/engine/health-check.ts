import { type Credentials, credentialSecrets, type EgressFetchFunction } from './auth';
import { callOperation } from './call-operation';
import type { HealthDefinition } from './definition';
import { redact } from './integration-errors';
import type { OAuthTokenCache } from './oauth-token-cache';
import type { AuthScheme, Operation } from './operation';

/** What {@link checkHealth} needs. */
export interface HealthCheckRequest {
  baseUrl: string;
  health: HealthDefinition;
  auth?: AuthScheme;
  credentials?: Credentials;
  fetch: EgressFetchFunction;
  /** Default 10000. */
  timeoutMs?: number;
  tokenCache?: OAuthTokenCache;
  signal?: AbortSignal;
}

/** How a health check went. */
export interface HealthCheckResult {
  /** True when the status is `expectStatus` (any 2xx when there is none). */
  ok: boolean;
  /** The HTTP status; 0 when no answer came. */
  status: number;
  durationMs: number;
  /** The first 300 characters of the body. */
  preview: string;
  /** Why it is not ok, for people. */
  error?: string;
}

const previewLength = 300;

/**
 * Sends an integration's health request once (no retries) and reports how it went. It never
 * throws: a wrong status, a refused destination, a timeout or a missing credential is an
 * `ok: false` result whose `error` says what happened.
 *
 * @example
 * const health = await checkHealth({ baseUrl, health: { path: '/health' }, fetch });
 * if (!health.ok) console.log(health.error);
 */
export async function checkHealth(request: HealthCheckRequest): Promise<HealthCheckResult> {
  const started = performance.now();
  const method = (request.health.method ?? 'GET').toUpperCase() as 'GET' | 'HEAD';
  const operation: Operation = {
    id: 'health',
    method,
    path: request.health.path,
    parameters: [],
    inputSchema: { type: 'object', properties: {}, required: [], additionalProperties: false },
    sideEffect: false,
    tags: [],
  };
  try {
    const result = await callOperation({
      baseUrl: request.baseUrl,
      operation,
      args: {},
      fetch: request.fetch,
      retries: 0,
      timeoutMs: request.timeoutMs ?? 10_000,
      maxResponseBytes: 64 * 1024,
      ...(request.auth ? { auth: request.auth } : {}),
      ...(request.credentials ? { credentials: request.credentials } : {}),
      ...(request.tokenCache ? { tokenCache: request.tokenCache } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const expected = request.health.expectStatus;
    const ok = expected === undefined ? result.ok : result.status === expected;
    const text =
      typeof result.body === 'string'
        ? result.body
        : result.body === null
          ? ''
          : JSON.stringify(result.body);
    return {
      ok,
      status: result.status,
      durationMs: result.durationMs,
      preview: text.slice(0, previewLength),
      ...(ok
        ? {}
        : { error: `expected HTTP ${expected ?? '2xx'} from ${result.url}, got ${result.status}` }),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      status: 0,
      durationMs: Math.round(performance.now() - started),
      preview: '',
      error: redact(message, credentialSecrets(request.credentials)),
    };
  }
}
