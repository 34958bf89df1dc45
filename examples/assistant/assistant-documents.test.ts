import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { telegramAdapter } from '@botwire/adapter-telegram';
import { type BotApiPeer, startBotApiPeer } from '@botwire/adapter-telegram/testing';
import { webAdapter } from '@botwire/adapter-web';
import { type Bot, createBot, loadConfig, silentLogger } from '@botwire/core';
import { manualClock } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The assistant as users meet it: a contract sent as a file on Telegram (through a local Bot
 * API peer and the real grammY client) and in the web chat (POST /api/v1/files), then searched;
 * the answer cites the page the text is on. Memory in the same bot: "запомни" on Telegram; work
 * asked for "в фоне" reports back in the chat; and a reminder set on Telegram arrives in that chat
 * when its time comes (the queue's clock is moved).
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const pdf = new Uint8Array(
  readFileSync(
    new URL('../../packages/skills/documents/fixtures/three-pages.pdf', import.meta.url),
  ),
);
const token = '42:ASSISTANT-peer-token';
const ownerToken = 'assistant-owner-token-0123456789abcdef';
const telegramUser = { id: 501, is_bot: false, first_name: 'Ann', language_code: 'ru' };
const chat = { id: 501, type: 'private' as const, first_name: 'Ann' };

let peer: BotApiPeer;
let bot: Bot;
let dataDir: string;
let nextMessageId = 100;
/** The job queue's clock: reminders fire when the test moves it. */
const clock = manualClock(Date.now());

beforeAll(async () => {
  peer = await startBotApiPeer(token);
  dataDir = mkdtempSync(join(tmpdir(), 'botwire-assistant-documents-'));
  const { config } = await loadConfig(join(here, 'botwire.config.ts'), { env: {} });
  bot = createBot({
    config: {
      ...config,
      allow: ['telegram:501'],
      http: { host: '127.0.0.1', port: 0, token: ownerToken },
    },
    rootDir: here,
    dataDir,
    adapters: [
      telegramAdapter({
        token,
        apiRoot: peer.apiRoot,
        pollDelayMs: 10,
        pollTimeoutSeconds: 1,
        throttle: false,
        commandMenu: false,
        env: {},
      }),
      webAdapter({ artifactDir: false }),
    ],
    log: silentLogger,
    env: {},
    terminal: { write: () => true },
    clock,
  });
  await bot.start();
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await peer?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Sends a Telegram update and waits for the bot's next reply in the chat. */
async function telegram(message: Record<string, unknown>): Promise<string> {
  const before = peer.callsOf('sendMessage').length;
  peer.pushUpdate({
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: telegramUser,
      ...message,
    },
  } as never);
  const deadline = Date.now() + 20_000;
  while (peer.callsOf('sendMessage').length === before) {
    if (Date.now() > deadline) throw new Error('no reply from the bot on Telegram');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return String(peer.callsOf('sendMessage')[before]!.params.text);
}

async function web(path: string, body: FormData | Record<string, unknown>) {
  const response = await fetch(`${bot.http().url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ownerToken}`,
      ...(body instanceof FormData ? {} : { 'content-type': 'application/json' }),
    },
    body: body instanceof FormData ? body : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const json = (await response.json()) as { replies: Array<{ text: string }> };
  return json.replies.map((reply) => reply.text).join('\n');
}

describe('the assistant with documents and memory', () => {
  it('takes a PDF on Telegram and cites the page of the answer', async () => {
    peer.addFile('contract-1', pdf);
    const added = await telegram({
      document: {
        file_id: 'contract-1',
        file_unique_id: 'c1',
        file_name: 'Договор поставки.pdf',
        mime_type: 'application/pdf',
        file_size: pdf.byteLength,
      },
    });
    expect(added).toMatch(/Договор поставки\.pdf/);
    expect(peer.callsOf('getFile')).toHaveLength(1);
    const found = await telegram({ text: '/doc_search неустойка в день' });
    expect(found).toContain('МЕТКА-ТРЕТЬЯ');
    expect(found).toContain('Договор поставки.pdf, стр. 3');
  });

  it('takes the same kind of file in the web chat, for the web user alone', async () => {
    const form = new FormData();
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'contract.pdf');
    const added = await web('/api/v1/files', form);
    expect(added).toContain('Added contract.pdf: 3 pages');
    const found = await web('/api/v1/chat', { text: '/doc_search payment is due in 30 days' });
    expect(found).toContain('SECOND-PAGE-MARKER');
    expect(found).toContain('contract.pdf, p. 2');
    expect(found).not.toContain('Договор поставки.pdf');
  });

  it('sends the result of work asked for "в фоне" on Telegram to that chat, as a message', async () => {
    // Counted before the message: the result may come right after the answer that it is queued.
    const before = peer.callsOf('sendMessage').length;
    const queued = await telegram({ text: '/doc_search неустойка в день, в фоне' });
    expect(queued).toMatch(/^Поставил в очередь/);
    const deadline = Date.now() + 20_000;
    while (peer.callsOf('sendMessage').length < before + 2 && Date.now() < deadline) {
      await clock.settle();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [, result, ...more] = peer.callsOf('sendMessage').slice(before);
    expect(more).toEqual([]);
    expect(String(result?.params.chat_id)).toBe('501');
    expect(String(result?.params.text)).toContain('МЕТКА-ТРЕТЬЯ');
    expect(String(result?.params.text)).toContain('Договор поставки.pdf, стр. 3');
  });

  it('remembers on Telegram what the user asks it to', async () => {
    const saved = await telegram({ text: 'запомни, что мой размер обуви 38' });
    expect(saved).toBe('Запомнил: мой размер обуви 38');
    const listed = await telegram({ text: '/memory' });
    expect(listed).toContain('мой размер обуви 38');
  });

  it('delivers a reminder set on Telegram to that chat, once, when it is due', async () => {
    const set = await telegram({ text: 'напомни через 2 минуты полить цветы' });
    expect(set).toMatch(/^Напомню: полить цветы/);
    const before = peer.callsOf('sendMessage').length;
    await clock.advance(150_000);
    await clock.settle();
    const deadline = Date.now() + 10_000;
    while (peer.callsOf('sendMessage').length === before && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const sent = peer.callsOf('sendMessage').slice(before);
    expect(sent.map((call) => [String(call.params.chat_id), String(call.params.text)])).toEqual([
      ['501', '⏰ полить цветы'],
    ]);
  });
});
