/** A timer handle, as {@link Clock.setTimeout} returns it. */
export type ClockTimer = unknown;

/**
 * Where a job queue reads the time and sets its timers: the system clock in a bot, a
 * `manualClock()` (from `@botwire/core/testing`) in tests that move time by hand.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once, `ms` from now. */
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** Node's timers cap a delay at 2^31 - 1 ms. */
const longestDelayMs = 2_147_483_647;

/** The system clock. A started queue's timers keep the process alive, as a listening server does, until `close()`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    return setTimeout(callback, Math.min(Math.max(0, ms), longestDelayMs));
  },
  clearTimeout(timer) {
    clearTimeout(timer as NodeJS.Timeout);
  },
};

/**
 * The system clock with timers that do not keep the process alive: a bot's queue runs while
 * its adapters and HTTP server do, and a test that forgets to stop a bot still exits.
 */
export const backgroundClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, Math.min(Math.max(0, ms), longestDelayMs));
    timer.unref();
    return timer;
  },
  clearTimeout(timer) {
    clearTimeout(timer as NodeJS.Timeout);
  },
};
