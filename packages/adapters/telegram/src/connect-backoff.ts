import { GrammyError, HttpError } from 'grammy';

/** How the adapter keeps trying to reach the Bot API at start. */
export interface ConnectRetryOptions {
  /** The wait after the first failed attempt, in milliseconds. Default 1000. */
  initialDelayMs?: number;
  /** The longest wait between attempts, in milliseconds. Default 30,000. */
  maxDelayMs?: number;
  /** How long one attempt may take before it counts as failed, in milliseconds. Default 10,000. */
  attemptTimeoutMs?: number;
  /** How long `start()` waits for the first attempt before it returns anyway, in milliseconds. Default 1500. */
  startWaitMs?: number;
}

/** {@link ConnectRetryOptions} with every default applied. */
export type ResolvedConnectRetry = Required<ConnectRetryOptions>;

/** Applies the defaults to {@link ConnectRetryOptions}. */
export function resolveConnectRetry(options: ConnectRetryOptions = {}): ResolvedConnectRetry {
  return {
    initialDelayMs: options.initialDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 10_000,
    startWaitMs: options.startWaitMs ?? 1500,
  };
}

/** The share of a wait that jitter may take off, so that many bots do not retry in step. */
const jitterShare = 0.2;

/**
 * The wait before attempt `failures + 1`: doubling from `initialDelayMs` up to `maxDelayMs`,
 * less up to a fifth at random (exponential backoff with jitter, never above the cap).
 *
 * @example
 * backoffDelay(1, { initialDelayMs: 1000, maxDelayMs: 30_000 }); // 800–1000 ms
 * backoffDelay(9, { initialDelayMs: 1000, maxDelayMs: 30_000 }); // 24–30 s
 */
export function backoffDelay(
  failures: number,
  options: Pick<ResolvedConnectRetry, 'initialDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** exponent);
  return Math.round(base * (1 - jitterShare * random()));
}

/**
 * Whether trying again can help: a network failure, a timeout, a server error (5xx) or a rate
 * limit (429) can pass; an answer that rejects the request (a wrong token: 401 or 404) cannot.
 */
export function isTransientTelegramError(error: unknown): boolean {
  if (error instanceof HttpError) return true;
  if (error instanceof GrammyError) return error.error_code >= 500 || error.error_code === 429;
  return false;
}
