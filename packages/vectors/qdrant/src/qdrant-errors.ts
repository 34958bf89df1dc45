import { BotwireError, isBotwireError, redactSecret } from '@botwire/core';

/** The URL as it may be shown: without user, password, query or fragment. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** The HTTP status of a client error (`ApiError` of `@qdrant/openapi-typescript-fetch`). */
export const statusOf = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
};

/** The first `code` (ECONNREFUSED, ...) along an error's causes. */
function causeCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What Qdrant said: `status.error` of its envelope, or the text it answered with. */
function serverMessage(error: unknown): string {
  const data = (error as { data?: unknown }).data;
  if (typeof data === 'string') return data.trim();
  const said = (data as { status?: { error?: unknown } } | undefined)?.status?.error;
  if (typeof said === 'string') return said;
  return error instanceof Error ? error.message : String(error);
}

/** Where a failure happened, for its message. */
export interface FailureContext {
  url: string;
  apiKey: string | undefined;
  /** What the driver was doing: `upsert into botwire_384`, `count`, ... */
  action: string;
  timeoutMs: number;
}

/**
 * A failure of the client (the connection, a timeout, an error answer) as a BotwireError
 * BOTWIRE_VECTOR_INDEX_FAILED, with the URL (never credentials) and a hint.
 */
export function vectorIndexFailure(error: unknown, context: FailureContext): BotwireError {
  if (isBotwireError(error)) return error;
  const where = `Qdrant at ${safeUrl(context.url)}`;
  const status = statusOf(error);
  const name = (error as { name?: unknown } | null)?.name;
  let message: string;
  let hint: string;
  if (status === 401 || status === 403) {
    message = `${where} refused the API key (${status}) during ${context.action}: ${serverMessage(error)}`;
    hint = 'Set QDRANT_API_KEY (or apiKey) to a key the server accepts.';
  } else if (status !== undefined) {
    message = `${where} answered ${status} during ${context.action}: ${serverMessage(error)}`;
    hint =
      status >= 500
        ? 'Qdrant failed: see its log, and try again.'
        : 'Check that the server is Qdrant (1.10 or later) and that the collection was not changed by hand.';
  } else if (name === 'QdrantClientTimeoutError') {
    message = `${where} did not answer within ${context.timeoutMs} ms during ${context.action}.`;
    hint = 'Check that Qdrant is not overloaded, or raise timeoutMs.';
  } else {
    const code = causeCode(error);
    const text = error instanceof Error ? error.message : String(error);
    message = `${where} could not be reached during ${context.action} (${code ?? text}).`;
    hint =
      'Start Qdrant (docker run -p 6333:6333 qdrant/qdrant) or set QDRANT_URL to where it runs.';
  }
  return new BotwireError('BOTWIRE_VECTOR_INDEX_FAILED', {
    message: redactSecret(message, context.apiKey),
    hint,
    details: { url: safeUrl(context.url), ...(status !== undefined ? { status } : {}) },
    cause: error,
  });
}
