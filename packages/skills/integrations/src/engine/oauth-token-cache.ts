import { createHash } from 'node:crypto';

/** A token as a token endpoint issued it. */
export interface IssuedToken {
  accessToken: string;
  /** Seconds until it expires (`expires_in`); undefined when the endpoint did not say. */
  expiresInSec?: number;
}

/** Options for {@link OAuthTokenCache}. */
export interface OAuthTokenCacheOptions {
  /** The clock, in ms (tests pass their own). Default `Date.now`. */
  now?: () => number;
  /** How long a token is kept when its endpoint gives no `expires_in`, in seconds. Default 300. */
  defaultLifetimeSec?: number;
  /** The most tokens kept; the soonest to expire go first. Default 1000. */
  maxEntries?: number;
}

interface Entry {
  accessToken: string;
  expiresAt: number;
}

/**
 * OAuth2 access tokens kept until shortly before they expire (a tenth of their lifetime, at
 * most 30 s), per token URL, client and scopes, so a tool call does not ask the token
 * endpoint each time. Concurrent calls that need the same missing token share one request.
 * The key includes a hash of the client secret: a caller with the right client id but another
 * secret never gets a token someone else obtained.
 *
 * @example
 * const tokens = new OAuthTokenCache();
 * await callOperation({ ...request, tokenCache: tokens });
 */
export class OAuthTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly now: () => number;
  private readonly defaultLifetimeSec: number;
  private readonly maxEntries: number;

  constructor(options: OAuthTokenCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.defaultLifetimeSec = options.defaultLifetimeSec ?? 300;
    this.maxEntries = options.maxEntries ?? 1000;
  }

  /** The key of a client's tokens. */
  static key(
    tokenUrl: string,
    clientId: string,
    clientSecret: string,
    scopes: readonly string[] = [],
  ): string {
    const secret = createHash('sha256').update(clientSecret).digest('base64url');
    return JSON.stringify([tokenUrl, clientId, secret, [...scopes].sort()]);
  }

  /** The token under `key` while it is still valid. */
  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.accessToken;
    this.entries.delete(key);
    return undefined;
  }

  /** Keeps a token until shortly before it expires; a token that expires at once is not kept. */
  set(key: string, token: IssuedToken): void {
    const lifetimeMs = (token.expiresInSec ?? this.defaultLifetimeSec) * 1000;
    const marginMs = Math.min(30_000, lifetimeMs / 10);
    if (!(lifetimeMs - marginMs > 0)) return;
    this.entries.delete(key);
    this.entries.set(key, {
      accessToken: token.accessToken,
      expiresAt: this.now() + lifetimeMs - marginMs,
    });
    this.prune();
  }

  /** Forgets the token under `key` (the API refused it). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every token. */
  clear(): void {
    this.entries.clear();
  }

  /**
   * The token under `key`, else a new one from `issue`, kept; calls that arrive while it is
   * being issued wait for the same one. `cached` says whether it was already kept.
   */
  async obtain(
    key: string,
    issue: () => Promise<IssuedToken>,
  ): Promise<{ token: string; cached: boolean }> {
    const kept = this.get(key);
    if (kept) return { token: kept, cached: true };
    let pending = this.pending.get(key);
    if (!pending) {
      pending = issue().then((token) => {
        this.set(key, token);
        return token.accessToken;
      });
      this.pending.set(key, pending);
      const clear = () => this.pending.delete(key);
      pending.then(clear, clear);
    }
    return { token: await pending, cached: false };
  }

  private prune(): void {
    if (this.entries.size <= this.maxEntries) return;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    const soonest = [...this.entries].sort((a, b) => a[1].expiresAt - b[1].expiresAt);
    for (const [key] of soonest.slice(0, this.entries.size - this.maxEntries))
      this.entries.delete(key);
  }
}
