import { BotwireError, isBotwireError } from '../errors/botwire-error';
import type { BotwireErrorCode } from '../errors/error-catalog';
import type { ChatModel, ChatRequest, ChatResponse } from '../ports/chat-model';
import { isRetryableModelError, modelErrorStatus, modelTimeout } from './model-errors';

/** The circuit breaker's state: `open` fails calls at once, `half-open` lets one trial through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What `onCall` hears once per call (not per attempt). */
export interface ModelCallReport {
  provider: string;
  model: string;
  ok: boolean;
  /** Requests sent to the driver: 0 when the open circuit refused the call. */
  attempts: number;
  /** From the call's start to its end, retries and waits included. */
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  /** The error's code when the call failed; `ABORTED` when the caller's signal aborted it. */
  errorCode?: BotwireErrorCode | 'ABORTED';
}

/** Options for {@link resilientChatModel}. Every field has a default. */
export interface ResilienceOptions {
  /** Time limit of one attempt, in ms (default 30000). */
  timeoutMs?: number;
  /** Extra attempts after the first one fails with a retryable error (default 2). */
  retries?: number;
  /** The first backoff delay; it doubles on every retry, with jitter (default 500). */
  baseDelayMs?: number;
  /** No wait between attempts is longer, `Retry-After` included (default 10000). */
  maxRetryDelayMs?: number;
  /** Retry an attempt that timed out (default false: a slow model stays slow). */
  retryOnTimeout?: boolean;
  /** The whole call, retries and waits included, ends by this many ms (default: no limit). */
  deadlineMs?: number;
  /** Consecutive failed calls that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through (default 30000). */
  coolDownMs?: number;
  /** Called once per call with its outcome, tokens and latency. Errors it throws are ignored. */
  onCall?: (record: ModelCallReport) => void;
  /** The clock, in ms (default `Date.now`). */
  now?: () => number;
  /** Waits between attempts (default: a timer that stops early when `signal` aborts). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter (default `Math.random`). */
  random?: () => number;
}

/** A chat model with timeouts, retries and a circuit breaker around it. */
export interface ResilientChatModel extends ChatModel {
  /** The circuit breaker's state now. */
  readonly state: CircuitState;
  /** The driver inside. */
  readonly inner: ChatModel;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
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

type Gate = 'normal' | 'trial' | 'rejected';
type Outcome = 'healthy' | 'unhealthy' | 'neutral';

/** Counts consecutive failed calls; opens, half-opens after the cool-down, and closes. */
class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialRunning = false;

  constructor(
    private readonly threshold: number,
    private readonly coolDownMs: number,
    private readonly now: () => number,
  ) {}

  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.coolDownMs)
      return 'half-open';
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Ms until the next trial call is allowed (0 when it is allowed now). */
  get retryInMs(): number {
    return Math.max(0, this.openedAt + this.coolDownMs - this.now());
  }

  acquire(): Gate {
    const state = this.state;
    if (state === 'closed') return 'normal';
    if (state === 'half-open' && !this.trialRunning) {
      this.current = 'half-open';
      this.trialRunning = true;
      return 'trial';
    }
    return 'rejected';
  }

  release(gate: Gate, outcome: Outcome): void {
    if (gate === 'trial') this.trialRunning = false;
    if (outcome === 'healthy') {
      this.failures = 0;
      this.current = 'closed';
    } else if (outcome === 'unhealthy') {
      this.failures += 1;
      if (gate === 'trial' || this.failures >= this.threshold) {
        this.current = 'open';
        this.openedAt = this.now();
      }
    }
  }
}

/** How a finished call counts for the breaker: an endpoint that answered 4xx is up. */
function outcomeOf(error: unknown, callerAborted: boolean): Outcome {
  if (callerAborted) return 'neutral';
  const status = modelErrorStatus(error);
  if (isBotwireError(error, 'BOTWIRE_MODEL_FAILED') && status !== undefined && status < 500) {
    return status === 429 ? 'unhealthy' : 'healthy';
  }
  return 'unhealthy';
}

/**
 * Wraps a chat model driver with what every production call needs: a time limit per attempt
 * (the driver's request is aborted), retries with exponential backoff and jitter on rate limits,
 * unreachable endpoints and 5xx answers (honouring `Retry-After`, capped), an optional deadline
 * for the whole call, a circuit breaker, and an `onCall` record of tokens and latency.
 *
 * Never retried: other 4xx answers, bad responses, a call whose caller aborted, and (unless
 * `retryOnTimeout`) timeouts. While the circuit is open, calls fail at once with
 * `BOTWIRE_MODEL_CIRCUIT_OPEN`; after `coolDownMs` one trial call (a single attempt) decides.
 *
 * @example
 * const model = resilientChatModel(openaiChatModel({ model: 'gpt-4o-mini' }), {
 *   timeoutMs: 20_000,
 *   onCall: (record) => logger.info('model-called', record),
 * });
 */
export function resilientChatModel(
  model: ChatModel,
  options: ResilienceOptions = {},
): ResilientChatModel {
  const runner = resilientRunner(model, options);
  return {
    provider: model.provider,
    model: model.model,
    ...(model.vision !== undefined ? { vision: model.vision } : {}),
    inner: model,
    get state() {
      return runner.state;
    },
    chat: (request: ChatRequest): Promise<ChatResponse> =>
      runner.run(
        request.signal,
        (signal) => model.chat({ ...request, signal }),
        (response) => response.usage,
      ),
  };
}

/** Runs calls to one model endpoint with the timeouts, retries and circuit breaker of {@link ResilienceOptions}. */
export interface ResilientRunner {
  readonly state: CircuitState;
  /** Runs `call` (given a signal that aborts at the attempt's time limit) until it succeeds or may not be retried. */
  run<T>(
    callerSignal: AbortSignal | undefined,
    call: (signal: AbortSignal) => Promise<T>,
    usage: (result: T) => { inputTokens: number; outputTokens: number },
  ): Promise<T>;
}

/**
 * The retry, time-limit and circuit-breaker logic that {@link resilientChatModel} and
 * `resilientEmbeddingModel` share, for any call to a model endpoint.
 */
export function resilientRunner(
  endpoint: { provider: string; model: string },
  options: ResilienceOptions = {},
): ResilientRunner {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = Math.max(0, options.retries ?? 2);
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const breaker = new CircuitBreaker(
    Math.max(1, options.failureThreshold ?? 5),
    options.coolDownMs ?? 30_000,
    now,
  );
  const context = { provider: endpoint.provider, model: endpoint.model };

  const report = (record: Omit<ModelCallReport, 'provider' | 'model'>) => {
    try {
      options.onCall?.({ ...context, ...record });
    } catch {
      // A broken hook must not break the call.
    }
  };

  const delayBefore = (retry: number, error: unknown): number => {
    const retryAfterMs = isBotwireError(error) ? error.details.retryAfterMs : undefined;
    if (typeof retryAfterMs === 'number')
      return Math.min(Math.max(0, retryAfterMs), maxRetryDelayMs);
    const exponential = Math.min(maxRetryDelayMs, baseDelayMs * 2 ** (retry - 1));
    return Math.round(exponential * (0.5 + random() * 0.5));
  };

  /** One attempt, aborted after `limitMs`; rejects at the limit even if the driver ignores it. */
  const attempt = async <T>(
    callerSignal: AbortSignal | undefined,
    call: (signal: AbortSignal) => Promise<T>,
    limitMs: number,
    what: string,
  ): Promise<T> => {
    const timer = new AbortController();
    const signal = callerSignal ? AbortSignal.any([callerSignal, timer.signal]) : timer.signal;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const handle = setTimeout(() => timer.abort(modelTimeout(context, limitMs, what)), limitMs);
    try {
      return await Promise.race([call(signal), aborted]);
    } catch (error) {
      if (timer.signal.aborted && !callerSignal?.aborted) throw timer.signal.reason;
      throw error;
    } finally {
      clearTimeout(handle);
      if (onAbort) signal.removeEventListener('abort', onAbort);
      aborted.catch(() => {});
    }
  };

  const normalize = (error: unknown): unknown => {
    if (isBotwireError(error)) return error;
    return new BotwireError('BOTWIRE_MODEL_FAILED', {
      message: `The ${endpoint.provider} model driver failed: ${error instanceof Error ? error.message : String(error)}`,
      details: { ...context },
      cause: error,
    });
  };

  const run = async <T>(
    callerSignal: AbortSignal | undefined,
    call: (signal: AbortSignal) => Promise<T>,
    usage: (result: T) => { inputTokens: number; outputTokens: number },
  ): Promise<T> => {
    const started = now();
    const deadlineAt = options.deadlineMs === undefined ? undefined : started + options.deadlineMs;
    const callerAborted = () => callerSignal?.aborted === true;
    if (callerAborted()) {
      report({
        ok: false,
        attempts: 0,
        latencyMs: 0,
        inputTokens: 0,
        outputTokens: 0,
        errorCode: 'ABORTED',
      });
      throw callerSignal?.reason;
    }
    const gate = breaker.acquire();
    if (gate === 'rejected') {
      const error = new BotwireError('BOTWIRE_MODEL_CIRCUIT_OPEN', {
        message: `Calls to the ${endpoint.provider} model "${endpoint.model}" are paused after ${breaker.consecutiveFailures} failed calls in a row; a trial call is allowed in ${Math.ceil(breaker.retryInMs / 1000)} s.`,
        hint: 'Check the model endpoint. Meanwhile the bot answers with its rules only.',
        details: { ...context, retryInMs: breaker.retryInMs },
      });
      report({
        ok: false,
        attempts: 0,
        latencyMs: 0,
        inputTokens: 0,
        outputTokens: 0,
        errorCode: error.code,
      });
      throw error;
    }

    const maxAttempts = gate === 'trial' ? 1 : retries + 1;
    let attempts = 0;
    try {
      for (;;) {
        attempts += 1;
        const remaining = deadlineAt === undefined ? Number.POSITIVE_INFINITY : deadlineAt - now();
        if (remaining <= 0) throw modelTimeout(context, options.deadlineMs ?? 0, 'deadline');
        const byDeadline = remaining < timeoutMs;
        const limitMs = byDeadline ? remaining : timeoutMs;
        try {
          const result = await attempt(
            callerSignal,
            call,
            limitMs,
            byDeadline ? 'deadline' : 'timeout',
          );
          breaker.release(gate, 'healthy');
          const tokens = usage(result);
          report({
            ok: true,
            attempts,
            latencyMs: now() - started,
            inputTokens: tokens.inputTokens,
            outputTokens: tokens.outputTokens,
          });
          return result;
        } catch (raw) {
          const error = callerAborted() ? raw : normalize(raw);
          const retryable =
            !callerAborted() &&
            attempts < maxAttempts &&
            isRetryableModelError(error, { retryOnTimeout: options.retryOnTimeout === true });
          if (!retryable) throw error;
          const delay = delayBefore(attempts, error);
          if (deadlineAt !== undefined && now() + delay >= deadlineAt) throw error;
          await sleep(delay, callerSignal);
        }
      }
    } catch (error) {
      const aborted = callerAborted();
      breaker.release(gate, outcomeOf(error, aborted));
      if (!aborted && isBotwireError(error)) error.details.attempts = attempts;
      report({
        ok: false,
        attempts,
        latencyMs: now() - started,
        inputTokens: 0,
        outputTokens: 0,
        errorCode: aborted
          ? 'ABORTED'
          : isBotwireError(error)
            ? error.code
            : 'BOTWIRE_MODEL_FAILED',
      });
      throw error;
    }
  };

  return {
    get state() {
      return breaker.state;
    },
    run,
  };
}
