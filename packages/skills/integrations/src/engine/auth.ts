import type { EgressRequestInit, EgressResponse } from '@botwire/core';
import type { BuiltRequest } from './build-request';
import { integrationError, redact } from './integration-errors';
import type { IssuedToken } from './oauth-token-cache';
import type { AuthScheme } from './operation';

/**
 * The secrets an auth scheme uses, given when the integration is called (never stored in
 * its definition): `token` for bearer, `apiKey`, `username` and `password` for basic,
 * `clientId` and `clientSecret` for oauth2.
 */
export interface Credentials {
  token?: string;
  apiKey?: string;
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
}

/** A `fetch` that goes through the bot's egress policy (`egressFetch` bound to a policy). */
export type EgressFetchFunction = (url: string, init: EgressRequestInit) => Promise<EgressResponse>;

/** Base64 of UTF-8 text. */
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Every value that must never appear in a result, a message or a log line. */
export function credentialSecrets(credentials: Credentials = {}): string[] {
  const { token, apiKey, username, password, clientId, clientSecret } = credentials;
  const secrets = [token, apiKey, password, clientSecret].filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  if (username !== undefined && password !== undefined)
    secrets.push(base64(`${username}:${password}`));
  if (clientId !== undefined && clientSecret !== undefined)
    secrets.push(base64(`${formEncode(clientId)}:${formEncode(clientSecret)}`));
  return secrets;
}

function need(credentials: Credentials, field: keyof Credentials, what: string): string {
  const value = credentials[field];
  if (typeof value === 'string' && (value !== '' || field === 'password')) return value;
  throw integrationError(
    'BOTWIRE_INTEGRATION_CREDENTIALS_MISSING',
    `${what} needs credentials.${field}, which is not set.`,
    {
      hint: 'Give the integration its credentials again (they are asked for when it is connected).',
      details: { credential: field },
    },
  );
}

/** Checks that the credentials an auth scheme needs are there; throws naming the first missing one. */
export function requireCredentials(auth: AuthScheme, credentials: Credentials = {}): void {
  switch (auth.type) {
    case 'bearer':
      need(credentials, 'token', 'Bearer auth');
      break;
    case 'apiKey':
      need(credentials, 'apiKey', `The API key (${auth.in} "${auth.name}")`);
      break;
    case 'basic':
      need(credentials, 'username', 'Basic auth');
      need(credentials, 'password', 'Basic auth');
      break;
    case 'oauth2':
      need(credentials, 'clientId', 'OAuth2 client credentials');
      need(credentials, 'clientSecret', 'OAuth2 client credentials');
      break;
  }
}

/**
 * Adds the auth of a scheme to a request: `Authorization: Bearer` (bearer, and oauth2 with
 * `accessToken`), the API key in its header or query parameter, or `Authorization: Basic`.
 */
export function applyAuth(
  request: BuiltRequest,
  auth: AuthScheme,
  credentials: Credentials = {},
  accessToken?: string,
): void {
  requireCredentials(auth, credentials);
  switch (auth.type) {
    case 'bearer':
      request.headers.authorization = `Bearer ${credentials.token}`;
      break;
    case 'apiKey':
      if (auth.in === 'header') request.headers[auth.name.toLowerCase()] = credentials.apiKey!;
      else request.url.searchParams.set(auth.name, credentials.apiKey!);
      break;
    case 'basic':
      request.headers.authorization = `Basic ${base64(`${credentials.username}:${credentials.password ?? ''}`)}`;
      break;
    case 'oauth2':
      if (accessToken) request.headers.authorization = `Bearer ${accessToken}`;
      break;
  }
}

/** Form encoding (`application/x-www-form-urlencoded`), as RFC 6749 §2.3.1 wants for client ids and secrets. */
function formEncode(text: string): string {
  return new URLSearchParams({ v: text }).toString().slice(2);
}

/** What {@link requestAccessToken} needs. */
export interface TokenRequest {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: readonly string[];
  fetch: EgressFetchFunction;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Asks an OAuth2 token endpoint for an access token with the client credentials grant: a form
 * POST of `grant_type=client_credentials` (and `scope`), the client authenticated with HTTP
 * Basic (RFC 6749 §2.3.1, §4.4). A refusal throws BOTWIRE_INTEGRATION_AUTH_FAILED; its message never holds a secret.
 */
export async function requestAccessToken(request: TokenRequest): Promise<IssuedToken> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (request.scopes?.length) form.set('scope', request.scopes.join(' '));
  const response = await request.fetch(request.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${base64(`${formEncode(request.clientId)}:${formEncode(request.clientSecret)}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: form.toString(),
    timeoutMs: request.timeoutMs,
    maxResponseBytes: 64 * 1024,
    truncate: true,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const secrets = [
    request.clientSecret,
    base64(`${formEncode(request.clientId)}:${formEncode(request.clientSecret)}`),
  ];
  let answer: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(new TextDecoder().decode(response.body)) as unknown;
    if (typeof parsed === 'object' && parsed !== null) answer = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: judged below by what is missing.
  }
  const where = safeUrl(request.tokenUrl);
  if (!response.ok) {
    const code =
      typeof answer.error === 'string' && /^[\w.-]{1,64}$/.test(answer.error)
        ? `: ${answer.error}`
        : '';
    throw integrationError(
      'BOTWIRE_INTEGRATION_AUTH_FAILED',
      redact(
        `The OAuth2 token endpoint ${where} refused the client credentials (HTTP ${response.status}${code}), so no access token could be obtained.`,
        secrets,
      ),
      {
        hint: 'Check the client id, the client secret and the scopes of the integration, then connect it again.',
        details: { status: response.status, tokenUrl: where },
      },
    );
  }
  if (typeof answer.access_token !== 'string' || answer.access_token === '') {
    throw integrationError(
      'BOTWIRE_INTEGRATION_AUTH_FAILED',
      `The OAuth2 token endpoint ${where} answered HTTP ${response.status} without an access_token.`,
      { details: { status: response.status, tokenUrl: where } },
    );
  }
  const expires = Number(answer.expires_in);
  return {
    accessToken: answer.access_token,
    ...(Number.isFinite(expires) && expires > 0 ? { expiresInSec: expires } : {}),
  };
}

/** A URL without user info, query or fragment, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.href;
  } catch {
    return '(an invalid URL)';
  }
}
