import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { consoleAdapter } from '@botwire/adapter-console';
import { type Bot, createBot, loadConfig, silentLogger } from '@botwire/core';
import { scriptedChatModel } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoApi, startDemoApi } from './demo-api/server.mjs';

/**
 * The assistant connects an API when told to in the console: the demo notes API (demo-api/,
 * on loopback) is connected with "connect API <url> as demo token <token>" and no model; a plan
 * of a scripted model then calls the notes tool it was offered, and the console prints a seed
 * note. The token reaches the API in its Authorization header and nowhere the user or the model
 * can read it; /disconnect deletes it.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const token = `demo-${Math.random().toString(36).slice(2)}-secret`;
const input = new PassThrough();
const output = new PassThrough();
let printed = '';
output.on('data', (chunk: Buffer) => {
  printed += chunk.toString('utf8');
});
let api: DemoApi;
let bot: Bot;
let dataDir: string;
/** Where the console's output stood when the connect line was typed. */
let afterConnect = 0;
const model = scriptedChatModel();

beforeAll(async () => {
  api = await startDemoApi({ token });
  dataDir = mkdtempSync(join(tmpdir(), 'botwire-assistant-integrations-'));
  const { config } = await loadConfig(join(here, 'botwire.config.ts'), { env: {} });
  bot = createBot({
    config: { ...config, http: false, egress: { allow: ['127.0.0.1'] } },
    rootDir: here,
    dataDir,
    adapters: [
      consoleAdapter({ input, output, interactive: false, locale: 'en', userName: 'ann' }),
    ],
    log: silentLogger,
    env: {},
    terminal: { write: () => true },
    model,
  });
  await bot.start();
}, 60_000);

afterAll(async () => {
  input.end();
  await bot?.stop();
  await api?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Waits until the console printed, after `from`, something that matches. */
async function printedSoon(pattern: RegExp, from = 0, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(printed.slice(from))) {
    if (Date.now() > deadline) throw new Error(`the console never printed ${pattern}:\n${printed}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return printed.slice(from);
}

/** What the user typed next, and where the console's output stood then. */
function type(line: string): number {
  const from = printed.length;
  input.write(`${line}\n`);
  return from;
}

describe('the assistant connects the demo notes API', () => {
  it('refuses a wrong token, says so, and saves nothing', async () => {
    const from = type(`connect API ${api.openApiUrl} as demo token wrong-token-1234`);
    expect(await printedSoon(/refused the credentials/, from)).toContain('GET /notes: HTTP 401');
    expect((await bot.secrets.list()).map((secret) => secret.name)).not.toContain(
      'integration.demo.token',
    );
  });

  it('connects it from the chat line the demo prints, with no model, and lists its operations', async () => {
    afterConnect = type(`connect API ${api.openApiUrl} as demo token ${token}`);
    const text = await printedSoon(/Connected demo[\s\S]*delete_note/, afterConnect);
    expect(text).toMatch(/Connected demo \(Demo notes\): 5 operations; health check GET \/health/);
    for (const operation of ['get_health', 'list_notes', 'create_note', 'get_note', 'delete_note'])
      expect(text).toContain(`• ${operation}:`);
    expect(model.requests).toHaveLength(0);
    // The health path is open; the token was tried on GET /notes before anything was saved.
    const signedIn = api.requests.findLast((request) => request.path === '/notes');
    expect(signedIn?.headers.authorization).toBe(`Bearer ${token}`);
    expect((await bot.secrets.list()).map((secret) => secret.name)).toContain(
      'integration.demo.token',
    );
  });

  it('shows it under /integrations', async () => {
    const from = type('/integrations');
    expect(await printedSoon(/demo \(yours\)/, from)).toMatch(/demo \(yours\): .*list_notes/);
  });

  it("lets a plan call the notes tool it was offered and prints a seed note's title", async () => {
    const requestsBefore = api.requests.length;
    let offered: string[] = [];
    model.push((request) => {
      offered = JSON.stringify(request).match(/\bdemo_[a-z_]+/g) ?? [];
      return {
        json: {
          mode: 'plan',
          steps: [
            {
              id: 's1',
              tool: offered.find((name) => name === 'demo_list_notes') ?? 'none',
              arguments: { q: 'покупок', limit: 5 },
            },
          ],
          final: 'last_step',
        },
      };
    });
    const from = type('покажи мои заметки про покупки');
    await printedSoon(/Список покупок/, from);
    expect(offered).toContain('demo_list_notes');
    const sent = api.requests.slice(requestsBefore);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /notes']);
    expect(sent[0]?.query).toEqual({ q: 'покупок', limit: '5' });
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('keeps the token out of what the console printed and what the model saw', () => {
    expect(printed.slice(afterConnect)).not.toContain(token);
    const seen = JSON.stringify(model.requests);
    // The model saw the connect line in the history, with the token hidden.
    expect(seen).toContain(`connect API ${api.openApiUrl} as demo token [redacted]`);
    expect(seen).not.toContain(token);
  });

  it('/disconnect demo removes it and deletes its token', async () => {
    const from = type('/disconnect demo');
    await printedSoon(/Disconnected demo; its credentials are deleted/, from);
    expect((await bot.secrets.list()).map((secret) => secret.name)).not.toContain(
      'integration.demo.token',
    );
    const listed = type('/integrations');
    await printedSoon(/No API is connected/, listed);
  });
});
