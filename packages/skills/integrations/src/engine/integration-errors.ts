import { BotwireError } from '@botwire/core';

/** The catalog codes the engine raises itself (egress and argument errors come from core). */
export type IntegrationErrorCode =
  /** A document or definition could not be read (a syntax error). */
  | 'BOTWIRE_INTEGRATION_INVALID'
  /** An auth scheme needs a credential that was not given. */
  | 'BOTWIRE_INTEGRATION_CREDENTIALS_MISSING'
  /** The OAuth2 token endpoint refused the client, or the API refused a renewed token. */
  | 'BOTWIRE_INTEGRATION_AUTH_FAILED';

/** A {@link BotwireError} of the integrations engine (never give it a secret). */
export function integrationError(
  code: IntegrationErrorCode,
  message: string,
  options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
): BotwireError {
  return new BotwireError(code, {
    message,
    ...(options.hint ? { hint: options.hint } : {}),
    ...(options.details ? { details: options.details } : {}),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

/** The text with every secret (of 4 characters or more) replaced by `[redacted]`, also URL- and form-encoded. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    const forms = new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
    ]);
    for (const form of forms) result = result.split(form).join('[redacted]');
  }
  return result;
}
