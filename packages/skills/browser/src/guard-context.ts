import {
  BotwireError,
  type EgressPolicy,
  type EgressResponse,
  egressBlockedError,
  egressFetch,
  isBotwireError,
} from '@botwire/core';
import type { BrowserContext, Download, Page, Request, Route } from 'playwright-core';
import type WebSocket from 'ws';
import type { NetworkActivity } from './network-activity';
import { bridgeWebSocket } from './websocket-bridge';

/** A request the page was not allowed to make, as the tools report it. */
export interface BlockedRequest {
  /** The URL refused (for a redirect, the hop that was refused). */
  url: string;
  /**
   * The egress rule that refused it (`loopback`, `link-local`, `private`, `port`, `scheme`,
   * `deny-list`, ...), or `download` (the browser downloads nothing) or `page-size` (the page
   * already loaded `maxPageBytes`).
   */
  rule: string;
  reason: string;
  /** What asked for it: `document`, `image`, `script`, `fetch`, `websocket`, `download`, ... */
  type: string;
}

/** One request of the page and what became of it, for logs and tests. */
export interface RequestEvent {
  url: string;
  type: string;
  outcome: 'fetched' | 'blocked' | 'failed';
  rule?: string;
}

/** Options for {@link guardContext}. */
export interface GuardOptions {
  policy: EgressPolicy;
  /** Aborted when the call ends or times out: stops fetches still running. */
  signal: AbortSignal;
  /** All responses of one call together may have at most this many bytes. */
  maxPageBytes: number;
  /** Sees every request of the page once its fate is known. */
  onRequest?: (event: RequestEvent) => void;
  /** Counts the page's WebSockets opening and talking, for the wait after `load`. */
  activity?: NetworkActivity;
}

/** What a guarded context has done so far. */
export interface GuardState {
  blocked: BlockedRequest[];
  /** Requests fetched through the egress policy. */
  fetched: number;
  /** Bytes of every response fetched. */
  bytes: number;
  /** The page whose main-frame navigations are the call's own. */
  page?: Page;
  /** Why the page's main document could not be loaded, when it could not. */
  documentError?: unknown;
  /** Where the main document was redirected to; its response waits in `pending`. */
  redirectedTo?: string;
  /** Responses fetched already, served once to the navigation that follows a redirect. */
  pending: Map<string, EgressResponse>;
  /** Open WebSocket connections to servers. */
  sockets: Set<WebSocket>;
}

const droppedRequestHeaders = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
  // Chromium's cache is not the one the response goes through; a 304 would answer nothing.
  'if-none-match',
  'if-modified-since',
  'if-range',
]);
// The body arrives decoded and whole, so its framing headers no longer describe it.
const droppedResponseHeaders = new Set([
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'set-cookie',
]);

function responseHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!droppedResponseHeaders.has(name)) result[name] = value;
  });
  const cookies = headers.getSetCookie();
  // Playwright splits set-cookie on new lines.
  if (cookies.length) result['set-cookie'] = cookies.join('\n');
  return result;
}

async function requestHeaders(
  context: BrowserContext,
  request: Request,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers()))
    if (!droppedRequestHeaders.has(name.toLowerCase())) headers[name] = value;
  const cookies = await context.cookies(request.url()).catch(() => []);
  if (cookies.length)
    headers.cookie = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  return headers;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '') || undefined;
  } catch {
    return undefined;
  }
}

function pageTooLarge(url: string, size: number, limit: number): BotwireError {
  return new BotwireError('BOTWIRE_EGRESS_TOO_LARGE', {
    message: `${url} is ${size} bytes, more than the page's limit of ${limit} bytes (maxPageBytes in the browser skill's config).`,
    details: { url, maxPageBytes: limit },
  });
}

function isMainDocument(request: Request, page: Page | undefined): boolean {
  try {
    return request.isNavigationRequest() && request.frame() === page?.mainFrame();
  } catch {
    return false;
  }
}

/**
 * Puts every request of a browser context under the egress policy. Chromium never fetches
 * anything itself: each http(s) request is intercepted and fetched by `egressFetch` (URL
 * checked, host resolved and every address checked at connect time, every redirect checked,
 * size and time capped), and the page gets the response through `route.fulfill`. Refused
 * requests are aborted (`blockedbyclient`) and recorded; WebSockets are served the same way
 * by {@link bridgeWebSocket}; downloads are cancelled and recorded.
 *
 * A redirect of the main document is followed by `egressFetch`; the request is then aborted and
 * the final URL kept in `redirectedTo`, for the caller to navigate to (served from `pending`
 * without a second fetch), so the page's address is the final one.
 */
export async function guardContext(
  context: BrowserContext,
  options: GuardOptions,
): Promise<GuardState> {
  const { policy, signal } = options;
  const state: GuardState = {
    blocked: [],
    fetched: 0,
    bytes: 0,
    pending: new Map(),
    sockets: new Set(),
  };
  const record = (entry: BlockedRequest) => {
    state.blocked.push(entry);
    options.onRequest?.({ url: entry.url, type: entry.type, outcome: 'blocked', rule: entry.rule });
  };
  const block = async (route: Route, entry: BlockedRequest, documentError?: unknown) => {
    record(entry);
    if (documentError) state.documentError = documentError;
    await route.abort('blockedbyclient').catch(() => {});
  };
  const fulfil = (route: Route, response: EgressResponse) =>
    route
      .fulfill({
        status: response.status,
        headers: responseHeaders(response.headers),
        body: Buffer.from(response.body),
      })
      .catch(() => {});

  const handle = async (route: Route) => {
    const request = route.request();
    const url = request.url();
    const type = request.resourceType();
    const main = isMainDocument(request, state.page);
    const cached = main ? state.pending.get(url) : undefined;
    if (cached) {
      state.pending.delete(url);
      return fulfil(route, cached);
    }
    const decision = policy.checkUrl(url);
    if (!decision.allowed) {
      const entry = { url, rule: decision.rule, reason: decision.reason, type };
      return block(route, entry, main ? egressBlockedError(url, decision, hostOf(url)) : undefined);
    }
    if (state.bytes >= options.maxPageBytes) {
      const reason = `the page already loaded ${state.bytes} bytes, its limit (maxPageBytes)`;
      return block(route, { url, rule: 'page-size', reason, type });
    }
    try {
      const response = await egressFetch(policy, url, {
        method: request.method(),
        headers: await requestHeaders(context, request),
        body: request.postDataBuffer() ?? undefined,
        signal,
      });
      state.fetched += 1;
      const size = response.body.byteLength;
      if (state.bytes + size > options.maxPageBytes) {
        const reason = `${size} more bytes would pass the page's limit of ${options.maxPageBytes} (maxPageBytes)`;
        const error = main ? pageTooLarge(url, size, options.maxPageBytes) : undefined;
        return block(route, { url, rule: 'page-size', reason, type }, error);
      }
      state.bytes += size;
      options.onRequest?.({ url, type, outcome: 'fetched' });
      if (main && response.redirects.length > 0) {
        state.pending.set(response.url, response);
        state.redirectedTo = response.url;
        return await route.abort('aborted').catch(() => {});
      }
      const disposition = response.headers.get('content-disposition') ?? '';
      if (request.isNavigationRequest() && /^\s*attachment/i.test(disposition)) {
        const reason = 'the browser downloads nothing (Content-Disposition: attachment)';
        const error = main
          ? new BotwireError('BOTWIRE_TOOL_FAILED', {
              message: `${url} is a file to download, not a page; the browser downloads nothing.`,
              details: { url },
            })
          : undefined;
        return block(route, { url, rule: 'download', reason, type: 'download' }, error);
      }
      await fulfil(route, response);
    } catch (error) {
      if (isBotwireError(error, 'BOTWIRE_EGRESS_BLOCKED')) {
        const { details } = error;
        const entry = { url: String(details.url ?? url), rule: String(details.rule), type };
        return block(route, { ...entry, reason: String(details.reason) }, main ? error : undefined);
      }
      if (main) state.documentError = error;
      options.onRequest?.({ url, type, outcome: 'failed' });
      await route.abort(signal.aborted ? 'aborted' : 'failed').catch(() => {});
    }
  };

  const onDownload = (download: Download) => {
    const reason = 'the browser downloads nothing';
    record({ url: download.url(), rule: 'download', reason, type: 'download' });
    download.cancel().catch(() => {});
  };
  context.on('page', (page) => page.on('download', onDownload));
  await context.route('**/*', handle);
  await context.routeWebSocket(/.*/, (route) =>
    bridgeWebSocket(route, {
      policy,
      onBlocked: record,
      sockets: state.sockets,
      ...(options.activity ? { activity: options.activity } : {}),
    }),
  );
  signal.addEventListener('abort', () => {
    for (const socket of state.sockets) socket.terminate();
  });
  return state;
}
