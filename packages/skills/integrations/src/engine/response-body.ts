import type { EgressResponse } from '@botwire/core';
import { redact } from './integration-errors';

/** Headers a result never shows: they carry cookies or credentials. */
const hiddenHeaders = new Set([
  'set-cookie',
  'set-cookie2',
  'cookie',
  'authorization',
  'proxy-authorization',
]);

/** The headers of a response a caller may see, with any secret value redacted. */
export function visibleHeaders(
  headers: Headers,
  secrets: readonly string[],
): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!hiddenHeaders.has(name.toLowerCase())) result[name.toLowerCase()] = redact(value, secrets);
  });
  return result;
}

const textualType = /^text\/|json|xml|javascript|yaml|csv|x-www-form-urlencoded|graphql|html/;

/** The marker at the end of a body that was cut at the size cap. */
export function truncationMarker(limit: number): string {
  return `\n[truncated: the response is larger than ${limit} bytes; only the first ${limit} are shown]`;
}

/**
 * The body of a response for a caller: parsed JSON when it is JSON and whole, else text
 * (decoded in its charset), cut at `limit` bytes with {@link truncationMarker}; `null` when
 * empty; a short note for binary bodies. Secrets that the API echoes are redacted.
 */
export function readResponseBody(
  response: EgressResponse,
  limit: number,
  secrets: readonly string[],
): { body: unknown; truncated: boolean } {
  let bytes = response.body;
  let truncated = response.truncated;
  if (bytes.byteLength > limit) {
    bytes = bytes.subarray(0, limit);
    truncated = true;
  }
  if (bytes.byteLength === 0)
    return { body: truncated ? truncationMarker(limit) : null, truncated };
  const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
  const mediaType = contentType.split(';')[0]!.trim();
  const textual = mediaType ? textualType.test(mediaType) : !bytes.subarray(0, 1024).includes(0);
  if (!textual)
    return {
      body: `[binary body: ${truncated ? `more than ${bytes.byteLength}` : bytes.byteLength} bytes of ${mediaType || 'unknown type'}]`,
      truncated,
    };
  const charset = /charset="?([\w.:-]+)"?/.exec(contentType)?.[1];
  const text = redact(decodeText(bytes, charset), secrets);
  if (truncated) return { body: text + truncationMarker(limit), truncated };
  if (/json/.test(mediaType)) {
    try {
      return { body: JSON.parse(text) as unknown, truncated };
    } catch {
      return { body: text, truncated };
    }
  }
  return { body: text, truncated };
}

function decodeText(bytes: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
