/** What one probe request got: an answer, no answer in time, or no connection. */
export type ProbeOutcome =
  | { kind: 'answer'; status: number; body: unknown }
  | { kind: 'timeout' }
  | { kind: 'unreachable'; reason: string };

/** Options for {@link probeHttp}. */
export interface ProbeOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Values to blank out of any reason text (tokens and keys can appear in URLs and errors). */
  secrets?: Array<string | undefined>;
}

/** Replaces each secret in `text` with `<secret>`. */
export function hideSecrets(text: string, secrets: Array<string | undefined> = []): string {
  let hidden = text;
  for (const secret of secrets) if (secret) hidden = hidden.split(secret).join('<secret>');
  return hidden;
}

/**
 * Sends one GET with a deadline and reads the answer (JSON when it parses, else text). Never
 * throws: a refused connection, a DNS failure and a deadline passed are outcomes too.
 *
 * @example
 * const outcome = await probeHttp('http://127.0.0.1:11434/api/tags', { timeoutMs: 5000 });
 */
export async function probeHttp(url: string, options: ProbeOptions): Promise<ProbeOutcome> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(url, { headers: options.headers, signal });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    return { kind: 'answer', status: response.status, body };
  } catch (error) {
    if (signal.aborted) return { kind: 'timeout' };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return { kind: 'unreachable', reason: hideSecrets(reason, options.secrets) };
  }
}

/** `https://api.telegram.org` → `api.telegram.org`; the origin, for messages (never a path with a token). */
export function originOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
