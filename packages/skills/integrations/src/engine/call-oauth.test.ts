import { describe, expect, it } from 'vitest';
import { rejection, usePetstore } from './call-test-support';
import { callOperation, OAuthTokenCache } from './execute';

const { fetch, petstore } = usePetstore();

describe('OAuth2 client credentials', () => {
  const oauth = {
    clientId: 'bot-client',
    clientSecret: 'client-secret-xyz',
    tokenLifetimeSec: 3600,
  };
  const credentials = { clientId: oauth.clientId, clientSecret: oauth.clientSecret };

  async function setup() {
    const store = await petstore({ oauth });
    const list = store.operation('list_pets');
    const tokenCache = new OAuthTokenCache();
    const call = (cache: OAuthTokenCache | undefined = tokenCache) =>
      callOperation({
        baseUrl: store.baseUrl,
        operation: list,
        args: {},
        auth: list.security!,
        credentials,
        fetch,
        ...(cache ? { tokenCache: cache } : {}),
      });
    const tokenRequests = () =>
      store.server.requests.filter((request) => request.path === '/oauth/token');
    const issued = () =>
      store.server.requests
        .filter((request) => request.path === '/pets')
        .map((request) => request.headers.authorization!.replace('Bearer ', ''));
    return { ...store, call, tokenRequests, issued, tokenCache };
  }

  it('asks for a token once and keeps it', async () => {
    const { call, tokenRequests, issued } = await setup();
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    expect(tokenRequests()).toHaveLength(1);
    const [tokenRequest] = tokenRequests();
    expect(tokenRequest!.method).toBe('POST');
    expect(tokenRequest!.headers.authorization).toBe(
      `Basic ${Buffer.from('bot-client:client-secret-xyz').toString('base64')}`,
    );
    expect(tokenRequest!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenRequest!.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'pets:read pets:write',
    });
    const tokens = issued();
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toMatch(/^[0-9a-f]{48}$/);
    expect(tokens[1]).toBe(tokens[0]);
  });

  it('renews a kept token once after the API refuses it', async () => {
    const { server, call, tokenRequests, issued } = await setup();
    await call();
    server.expireTokens();
    const result = await call();
    expect(result).toMatchObject({ status: 200, ok: true, attempts: 2 });
    expect(tokenRequests()).toHaveLength(2);
    const tokens = issued();
    expect(tokens).toHaveLength(3);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  it('fails clearly, without a secret, when the token cannot be renewed', async () => {
    const { server, call, issued } = await setup();
    await call();
    server.expireTokens();
    server.refuseTokens();
    const error = await rejection(call());
    expect(error.code).toBe('BOTWIRE_INTEGRATION_AUTH_FAILED');
    expect(error.message).toMatch(
      /OAuth2 access token .*expired or was revoked.*could not be renewed/,
    );
    expect(error.message).toContain('refused the client credentials (HTTP 401: invalid_client)');
    const everything = JSON.stringify([error.message, error.hint, error.details, error.describe()]);
    for (const secret of [
      oauth.clientSecret,
      ...issued(),
      Buffer.from('bot-client:client-secret-xyz').toString('base64'),
    ])
      expect(everything).not.toContain(secret);

    const fresh = await rejection(call(new OAuthTokenCache()));
    expect(fresh.code).toBe('BOTWIRE_INTEGRATION_AUTH_FAILED');
    expect(fresh.message).toContain('no access token could be obtained');
  });

  it('fails when the API refuses a token even after renewal', async () => {
    const { server, call, tokenRequests } = await setup();
    await call();
    server.expireTokens();
    // Each new token is revoked as soon as it is issued: the renewed one is refused too.
    const original = server.requests.push.bind(server.requests);
    server.requests.push = (...items) => {
      if (items.some((item) => item.path === '/pets')) server.expireTokens();
      return original(...items);
    };
    const error = await rejection(call());
    expect(error.message).toMatch(
      /refused the OAuth2 access token \(HTTP 401\), even after it was renewed/,
    );
    expect(tokenRequests()).toHaveLength(2);
  });
});
