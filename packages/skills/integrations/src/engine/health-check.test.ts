import { freePort } from '@botwire/core/testing';
import { describe, expect, it } from 'vitest';
import { usePetstore } from './call-test-support';
import { checkHealth } from './execute';

const { fetch, petstore } = usePetstore();

describe('checkHealth', () => {
  it('reports a healthy API, a wrong status and an unreachable one without throwing', async () => {
    const { server } = await petstore({ token: 't0k3n-health' });
    const health = { method: 'GET' as const, path: '/health', expectStatus: 200 };
    const good = await checkHealth({ baseUrl: server.url, health, fetch });
    expect(good).toMatchObject({ ok: true, status: 200, preview: '{"status":"ok","pets":3}' });
    expect(good.error).toBeUndefined();

    server.setHealthy(false);
    const bad = await checkHealth({ baseUrl: server.url, health, fetch });
    expect(bad).toMatchObject({
      ok: false,
      status: 503,
      preview: '{"code":503,"message":"The store is closed"}',
    });
    expect(bad.error).toBe(`expected HTTP 200 from ${server.url}/health, got 503`);

    const guarded = await checkHealth({
      baseUrl: server.url,
      health: { path: '/pets' },
      auth: { type: 'bearer' },
      credentials: { token: 't0k3n-health' },
      fetch,
    });
    expect(guarded).toMatchObject({ ok: true, status: 200 });
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer t0k3n-health');

    const port = await freePort();
    const down = await checkHealth({ baseUrl: `http://127.0.0.1:${port}`, health, fetch });
    expect(down).toMatchObject({ ok: false, status: 0, preview: '' });
    expect(down.error).toContain(`Could not fetch http://127.0.0.1:${port}/health`);

    const missing = await checkHealth({
      baseUrl: server.url,
      health,
      auth: { type: 'bearer' },
      fetch,
    });
    expect(missing).toMatchObject({
      ok: false,
      status: 0,
      error: 'Bearer auth needs credentials.token, which is not set.',
    });
  });
});
