import { BotwireError, type EgressPolicy, isBotwireError } from '@botwire/core';
import type { Page } from 'playwright-core';
import type { BrowserPool } from './browser-pool';
import { type GuardState, guardContext, type RequestEvent } from './guard-context';
import { NetworkActivity } from './network-activity';

/** How one call opens its page. */
export interface OpenPageOptions {
  pool: BrowserPool;
  policy: EgressPolicy;
  /** The address to open; see {@link normalizeUrl}. */
  url: string;
  /** The tool's signal: when it aborts, the call's context is closed. */
  signal: AbortSignal;
  /** Loading the page (until `load`; its DOM must be ready by then) and each later page operation, in ms. */
  navigationTimeoutMs: number;
  /**
   * After `load`, wait at most this long for the page to finish: for `waitFor` when it is
   * given, else for the network to go quiet (pages built by scripts).
   */
  settleMs: number;
  /** Nothing in flight for this long after `load` counts as quiet. */
  quietMs: number;
  /** A CSS selector to wait for after `load` (instead of the network going quiet). */
  waitFor?: string;
  /** Told how long the wait after `load` took and how it ended (for logs and benchmarks). */
  onSettled?: (settled: { ms: number; outcome: 'quiet' | 'selector' | 'cap' }) => void;
  /** All responses of the page together may have at most this many bytes. */
  maxPageBytes: number;
  viewport: { width: number; height: number };
  onRequest?: (event: RequestEvent) => void;
}

/**
 * The URL a user meant: `example.org/a` becomes `https://example.org/a`; anything with a scheme
 * (`http://…`, `file:///…`, `javascript:…`) is kept as written, for the egress policy to judge.
 *
 * @example
 * normalizeUrl('example.org'); // 'https://example.org'
 * normalizeUrl('localhost:8080/x'); // 'https://localhost:8080/x'
 */
export function normalizeUrl(input: string): string {
  const text = input.trim().replace(/^<(.*)>$/, '$1');
  if (/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(text)) return text;
  return `https://${text.replace(/^\/\//, '')}`;
}

/**
 * Opens `url` until its DOM is ready, then waits for `load` within what is left of `timeout`:
 * an image or script that never arrives costs the wait, not the page.
 */
async function navigate(page: Page, url: string, state: GuardState, timeout: number) {
  const started = Date.now();
  let target = url;
  for (let hop = 0; ; hop++) {
    state.redirectedTo = undefined;
    try {
      await page.goto(target, { waitUntil: 'domcontentloaded', timeout });
      const left = Math.max(1, timeout - (Date.now() - started));
      await page.waitForLoadState('load', { timeout: left }).catch(() => {});
      return;
    } catch (error) {
      if (state.documentError) throw state.documentError;
      // The main document redirected: egressFetch followed and checked every hop; open the
      // final URL, whose response is waiting (the page then has the right address).
      if (state.redirectedTo && hop === 0) {
        target = state.redirectedTo;
        continue;
      }
      throw error;
    }
  }
}

/**
 * Waits, after `load`, for what the page needs: the `waitFor` selector when the caller gave
 * one, else for its requests and WebSockets to be quiet for `quietMs`; never longer than
 * `settleMs`. A page that is quiet at `load` costs `quietMs`, not a fixed settle time.
 */
async function settle(
  page: Page,
  activity: NetworkActivity,
  options: OpenPageOptions,
  signal: AbortSignal,
): Promise<void> {
  if (options.settleMs <= 0) return;
  const started = performance.now();
  let outcome: 'quiet' | 'selector' | 'cap';
  if (options.waitFor)
    outcome = await page
      .waitForSelector(options.waitFor, { state: 'attached', timeout: options.settleMs })
      .then(
        () => 'selector' as const,
        () => 'cap' as const,
      );
  else
    outcome = (await activity.quiet(options.quietMs, options.settleMs, signal)) ? 'quiet' : 'cap';
  options.onSettled?.({ ms: Math.round(performance.now() - started), outcome });
}

/**
 * Opens `url` in a fresh context of the shared browser, with every request of the page under the
 * egress policy (see `guardContext`), runs `action` on the loaded page and closes the context.
 * The URL is checked and its host resolved before the browser is involved, so a blocked address
 * never reaches Chromium. Throws BOTWIRE_EGRESS_BLOCKED (naming the rule) when the page itself
 * or a redirect of it is blocked, or the page's own error when it could not be loaded.
 */
export async function withGuardedPage<T>(
  options: OpenPageOptions,
  action: (page: Page, state: GuardState) => Promise<T>,
): Promise<{ value: T; state: GuardState }> {
  const { policy, signal } = options;
  if (signal.aborted) throw signal.reason;
  await policy.resolveAndCheck(options.url);
  return options.pool.use(async (browser) => {
    const done = new AbortController();
    const stop = () => done.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    const context = await browser.newContext({
      acceptDownloads: false,
      serviceWorkers: 'block',
      javaScriptEnabled: true,
      viewport: options.viewport,
    });
    done.signal.addEventListener('abort', () => void context.close().catch(() => {}), {
      once: true,
    });
    const activity = new NetworkActivity();
    try {
      const state = await guardContext(context, {
        policy,
        signal: done.signal,
        activity,
        maxPageBytes: options.maxPageBytes,
        ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      });
      const page = await context.newPage();
      state.page = page;
      activity.watch(page);
      page.setDefaultTimeout(options.navigationTimeoutMs);
      await navigate(page, options.url, state, options.navigationTimeoutMs);
      await settle(page, activity, options, done.signal);
      const value = await action(page, state);
      return { value, state };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (isBotwireError(error)) throw error;
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new BotwireError('BOTWIRE_TOOL_FAILED', {
        message: `Could not open ${options.url} in the browser: ${message}`,
        details: { url: options.url },
        cause: error,
      });
    } finally {
      signal.removeEventListener('abort', stop);
      done.abort();
      await context.close().catch(() => {});
    }
  });
}
