import { BotwireError, isBotwireError, redactSecret } from '@botwire/core';

/** The Redis URL as it may be shown: scheme, host, port and database, never user or password. */
export function safeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** The password of a Redis URL, to scrub from messages. */
export function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** The first `code` (ECONNREFUSED, NOAUTH, ...) along an error's causes. */
function causeCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Where a failure happened, for its message. */
export interface QueueFailureContext {
  url: string;
  /** What the driver was doing: `connect`, `add reminders.fire`, ... */
  action: string;
}

/**
 * A failure of Redis or BullMQ as a BotwireError BOTWIRE_QUEUE_FAILED, with the URL (never
 * credentials) and a hint.
 */
export function queueFailure(error: unknown, context: QueueFailureContext): BotwireError {
  if (isBotwireError(error)) return error;
  const where = `Redis at ${safeRedisUrl(context.url)}`;
  const text = error instanceof Error ? error.message : String(error);
  const code = causeCode(error);
  let message: string;
  let hint: string;
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(text)) {
    message = `${where} refused the credentials during ${context.action}: ${text}`;
    hint = 'Put the right user and password in REDIS_URL (redis://user:password@host:6379).';
  } else if (/OOM|maxmemory/i.test(text)) {
    message = `${where} is out of memory during ${context.action}: ${text}`;
    hint = 'Give Redis more memory, and set maxmemory-policy noeviction as BullMQ needs.';
  } else if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'ETIMEDOUT' ||
    code === 'ECONNRESET' ||
    /Connection is closed|connect|Stream isn't writeable|max retries|timed out/i.test(text)
  ) {
    message = `${where} could not be reached during ${context.action} (${code ?? text}).`;
    hint =
      'Start Redis (docker run -p 6379:6379 redis:7 --maxmemory-policy noeviction) or set REDIS_URL to where it runs.';
  } else {
    message = `${where} failed during ${context.action}: ${text}`;
    hint = 'See the Redis log; BullMQ needs Redis 6.2 or later with maxmemory-policy noeviction.';
  }
  return new BotwireError('BOTWIRE_QUEUE_FAILED', {
    message: redactSecret(message, passwordOf(context.url)),
    hint,
    details: { url: safeRedisUrl(context.url), ...(code ? { code } : {}) },
    cause: error,
  });
}
