/**
 * Calling an API: {@link callOperation} for an operation, {@link checkHealth} for an
 * integration's health request, and the OAuth2 token cache they share.
 */
export {
  type Credentials,
  type EgressFetchFunction,
  requestAccessToken,
  type TokenRequest,
} from './auth';
export { type CallRequest, type CallResult, callOperation, retryAfter } from './call-operation';
export { checkHealth, type HealthCheckRequest, type HealthCheckResult } from './health-check';
export {
  type IssuedToken,
  OAuthTokenCache,
  type OAuthTokenCacheOptions,
} from './oauth-token-cache';
