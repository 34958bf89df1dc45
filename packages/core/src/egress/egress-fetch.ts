import { createRequire } from 'node:module';
import type * as Undici from 'undici';
import type { Agent, buildConnector, Dispatcher } from 'undici';
import { BotwireError, isBotwireError } from '../errors/botwire-error';
import { type EgressPolicy, egressBlockedError } from './egress-policy';

/** What {@link egressFetch} takes besides fetch's own options. */
export interface EgressRequestInit extends RequestInit {
  /** The largest body read, in bytes; the policy's `maxResponseBytes` is the ceiling (and the default). */
  maxResponseBytes?: number;
  /** How long the whole request may take, redirects and body included; the policy's `timeoutMs` is the ceiling (and the default). */
  timeoutMs?: number;
  /** Keep the first `maxResponseBytes` of a larger body (and set `truncated`) instead of failing. */
  truncate?: boolean;
}

/** A response read whole by {@link egressFetch}. */
export interface EgressResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  /** True for a 2xx status. */
  ok: boolean;
  headers: Headers;
  body: Uint8Array;
  /** True when the body was cut at `maxResponseBytes` (only with `truncate: true`). */
  truncated: boolean;
  /** Every URL redirected to, in order (the last one is `url`). */
  redirects: string[];
}

const dispatchers = new WeakMap<EgressPolicy, Agent>();

let undiciModule: typeof Undici | undefined;

/** undici, loaded by the first request rather than at start-up (it is a large module). */
function undici(): typeof Undici {
  undiciModule ??= createRequire(import.meta.url)('undici') as typeof Undici;
  return undiciModule;
}

/**
 * The undici dispatcher of a policy: its connector resolves each host through the policy and
 * refuses any address the policy blocks before a socket is opened, so a DNS answer that
 * changes between the check and the connection (DNS rebinding) cannot slip through. The
 * socket is opened to the checked address itself; TLS still verifies the host name.
 */
export function egressDispatcher(policy: EgressPolicy): Dispatcher {
  let agent = dispatchers.get(policy);
  if (agent) return agent;
  const base = policy.options.connect ?? undici().buildConnector({});
  const connect: buildConnector.connector = (options, callback) => {
    const origin = `${options.protocol}//${options.host ?? options.hostname}`;
    policy.resolveHost(options.hostname, origin).then(
      (addresses) => base({ ...options, hostname: addresses[0]!.address }, callback),
      (error: Error) => callback(error, null),
    );
  };
  agent = new (undici().Agent)({ connect });
  dispatchers.set(policy, agent);
  return agent;
}

/** Closes the sockets {@link egressFetch} keeps open for a policy. */
export async function closeEgressDispatcher(policy: EgressPolicy): Promise<void> {
  const agent = dispatchers.get(policy);
  dispatchers.delete(policy);
  await agent?.close();
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const sensitiveHeaders = ['authorization', 'cookie', 'proxy-authorization'];

function unwrap(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (isBotwireError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Fetches a URL through the egress policy: the URL is checked first, the host's addresses
 * again at connect time, and every redirect (at most `maxRedirects`) before it is followed.
 * The body is read whole, up to `maxResponseBytes`, and the whole request is bounded by
 * `timeoutMs`. Errors: BOTWIRE_EGRESS_BLOCKED (names the rule and how to allow it),
 * BOTWIRE_EGRESS_REDIRECT_LIMIT, BOTWIRE_EGRESS_TOO_LARGE, BOTWIRE_EGRESS_TIMEOUT,
 * BOTWIRE_EGRESS_FAILED. A 4xx or 5xx status is a response, not an error.
 *
 * @example
 * const response = await egressFetch(policy, 'https://example.org/', { signal });
 * const html = new TextDecoder().decode(response.body);
 */
export async function egressFetch(
  policy: EgressPolicy,
  url: string | URL,
  init: EgressRequestInit = {},
): Promise<EgressResponse> {
  const { maxResponseBytes, timeoutMs, truncate, signal: callerSignal, ...request } = init;
  const limit = Math.min(
    maxResponseBytes ?? Number.POSITIVE_INFINITY,
    policy.config.maxResponseBytes,
  );
  const time = Math.min(timeoutMs ?? Number.POSITIVE_INFINITY, policy.config.timeoutMs);
  const timeout = AbortSignal.timeout(time);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  const dispatcher = egressDispatcher(policy);
  let current = typeof url === 'string' ? url : url.href;
  const redirects: string[] = [];
  let method = (request.method ?? 'GET').toUpperCase();
  let body = request.body;
  const headers = new Headers(request.headers);

  const failed = (error: unknown): never => {
    const known = unwrap(error);
    if (isBotwireError(known, 'BOTWIRE_EGRESS_BLOCKED')) {
      // The connector knows only the origin; name the whole URL.
      const { rule, reason, host, address } = known.details as Record<string, string>;
      throw egressBlockedError(
        current,
        { allowed: false, rule: rule!, reason: reason! },
        host,
        address,
      );
    }
    if (known) throw known;
    if (timeout.aborted) {
      throw new BotwireError('BOTWIRE_EGRESS_TIMEOUT', {
        message: `${current} did not answer within ${time} ms (egress.timeoutMs).`,
        details: { url: current, timeoutMs: time },
        cause: error,
      });
    }
    if (callerSignal?.aborted) throw callerSignal.reason ?? error;
    const cause = (error as { cause?: { message?: string } }).cause;
    throw new BotwireError('BOTWIRE_EGRESS_FAILED', {
      message: `Could not fetch ${current}: ${cause?.message ?? (error instanceof Error ? error.message : String(error))}`,
      details: { url: current },
      cause: error,
    });
  };

  for (;;) {
    const decision = policy.checkUrl(current);
    if (!decision.allowed) throw egressBlockedError(current, decision, hostOf(current));
    let response: Response;
    try {
      response = (await undici().fetch(current, {
        ...(request as object),
        method,
        headers,
        body: body ?? null,
        redirect: 'manual',
        signal,
        dispatcher,
      } as never)) as unknown as Response;
    } catch (error) {
      return failed(error);
    }
    const location = response.headers.get('location');
    if (!redirectStatuses.has(response.status) || !location) {
      return readBody(response, current, redirects, limit, Boolean(truncate), failed);
    }
    await response.body?.cancel().catch(() => {});
    if (redirects.length >= policy.config.maxRedirects) {
      throw new BotwireError('BOTWIRE_EGRESS_REDIRECT_LIMIT', {
        message: `${typeof url === 'string' ? url : url.href} redirected more than ${policy.config.maxRedirects} times (egress.maxRedirects); the last hop pointed at ${location}.`,
        details: { url: typeof url === 'string' ? url : url.href, redirects },
      });
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new BotwireError('BOTWIRE_EGRESS_FAILED', {
        message: `${current} redirected to "${location}", which is not a valid URL.`,
        details: { url: current, location },
      });
    }
    if (next.origin !== new URL(current).origin)
      for (const name of sensitiveHeaders) headers.delete(name);
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      headers.delete('content-type');
      headers.delete('content-length');
    }
    current = next.href;
    redirects.push(current);
  }
}

async function readBody(
  response: Response,
  url: string,
  redirects: string[],
  limit: number,
  truncate: boolean,
  failed: (error: unknown) => never,
): Promise<EgressResponse> {
  const tooLarge = (size: string) =>
    new BotwireError('BOTWIRE_EGRESS_TOO_LARGE', {
      message: `${url} sent ${size}, more than the ${limit} bytes allowed (egress.maxResponseBytes).`,
      details: { url, maxResponseBytes: limit },
    });
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!truncate && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(`${declared} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (size + value.byteLength > limit) {
          await reader.cancel().catch(() => {});
          if (!truncate) throw tooLarge('a body');
          chunks.push(value.subarray(0, limit - size));
          size = limit;
          truncated = true;
          break;
        }
        chunks.push(value);
        size += value.byteLength;
      }
    } catch (error) {
      if (isBotwireError(error)) throw error;
      failed(error);
    }
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return {
    url,
    status: response.status,
    ok: response.ok,
    headers: response.headers,
    body,
    truncated,
    redirects,
  };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '') || undefined;
  } catch {
    return undefined;
  }
}
