import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { consoleAdapter } from '@botwire/adapter-console';
import { webAdapter } from '@botwire/adapter-web';
import { type Adapter, type Bot, createBot, type InlineSkill, silentLogger } from '@botwire/core';
import { type ScriptedChatModel, scriptedChatModel } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeSpace, poppler, popplerTools } from './testing/poppler';

// Acceptance: a 3-step chain search → fetch → the real pdf_create, planned in one model call and
// answered in a second, whose PDF reaches the user through the console and the web adapters.

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** What the fetched page says; it must come out of the PDF again. */
const pageText = [
  '## Ёжики в городе',
  '',
  'Ёж обыкновенный — «ночной садовник»: он ест слизней и жуков.',
  '',
  '- Живёт в парках и садах',
  '- Зимой спит до апреля',
].join('\n');

/** A search and a fetch that never leave the process (the planner fixtures also define pdf_create). */
function fakeWebSkill(calls: string[]): InlineSkill {
  const tool = (name: string, property: string) => ({
    name,
    description: `${name} (fixture).`,
    input_schema: {
      type: 'object',
      properties: { [property]: { type: 'string', minLength: 1 } },
      required: [property],
      additionalProperties: false,
    },
    permissions: ['network' as const],
    side_effects: false,
    timeout_ms: 5000,
  });
  return {
    manifest: {
      name: 'fake-web',
      version: '1.0.0',
      description: 'Search and fetch (fixture).',
      tools: [tool('web_search', 'query'), tool('web_fetch', 'url')],
    },
    definition: {
      tools: {
        web_search: async ({ query }: { query: string }) => {
          calls.push('web_search');
          return {
            text: `1 result for ${query}`,
            data: { results: [{ title: 'Ежи', url: 'https://example.org/hedgehogs' }] },
          };
        },
        web_fetch: async ({ url }: { url: string }) => {
          calls.push(`web_fetch ${url}`);
          return { text: pageText, data: { url } };
        },
      },
    },
  };
}

const plan = {
  mode: 'plan',
  steps: [
    { id: 's1', tool: 'web_search', arguments: { query: 'ежи в городе' } },
    { id: 's2', tool: 'web_fetch', arguments: { url: '{{s1.results[0].url}}' } },
    {
      id: 's3',
      tool: 'pdf_create',
      arguments: { title: 'Ежи: обзор', markdown: '# Обзор\n\n{{s2.text}}' },
    },
  ],
  final: 'compose',
};
const answer = 'Я прочитал страницу и сделал PDF «Ежи: обзор».';
const request = 'Найди про ежей в городе, прочитай первую ссылку и сделай мне PDF';

const folders: string[] = [];
const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function startBot(adapter: Adapter, extra: { http?: { port: number; token: string } } = {}) {
  const calls: string[] = [];
  const model: ScriptedChatModel = scriptedChatModel([{ json: plan }, answer]);
  const dataDir = mkdtempSync(join(tmpdir(), 'botwire-pdf-chain-'));
  folders.push(dataDir);
  const bot = createBot({
    config: {
      storage: 'memory',
      skills: [
        { use: fakeWebSkill(calls), permissions: ['network'] },
        { use: packageDir, permissions: [] },
      ],
      ...extra,
    },
    dataDir,
    adapters: [adapter],
    model,
    log: silentLogger,
  });
  bots.push(bot);
  return { bot, calls, model, dataDir };
}

/** Checks the chain ran as planned and the bytes are the PDF made from the fetched page. */
function expectReport(data: Uint8Array, calls: string[], model: ScriptedChatModel) {
  expect(model.requests).toHaveLength(2);
  expect(calls).toEqual(['web_search', 'web_fetch https://example.org/hedgehogs']);
  expect(Buffer.from(data.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  const text = normalizeSpace(poppler('pdftotext', data));
  expect(text).toMatch(/^Ежи: обзор Обзор Ёжики в городе/);
  expect(text).toContain('Ёж обыкновенный — «ночной садовник»: он ест слизней и жуков.');
  expect(text).toContain('Живёт в парках и садах Зимой спит до апреля');
  expect(poppler('pdfinfo', data)).toMatch(/^Title:\s+Ежи: обзор$/m);
}

// Both tests read the PDF back with poppler-utils: they skip (the reason printed) without it.
const noPoppler = !popplerTools.available;

describe.skipIf(noPoppler)('search → fetch → pdf_create, delivered to the user', () => {
  it('through the console adapter: the file it saves is the PDF', async () => {
    const input = new PassThrough();
    const chunks: string[] = [];
    const output = new Writable({
      write(chunk, _encoding, callback) {
        chunks.push(String(chunk));
        callback();
      },
    });
    const artifactDir = mkdtempSync(join(tmpdir(), 'botwire-pdf-console-'));
    folders.push(artifactDir);
    const adapter = consoleAdapter({
      input,
      output,
      interactive: false,
      userName: 'ann',
      locale: 'ru',
      artifactDir,
    });
    const { bot, calls, model } = startBot(adapter);
    await bot.start();
    input.end(`${request}\n`);
    await bot.finished;

    const printed = chunks.join('');
    expect(printed).toContain(answer);
    const saved = /\[file\] (.+?) \((\d+) bytes\) saved to (.+)$/m.exec(printed);
    expect(saved?.[1]).toBe('Ежи обзор.pdf');
    const data = new Uint8Array(readFileSync(saved![3]!));
    expect(data.byteLength).toBe(Number(saved![2]));
    expect(saved![3]!.startsWith(artifactDir)).toBe(true);
    expectReport(data, calls, model);
  });

  it('through the web adapter: POST /api/v1/chat links the PDF, the owner downloads it', async () => {
    const token = 'owner-token-for-the-pdf-chain-0123';
    const artifactDir = mkdtempSync(join(tmpdir(), 'botwire-pdf-web-'));
    folders.push(artifactDir);
    const { bot, calls, model } = startBot(webAdapter({ artifactDir, page: false }), {
      http: { port: 0, token },
    });
    await bot.start();
    const base = bot.http().url;
    const headers = { authorization: `Bearer ${token}` };

    const response = await fetch(`${base}/api/v1/chat`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ text: request }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      replies: Array<{
        text: string;
        artifacts: Array<{ name: string; mimeType: string; url: string }>;
      }>;
    };
    const reply = body.replies.find((item) => item.artifacts.length > 0);
    expect(reply?.text).toBe(answer);
    expect(reply?.artifacts).toHaveLength(1);
    const [artifact] = reply!.artifacts;
    expect(artifact).toMatchObject({ name: 'Ежи обзор.pdf', mimeType: 'application/pdf' });

    expect((await fetch(`${base}${artifact!.url}`)).status).toBe(401);
    const download = await fetch(`${base}${artifact!.url}`, { headers });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^application\/pdf/);
    expectReport(new Uint8Array(await download.arrayBuffer()), calls, model);
  });
});
