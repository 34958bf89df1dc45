import { EgressPolicy, egressFetch } from '@botwire/core';
import { closeEgressDispatcher } from '@botwire/core/testing';
import { describe, expect, it } from 'vitest';
import { endpoint, rejection, usePetstore } from './call-test-support';
import { callOperation } from './execute';

const { fetch, petstore } = usePetstore();

describe('auth against the Petstore peer', () => {
  it('bearer: sends Authorization: Bearer and reads the JSON answer', async () => {
    const { server, operation, baseUrl } = await petstore({ token: 'bearer-secret-1' });
    const getPet = operation('get_pet_by_id');
    const result = await callOperation({
      baseUrl,
      operation: getPet,
      args: { petId: 2 },
      auth: getPet.security!,
      credentials: { token: 'bearer-secret-1' },
      fetch,
    });
    expect(result).toMatchObject({
      status: 200,
      ok: true,
      body: { id: 2, name: 'Tom', tag: 'cat' },
      truncated: false,
      url: `${server.url}/pets/2`,
      attempts: 1,
    });
    expect(result.headers['content-type']).toBe('application/json');
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer bearer-secret-1');

    const wrong = await callOperation({
      baseUrl,
      operation: getPet,
      args: { petId: 2 },
      auth: { type: 'bearer' },
      credentials: { token: 'nope' },
      fetch,
    });
    expect(wrong).toMatchObject({ status: 401, ok: false, body: { code: 401 } });
    expect(JSON.stringify(wrong)).not.toContain('nope');

    const missing = await rejection(
      callOperation({
        baseUrl,
        operation: getPet,
        args: { petId: 2 },
        auth: { type: 'bearer' },
        fetch,
      }),
    );
    expect(missing.message).toBe('Bearer auth needs credentials.token, which is not set.');
    expect(missing.code).toBe('BOTWIRE_INTEGRATION_CREDENTIALS_MISSING');
    expect(missing.details).toEqual({ credential: 'token' });
  });

  it('apiKey in a header', async () => {
    const { server, operation, baseUrl } = await petstore({ apiKey: 'key-in-header-1' });
    const list = operation('list_pets');
    expect(list.security).toEqual({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    const result = await callOperation({
      baseUrl,
      operation: list,
      args: { tag: 'dog', limit: 5 },
      auth: list.security!,
      credentials: { apiKey: 'key-in-header-1' },
      fetch,
    });
    expect(result.body).toEqual([{ id: 1, name: 'Rex', tag: 'dog' }]);
    const request = server.requests.at(-1)!;
    expect(request.headers['x-api-key']).toBe('key-in-header-1');
    expect(request.query).toEqual({ tag: 'dog', limit: '5' });
    expect(result.url).toBe(`${server.url}/pets?limit=5&tag=dog`);
  });

  it('apiKey in the query: the result URL has no query, so no key', async () => {
    const { server, operation, baseUrl } = await petstore({
      apiKey: 'key-in-query-1',
      apiKeyIn: 'query',
    });
    const list = operation('list_pets');
    const result = await callOperation({
      baseUrl,
      operation: list,
      args: { tag: 'cat' },
      auth: list.security!,
      credentials: { apiKey: 'key-in-query-1' },
      fetch,
    });
    expect(result.status).toBe(200);
    expect(server.requests.at(-1)!.query).toEqual({ tag: 'cat', api_key: 'key-in-query-1' });
    expect(result.url).toBe(`${server.url}/pets`);
    expect(JSON.stringify(result)).not.toContain('key-in-query-1');
  });

  it('an egress error that quotes the key in the query keeps its code, with the key redacted', async () => {
    const { operation, baseUrl } = await petstore({ apiKey: 'key-in-query-2', apiKeyIn: 'query' });
    const closed = new EgressPolicy();
    const error = await rejection(
      callOperation({
        baseUrl,
        operation: operation('list_pets'),
        args: {},
        auth: { type: 'apiKey', in: 'query', name: 'api_key' },
        credentials: { apiKey: 'key-in-query-2' },
        fetch: (url, init) => egressFetch(closed, url, init),
      }),
    );
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(error.message).toContain('/pets?api_key=[redacted]: 127.0.0.1 is a loopback address');
    expect(JSON.stringify(error.toJSON())).not.toContain('key-in-query-2');
    await closeEgressDispatcher(closed);
  });

  it('basic: sends Authorization: Basic base64(user:password)', async () => {
    const { server, operation, baseUrl } = await petstore({
      basic: { username: 'anna', password: 'pässword:1' },
    });
    const result = await callOperation({
      baseUrl,
      operation: operation('get_pet_by_id'),
      args: { petId: 1 },
      auth: { type: 'basic' },
      credentials: { username: 'anna', password: 'pässword:1' },
      fetch,
    });
    expect(result.status).toBe(200);
    expect(server.requests.at(-1)!.headers.authorization).toBe(
      `Basic ${Buffer.from('anna:pässword:1').toString('base64')}`,
    );
    const missing = await rejection(
      callOperation({
        baseUrl,
        operation: operation('get_pet_by_id'),
        args: { petId: 1 },
        auth: { type: 'basic' },
        credentials: { username: 'anna' },
        fetch,
      }),
    );
    expect(missing.message).toContain('credentials.password');
  });
});

describe('requests', () => {
  it('encodes path parameters, repeats array query keys, sends headers and JSON bodies', async () => {
    const { server } = await petstore();
    const echo = endpoint({
      name: 'echo',
      method: 'POST',
      path: '/testing/echo',
      params: {
        tag: { type: 'array', items: { type: 'string' } },
        'X-Trace': { type: 'string', in: 'header' },
        flag: { type: 'boolean' },
      },
      body: { type: 'object' },
    });
    const result = await callOperation({
      baseUrl: server.url,
      operation: echo,
      args: {
        tag: ['a b', 'c&d'],
        'X-Trace': 't-1',
        flag: false,
        body: { name: 'Kitty', tags: ['x'] },
      },
      fetch,
    });
    const body = result.body as { query: unknown; headers: Record<string, string>; body: string };
    expect(body.query).toEqual({ tag: ['a b', 'c&d'], flag: 'false' });
    expect(server.requests.at(-1)!.url).toBe('/testing/echo?tag=a+b&tag=c%26d&flag=false');
    expect(body.headers['x-trace']).toBe('t-1');
    expect(body.headers['content-type']).toBe('application/json');
    expect(JSON.parse(body.body)).toEqual({ name: 'Kitty', tags: ['x'] });

    const byName = endpoint({
      name: 'pet',
      method: 'GET',
      path: '/pets/{id}',
      params: { id: { type: 'string', in: 'path' } },
    });
    const encoded = await callOperation({
      baseUrl: server.url,
      operation: byName,
      args: { id: 'a/b' },
      fetch,
    });
    expect(server.requests.at(-1)!.url).toBe('/pets/a%2Fb');
    expect(encoded).toMatchObject({
      status: 400,
      body: { message: 'petId must be a whole number; got "a/b"' },
    });
    const traversal = await rejection(
      callOperation({ baseUrl: server.url, operation: byName, args: { id: '..' }, fetch }),
    );
    expect(traversal.code).toBe('BOTWIRE_TOOL_ARGUMENTS_INVALID');
  });

  it('adds, reads and removes pets', async () => {
    const { server, operation, baseUrl } = await petstore();
    const call = (id: string, args: Record<string, unknown>) =>
      callOperation({ baseUrl, operation: operation(id), args, fetch });
    const created = await call('create_pet', { body: { name: 'Kitty', tag: 'cat' } });
    expect(created).toMatchObject({ status: 201, body: { id: 4, name: 'Kitty', tag: 'cat' } });
    expect(created.headers.location).toBe('/pets/4');
    expect((await call('list_pets', { tag: 'cat' })).body).toHaveLength(2);
    const removed = await call('delete_pet', { petId: 4 });
    expect(removed).toMatchObject({ status: 204, ok: true, body: null });
    expect(await call('get_pet_by_id', { petId: 4 })).toMatchObject({
      status: 404,
      ok: false,
      body: { code: 404, message: 'Pet 4 not found' },
    });
    expect(server.pets.map((pet) => pet.id)).toEqual([1, 2, 3]);
  });

  it('never shows an echoed credential', async () => {
    const { server } = await petstore();
    const echo = endpoint({ name: 'echo', method: 'GET', path: '/testing/echo' });
    const result = await callOperation({
      baseUrl: server.url,
      operation: echo,
      args: {},
      auth: { type: 'bearer' },
      credentials: { token: 'echoed-token-123' },
      fetch,
    });
    expect((result.body as { headers: Record<string, string> }).headers.authorization).toBe(
      'Bearer [redacted]',
    );
  });
});
