import type { Page } from 'playwright-core';

/**
 * Counts a page's requests in flight (and its WebSockets opening or talking) so a call can wait
 * for what the page needs after `load` instead of a fixed time: until nothing has been in
 * flight for a short quiet window, at most a cap.
 */
export class NetworkActivity {
  private inFlight = 0;
  private lastActivity = 0;

  /** Starts counting the page's requests; call it before the page navigates. */
  watch(page: Page): this {
    page.on('request', () => this.begin());
    page.on('requestfinished', () => this.end());
    page.on('requestfailed', () => this.end());
    return this;
  }

  /** Something started that the page waits for (a request, a WebSocket opening). */
  begin(): void {
    this.inFlight += 1;
    this.lastActivity = Date.now();
  }

  /** Something {@link begin} counted is over. */
  end(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.lastActivity = Date.now();
  }

  /** Activity with no end to wait for (a WebSocket message). */
  touch(): void {
    this.lastActivity = Date.now();
  }

  /**
   * Resolves once nothing has been in flight for `quietMs` (counted from now at the earliest, so
   * scripts that fetch right after `load` are seen), or after `maxMs` at most. True when the
   * page went quiet, false when the cap ended the wait.
   */
  async quiet(quietMs: number, maxMs: number, signal?: AbortSignal): Promise<boolean> {
    const started = Date.now();
    this.lastActivity = Math.max(this.lastActivity, started);
    for (;;) {
      const now = Date.now();
      if (this.inFlight === 0 && now - this.lastActivity >= quietMs) return true;
      const left = started + maxMs - now;
      if (left <= 0 || signal?.aborted) return false;
      const untilQuiet = this.inFlight === 0 ? quietMs - (now - this.lastActivity) : 25;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(5, Math.min(untilQuiet, 25, left))),
      );
    }
  }
}
