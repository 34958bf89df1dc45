import { EgressPolicy, egressFetch } from '@botwire/core';
import { closeEgressDispatcher, freePort } from '@botwire/core/testing';
import { describe, expect, it } from 'vitest';
import { endpoint, rejection, usePetstore } from './call-test-support';
import { type CallRequest, callOperation, type EgressFetchFunction } from './execute';

const { fetch, petstore } = usePetstore();

describe('retries', () => {
  const flaky = (method: 'GET' | 'POST' | 'PUT' | 'PATCH') =>
    endpoint({
      name: 'flaky',
      method,
      path: '/testing/flaky/{key}',
      params: {
        key: { type: 'string', in: 'path' },
        failures: { type: 'integer' },
        status: { type: 'integer' },
        retryAfter: { type: 'string' },
      },
    });

  it('repeats idempotent methods after 429 and 502/503/504, never POST or PATCH', async () => {
    const { server } = await petstore();
    const call = (
      method: 'GET' | 'POST' | 'PUT' | 'PATCH',
      args: Record<string, unknown>,
      extra: Partial<CallRequest> = {},
    ) => callOperation({ baseUrl: server.url, operation: flaky(method), args, fetch, ...extra });
    expect(await call('GET', { key: 'a', failures: 2 })).toMatchObject({
      status: 200,
      attempts: 3,
      body: { attempt: 3 },
    });
    expect(await call('PUT', { key: 'b', failures: 1, status: 429 })).toMatchObject({
      status: 200,
      attempts: 2,
    });
    expect(await call('GET', { key: 'c', failures: 5, status: 504 })).toMatchObject({
      status: 504,
      attempts: 3,
    });
    expect(await call('GET', { key: 'd', failures: 5 }, { retries: 0 })).toMatchObject({
      status: 503,
      attempts: 1,
    });
    expect(await call('GET', { key: 'e', failures: 1, status: 500 })).toMatchObject({
      status: 500,
      attempts: 1,
    });
    expect(await call('POST', { key: 'f', failures: 1 })).toMatchObject({
      status: 503,
      attempts: 1,
    });
    expect(await call('PATCH', { key: 'g', failures: 1 })).toMatchObject({
      status: 503,
      attempts: 1,
    });
  });

  it('honours a short Retry-After and gives up on a long one', async () => {
    const { server } = await petstore();
    const started = Date.now();
    const short = await callOperation({
      baseUrl: server.url,
      operation: flaky('GET'),
      args: { key: 'h', failures: 1, status: 429, retryAfter: '1' },
      fetch,
    });
    expect(short).toMatchObject({ status: 200, attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const long = await callOperation({
      baseUrl: server.url,
      operation: flaky('GET'),
      args: { key: 'i', failures: 1, status: 503, retryAfter: '120' },
      fetch,
    });
    expect(long).toMatchObject({ status: 503, attempts: 1 });
  });

  it('repeats a GET after a network error, not a POST', async () => {
    const port = await freePort();
    let calls = 0;
    const counting: EgressFetchFunction = (url, init) => {
      calls++;
      return fetch(url, init);
    };
    const get = await rejection(
      callOperation({
        baseUrl: `http://127.0.0.1:${port}`,
        operation: flaky('GET'),
        args: { key: 'x' },
        fetch: counting,
      }),
    );
    expect(get.code).toBe('BOTWIRE_EGRESS_FAILED');
    expect(calls).toBe(3);
    calls = 0;
    await rejection(
      callOperation({
        baseUrl: `http://127.0.0.1:${port}`,
        operation: flaky('POST'),
        args: { key: 'x' },
        fetch: counting,
      }),
    );
    expect(calls).toBe(1);
  });
});

describe('limits', () => {
  const big = endpoint({
    name: 'big',
    method: 'GET',
    path: '/testing/big',
    params: { bytes: { type: 'integer' }, type: { type: 'string' } },
  });

  it('cuts a body past maxResponseBytes and marks it', async () => {
    const { server } = await petstore();
    const text = await callOperation({
      baseUrl: server.url,
      operation: big,
      args: { bytes: 5000 },
      fetch,
      maxResponseBytes: 1000,
    });
    expect(text.truncated).toBe(true);
    expect(text.body).toBe(
      `${'y'.repeat(1000)}\n[truncated: the response is larger than 1000 bytes; only the first 1000 are shown]`,
    );
    const json = await callOperation({
      baseUrl: server.url,
      operation: big,
      args: { bytes: 5000, type: 'json' },
      fetch,
      maxResponseBytes: 100,
    });
    expect(typeof json.body).toBe('string');
    expect(json.body as string).toMatch(/^\{"data":"x+\n\[truncated: /);
    const whole = await callOperation({
      baseUrl: server.url,
      operation: big,
      args: { bytes: 500, type: 'json' },
      fetch,
    });
    expect(whole).toMatchObject({ truncated: false, body: { data: 'x'.repeat(489) } });
  });

  it('stops a request that takes longer than timeoutMs', async () => {
    const { server } = await petstore();
    const slow = endpoint({
      name: 'slow',
      method: 'GET',
      path: '/testing/slow',
      params: { ms: { type: 'integer' } },
    });
    const started = Date.now();
    const error = await rejection(
      callOperation({
        baseUrl: server.url,
        operation: slow,
        args: { ms: 5000 },
        fetch,
        timeoutMs: 300,
      }),
    );
    expect(error.code).toBe('BOTWIRE_EGRESS_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('passes the egress policy refusal on unchanged', async () => {
    const { operation, baseUrl } = await petstore();
    const closed = new EgressPolicy();
    const error = await rejection(
      callOperation({
        baseUrl,
        operation: operation('list_pets'),
        args: {},
        fetch: (url, init) => egressFetch(closed, url, init),
      }),
    );
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(error.details).toMatchObject({ rule: 'loopback' });
    await closeEgressDispatcher(closed);
  });
});
