import { describe, expect, it } from 'vitest';
import { OAuthTokenCache } from './oauth-token-cache';

describe('OAuthTokenCache', () => {
  it('keeps a token until a tenth of its lifetime (at most 30 s) before it expires', () => {
    let now = 0;
    const cache = new OAuthTokenCache({ now: () => now });
    cache.set('short', { accessToken: 'a', expiresInSec: 10 });
    cache.set('long', { accessToken: 'b', expiresInSec: 3600 });
    cache.set('unsaid', { accessToken: 'c' });
    now = 8_999;
    expect(cache.get('short')).toBe('a');
    now = 9_000;
    expect(cache.get('short')).toBeUndefined();
    now = 3_569_999;
    expect(cache.get('long')).toBe('b');
    expect(cache.get('unsaid')).toBeUndefined();
    now = 3_570_000;
    expect(cache.get('long')).toBeUndefined();
  });

  it('keys tokens by token URL, client, secret and scopes (in any order)', () => {
    const key = OAuthTokenCache.key('https://auth.example.com/token', 'client', 'secret', [
      'b',
      'a',
    ]);
    expect(key).toBe(
      OAuthTokenCache.key('https://auth.example.com/token', 'client', 'secret', ['a', 'b']),
    );
    expect(key).not.toBe(
      OAuthTokenCache.key('https://auth.example.com/token', 'client', 'other', ['a', 'b']),
    );
    expect(key).not.toBe(
      OAuthTokenCache.key('https://auth.example.com/token', 'client', 'secret', ['a']),
    );
    expect(key).not.toContain('secret');
  });

  it('shares one token request between concurrent calls', async () => {
    const cache = new OAuthTokenCache();
    let issued = 0;
    const issue = async () => {
      issued++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { accessToken: `token-${issued}`, expiresInSec: 60 };
    };
    const results = await Promise.all([cache.obtain('k', issue), cache.obtain('k', issue)]);
    expect(results).toEqual([
      { token: 'token-1', cached: false },
      { token: 'token-1', cached: false },
    ]);
    expect(await cache.obtain('k', issue)).toEqual({ token: 'token-1', cached: true });
    cache.delete('k');
    expect(await cache.obtain('k', issue)).toEqual({ token: 'token-2', cached: false });
  });

  it('keeps at most maxEntries tokens', () => {
    const cache = new OAuthTokenCache({ maxEntries: 2 });
    cache.set('a', { accessToken: 'a', expiresInSec: 10 });
    cache.set('b', { accessToken: 'b', expiresInSec: 100 });
    cache.set('c', { accessToken: 'c', expiresInSec: 50 });
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 'b', 'c']);
  });
});
