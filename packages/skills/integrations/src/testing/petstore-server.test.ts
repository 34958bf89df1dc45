import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOpenApi } from '../engine/openapi';
import { type PetstoreServer, startPetstoreServer } from './petstore-server';

let store: PetstoreServer;
const oauth = { clientId: 'client one', clientSecret: 's3cret&more', tokenLifetimeSec: 60 };

beforeAll(async () => {
  store = await startPetstoreServer({
    token: 'tok',
    apiKey: 'key',
    basic: { username: 'u', password: 'p' },
    oauth,
  });
});

afterAll(async () => {
  await store.close();
});

const call = (path: string, init: RequestInit = {}) =>
  globalThis.fetch(`${store.url}${path}`, init);

describe('the Petstore peer', () => {
  it('serves a valid OpenAPI document of itself with every way in as a security alternative', async () => {
    const document = (await (await call('/openapi.json')).json()) as Record<string, unknown>;
    expect(checkOpenApi(document).problems).toEqual([]);
    expect(document.servers).toEqual([{ url: store.url }]);
    expect(document.security).toEqual([
      { bearerAuth: [] },
      { apiKeyAuth: [] },
      { basicAuth: [] },
      { oauth: ['pets:read', 'pets:write'] },
    ]);
  });

  it('refuses the pets without a valid credential and accepts each way in', async () => {
    expect((await call('/pets')).status).toBe(401);
    expect((await call('/pets', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await call('/pets', { headers: { authorization: 'Bearer tok' } })).status).toBe(200);
    expect((await call('/pets', { headers: { 'x-api-key': 'key' } })).status).toBe(200);
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect((await call('/pets', { headers: { authorization: basic } })).status).toBe(200);
    expect((await call('/health')).status).toBe(200);
  });

  it('issues client-credentials tokens (client in the form too) that stop working when expired', async () => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: oauth.clientId,
      client_secret: oauth.clientSecret,
    });
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const issued = await call('/oauth/token', { method: 'POST', headers, body: form.toString() });
    const answer = (await issued.json()) as { access_token: string; expires_in: number };
    expect(answer.expires_in).toBe(60);
    const bearer = { authorization: `Bearer ${answer.access_token}` };
    expect((await call('/pets/1', { headers: bearer })).status).toBe(200);
    expect((await call('/oauth/revoke-all', { method: 'POST' })).status).toBe(204);
    expect((await call('/pets/1', { headers: bearer })).status).toBe(401);
    form.set('client_secret', 'wrong');
    const refused = await call('/oauth/token', { method: 'POST', headers, body: form.toString() });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
    const badGrant = await call('/oauth/token', {
      method: 'POST',
      headers,
      body: 'grant_type=password',
    });
    expect(badGrant.status).toBe(400);
  });

  it('checks its input and records every request', async () => {
    const auth = { authorization: 'Bearer tok', 'content-type': 'application/json' };
    expect((await call('/pets?limit=0', { headers: auth })).status).toBe(400);
    expect((await call('/pets/abc', { headers: auth })).status).toBe(400);
    expect((await call('/pets/99', { headers: auth })).status).toBe(404);
    expect(
      (await call('/pets', { method: 'POST', headers: auth, body: '{"tag":"x"}' })).status,
    ).toBe(400);
    expect((await call('/pets', { method: 'PUT', headers: auth })).status).toBe(405);
    const last = store.requests.at(-2)!;
    expect(last).toMatchObject({ method: 'POST', path: '/pets', body: '{"tag":"x"}' });
    expect(last.headers.authorization).toBe('Bearer tok');
  });
});
