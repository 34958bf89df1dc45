import { afterEach, describe, expect, it } from 'vitest';
import { type OllamaPeer, startOllamaPeer } from './ollama-peer';

let peer: OllamaPeer;
afterEach(() => peer?.close());

const post = (path: string, body: unknown) =>
  fetch(`${peer.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const chat = (body: Record<string, unknown>) =>
  post('/api/chat', { model: 'm', messages: [{ role: 'user', content: 'Hi' }], ...body });

describe('startOllamaPeer', () => {
  it('answers /api/chat in one JSON object for stream: false, with eval counts', async () => {
    peer = await startOllamaPeer({ script: [{ toolCalls: [{ name: 'f', arguments: { a: 1 } }] }] });
    const body = (await (
      await chat({ stream: false, format: { type: 'object' } })
    ).json()) as Record<string, number>;
    expect(body).toMatchObject({
      model: 'm',
      done: true,
      done_reason: 'stop',
      message: {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }],
      },
    });
    expect(body.prompt_eval_count).toBeGreaterThan(0);
    expect(body.eval_count).toBeGreaterThan(0);
    expect(peer.chatRequests[0]?.responseSchema).toEqual({ schema: { type: 'object' } });
  });

  it('streams NDJSON when stream is not false, as Ollama does by default', async () => {
    peer = await startOllamaPeer({ script: [{ text: 'Hello' }] });
    const response = await chat({});
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ message: { content: 'Hello' }, done: false });
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
  });

  it('rejects bodies Ollama cannot decode, unknown models and unknown routes', async () => {
    peer = await startOllamaPeer({ models: ['m'], script: [{ text: 'never' }] });
    const cases: [Record<string, unknown>, string][] = [
      [{ model: '' }, 'model is required'],
      [{ format: 'yaml' }, 'invalid format'],
      [{ messages: [{ role: 'user', content: 5 }] }, 'cannot unmarshal number'],
      [
        {
          messages: [
            {
              role: 'assistant',
              content: '',
              tool_calls: [{ function: { name: 'f', arguments: '{}' } }],
            },
          ],
        },
        'cannot unmarshal string',
      ],
      [
        { tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] },
        'cannot unmarshal string',
      ],
    ];
    for (const [body, words] of cases) {
      const response = await chat({ stream: false, ...body });
      expect(response.status, words).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain(words);
    }
    const unknown = await chat({ model: 'other', stream: false });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: 'model "other" not found, try pulling it first',
    });
    const route = await post('/api/nothing', {});
    expect(route.status).toBe(404);
    expect(await route.text()).toBe('404 page not found');
    expect(peer.pending).toBe(1);
  });

  it('answers 401 without the bearer key and 500 once the script is exhausted', async () => {
    peer = await startOllamaPeer({ apiKey: 'k' });
    expect((await chat({ stream: false })).status).toBe(401);
    const keyed = await fetch(`${peer.url}/api/chat`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'm', stream: false }),
    });
    expect(keyed.status).toBe(500);
    expect(((await keyed.json()) as { error: string }).error).toContain('script is exhausted');
  });

  it('embeds through /api/embed and the legacy /api/embeddings, and says it is running', async () => {
    peer = await startOllamaPeer({ dimensions: 3 });
    const embed = (await (await post('/api/embed', { model: 'e', input: ['x', 'y'] })).json()) as {
      embeddings: number[][];
      prompt_eval_count: number;
    };
    expect(embed.embeddings).toHaveLength(2);
    expect(embed.embeddings[0]).toHaveLength(3);
    const legacy = (await (await post('/api/embeddings', { model: 'e', prompt: 'x' })).json()) as {
      embedding: number[];
    };
    expect(legacy.embedding).toEqual(embed.embeddings[0]);
    expect(await (await fetch(`${peer.url}/`)).text()).toBe('Ollama is running');
  });
});
