import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type QdrantPeer, startQdrantPeer } from './qdrant-peer';

describe('startQdrantPeer', () => {
  let peer: QdrantPeer;
  const http = async (method: string, path: string, body?: unknown, headers = {}) => {
    const response = await fetch(`${peer.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: the answers are read loosely, as JSON.
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, json };
  };
  const points = [
    { id: 1, vector: [3, 4], payload: { city: 'Berlin', n: 1, tags: ['a', 'b'] } },
    { id: 2, vector: [0, 2], payload: { city: 'London', n: 2, geo: { country: 'UK' } } },
    {
      id: '9F1B5A9C-0D3C-4C1E-9F6A-1B2C3D4E5F60',
      vector: [1, 0],
      payload: { city: 'Moscow', n: 3, 'a.b': true, list: [{ x: 1 }, { x: 2 }] },
    },
    { id: 3, vector: [-1, 0], payload: {} },
  ];
  const scroll = async (filter: unknown) =>
    (await http('POST', '/collections/c/points/scroll', { filter, limit: 100 })).json.result.points
      .map((point: { id: unknown }) => point.id)
      .sort();

  beforeEach(async () => {
    peer = await startQdrantPeer();
    await http('PUT', '/collections/c', { vectors: { size: 2, distance: 'Cosine' } });
    await http('PUT', '/collections/c/points?wait=true', { points });
  });
  afterEach(() => peer.close());

  it('reports its version and answers in Qdrant envelopes', async () => {
    expect((await http('GET', '/')).json).toMatchObject({ version: '1.19.0' });
    const list = await http('GET', '/collections');
    expect(list.json).toMatchObject({ result: { collections: [{ name: 'c' }] }, status: 'ok' });
    expect(typeof list.json.time).toBe('number');
    expect((await http('GET', '/collections/c/exists')).json.result).toEqual({ exists: true });
    expect((await http('GET', '/collections/c')).json.result).toMatchObject({
      points_count: 4,
      config: { params: { vectors: { size: 2, distance: 'Cosine' } } },
    });
    expect((await http('PUT', '/collections/c/points', { points: [] })).json.result.status).toBe(
      'acknowledged',
    );
  });

  it('answers wrong input with Qdrant statuses and status.error', async () => {
    const missing = await http('POST', '/collections/nope/points/count', {});
    expect(missing.status).toBe(404);
    expect(missing.json.status.error).toBe("Not found: Collection `nope` doesn't exist!");
    const again = await http('PUT', '/collections/c', { vectors: { size: 2, distance: 'Cosine' } });
    expect(again.status).toBe(409);
    const wrongLength = await http('PUT', '/collections/c/points', {
      points: [{ id: 5, vector: [1, 2, 3] }],
    });
    expect(wrongLength.status).toBe(400);
    expect(wrongLength.json.status.error).toBe(
      'Wrong input: Vector dimension error: expected dim: 2, got 3',
    );
    const badId = await http('PUT', '/collections/c/points', {
      points: [{ id: 'not-a-uuid', vector: [1, 2] }],
    });
    expect(badId.status).toBe(400);
    expect(badId.json.status.error).toMatch(/^Format error in JSON body: .*not a valid point ID/);
    expect((await http('POST', '/collections/c/points/count', '{broken')).status).toBe(400);
    const floatMatch = await http('POST', '/collections/c/points/count', {
      filter: { must: [{ key: 'n', match: { value: 1.5 } }] },
    });
    expect(floatMatch.status).toBe(400);
    expect((await http('GET', '/collections/c/unknown')).status).toBe(404);
  });

  it('stores Cosine vectors normalized and ranks by cosine with a score threshold', async () => {
    const [first] = (await http('POST', '/collections/c/points', { ids: [1], with_vector: true }))
      .json.result;
    expect(first.vector).toEqual([0.6, 0.8]);
    const found = await http('POST', '/collections/c/points/query', {
      query: [1, 0],
      limit: 3,
      score_threshold: 0.5,
      with_payload: true,
    });
    expect(found.json.result.points.map((point: { id: unknown }) => point.id)).toEqual([
      '9f1b5a9c-0d3c-4c1e-9f6a-1b2c3d4e5f60',
      1,
    ]);
    expect(found.json.result.points[1].score).toBeCloseTo(0.6, 6);
    expect(found.json.result.points[1].vector).toBeNull();
    const searched = await http('POST', '/collections/c/points/search', {
      vector: [0, 1],
      limit: 1,
      with_payload: ['city'],
    });
    expect(searched.json.result).toMatchObject([{ id: 2, payload: { city: 'London' } }]);
  });

  it('filters with must, should, must_not, match value / any / except, nested keys and has_id', async () => {
    expect(await scroll({ must: [{ key: 'city', match: { value: 'Berlin' } }] })).toEqual([1]);
    expect(await scroll({ must: { key: 'n', match: { any: [1, 3] } } })).toEqual([
      1,
      '9f1b5a9c-0d3c-4c1e-9f6a-1b2c3d4e5f60',
    ]);
    expect(
      await scroll({ must: [{ key: 'city', match: { except: ['Berlin', 'Moscow'] } }] }),
    ).toEqual([2]);
    expect(await scroll({ should: [{ key: 'n', match: { value: 2 } }, { has_id: [3] }] })).toEqual([
      2, 3,
    ]);
    expect(
      await scroll({ must_not: [{ key: 'city', match: { any: ['Berlin', 'London'] } }] }),
    ).toEqual([3, '9f1b5a9c-0d3c-4c1e-9f6a-1b2c3d4e5f60']);
    expect(await scroll({ must: [{ key: 'geo.country', match: { value: 'UK' } }] })).toEqual([2]);
    expect(await scroll({ must: [{ key: '"a.b"', match: { value: true } }] })).toEqual([
      '9f1b5a9c-0d3c-4c1e-9f6a-1b2c3d4e5f60',
    ]);
    expect(await scroll({ must: [{ key: 'list[].x', match: { value: 2 } }] })).toEqual([
      '9f1b5a9c-0d3c-4c1e-9f6a-1b2c3d4e5f60',
    ]);
    expect(await scroll({ must: [{ key: 'tags', match: { value: 'b' } }] })).toEqual([1]);
    expect(await scroll({ must: [{ key: 'city', match: { any: [] } }] })).toEqual([]);
    expect(
      await scroll({
        must: [{ should: [{ key: 'n', range: { gte: 2, lt: 3 } }, { has_id: [1] }] }],
      }),
    ).toEqual([1, 2]);
  });

  it('pages a scroll by id, integers before UUIDs', async () => {
    const pages: unknown[][] = [];
    let offset: unknown;
    do {
      const { json } = await http('POST', '/collections/c/points/scroll', {
        limit: 3,
        with_payload: false,
        ...(offset === undefined ? {} : { offset }),
      });
      pages.push(json.result.points.map((point: { id: unknown }) => point.id));
      expect(json.result.points[0].payload).toBeNull();
      offset = json.result.next_page_offset;
    } while (offset !== null);
    expect(pages).toEqual([[1, 2, 3], ['9f1b5a9c-0d3c-4c1e-9f6a-1b2c3d4e5f60']]);
  });

  it('deletes by ids and by filter, counts, and drops collections', async () => {
    await http('POST', '/collections/c/points/delete?wait=true', { points: [1, 99] });
    const byFilter = await http('POST', '/collections/c/points/delete?wait=true', {
      filter: { must: [{ key: 'city', match: { value: 'London' } }] },
    });
    expect(byFilter.json.result.status).toBe('completed');
    expect(
      (await http('POST', '/collections/c/points/count', { exact: true })).json.result,
    ).toEqual({ count: 2 });
    expect((await http('DELETE', '/collections/c')).json.result).toBe(true);
    expect((await http('DELETE', '/collections/c')).json.result).toBe(false);
  });

  it('requires the api key when it has one', async () => {
    const guarded = await startQdrantPeer({ apiKey: 'k-1234' });
    try {
      const none = await fetch(`${guarded.url}/collections`);
      expect(none.status).toBe(401);
      const wrong = await fetch(`${guarded.url}/collections`, { headers: { 'api-key': 'nope' } });
      expect(wrong.status).toBe(403);
      const right = await fetch(`${guarded.url}/collections`, { headers: { 'api-key': 'k-1234' } });
      expect(right.status).toBe(200);
      const bearer = await fetch(`${guarded.url}/collections`, {
        headers: { authorization: 'Bearer k-1234' },
      });
      expect(bearer.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
