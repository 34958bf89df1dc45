import { createServer } from 'node:net';
import { type Bot, createBot, resilientChatModel, silentLogger } from '@botwire/core';
import { plannerTestSkills, type ToolLog, testAdapter } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiChatModel } from './openai-chat-model';
import { type OpenAiPeer, startOpenAiPeer } from './testing';

// The planner end to end: a bot, the real `openai` client, and the OpenAI-protocol peer.
let peer: OpenAiPeer | undefined;
const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  await peer?.close();
  peer = undefined;
});

async function start(baseURL: string, resilience: Parameters<typeof resilientChatModel>[1] = {}) {
  const log: ToolLog = { calls: [] };
  const test = testAdapter();
  const model = resilientChatModel(
    openaiChatModel({ model: 'gpt-test', baseURL, apiKey: 'sk-test' }),
    resilience,
  );
  const skills = plannerTestSkills(log).map((use) => ({ use, permissions: ['network' as const] }));
  const bot = createBot({
    config: { storage: 'memory', access: 'open', skills },
    adapters: [test.adapter],
    log: silentLogger,
    model,
  });
  bots.push(bot);
  await bot.start();
  return { test, log, model };
}

/** A loopback port with nothing listening: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('planner over the OpenAI protocol', () => {
  it('runs search → fetch → PDF with exactly two chat completions', async () => {
    const plan = {
      mode: 'plan',
      steps: [
        { id: 's1', tool: 'web_search', arguments: { query: 'botwire' } },
        { id: 's2', tool: 'web_fetch', arguments: { url: '{{s1.results[0].url}}' } },
        { id: 's3', tool: 'pdf_create', arguments: { title: 'Botwire', markdown: '{{s2.text}}' } },
      ],
      final: 'compose',
    };
    peer = await startOpenAiPeer({
      script: [{ json: plan }, { text: 'Your PDF about Botwire is attached.' }],
    });
    const { test, log } = await start(peer.baseURL);
    const [reply] = await test.say('find botwire, read the first result and make a PDF');
    expect(peer.chatRequests).toHaveLength(2);
    expect(peer.chatRequests[0]?.responseSchema?.name).toBe('botwire_plan');
    expect(log.calls.map((call) => call.tool)).toEqual(['web_search', 'web_fetch', 'pdf_create']);
    expect(reply?.text).toBe('Your PDF about Botwire is attached.');
    expect(reply?.artifacts?.[0]?.name).toBe('Botwire.pdf');
  });

  it('answers with a fallback within the timeout when the endpoint refuses connections, opens the circuit, and closes it after the cool-down', async () => {
    const port = await closedPort();
    const { test, model } = await start(`http://127.0.0.1:${port}/v1`, {
      retries: 0,
      failureThreshold: 2,
      coolDownMs: 300,
      timeoutMs: 2000,
    });
    const started = Date.now();
    expect((await test.say('hello?'))[0]?.text).toMatch(/can't reach my language model/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await test.say('hello again?'))[0]?.text).toMatch(/can't reach my language model/);
    expect(model.state).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 350));
    // The endpoint comes back on the same port; the half-open trial call succeeds and closes the circuit.
    peer = await startOpenAiPeer({
      script: [{ json: { mode: 'answer', answer: 'Back online.' } }],
      port,
    });
    expect((await test.say('are you back?'))[0]?.text).toBe('Back online.');
    expect(model.state).toBe('closed');
  });

  it('answers with a fallback when the endpoint keeps answering 500', async () => {
    peer = await startOpenAiPeer({
      script: [
        { status: 500, error: 'boom' },
        { status: 500, error: 'boom' },
        { status: 500, error: 'boom' },
      ],
    });
    const { test } = await start(peer.baseURL, { retries: 2, maxRetryDelayMs: 50 });
    expect((await test.say('hi'))[0]?.text).toMatch(/can't reach my language model/);
    expect(peer.chatRequests).toHaveLength(3);
  });

  it('answers with a fallback within the configured timeout when the endpoint hangs', async () => {
    peer = await startOpenAiPeer({ script: [{ hang: true }] });
    const { test } = await start(peer.baseURL, { retries: 0, timeoutMs: 400 });
    const started = Date.now();
    expect((await test.say('hi'))[0]?.text).toMatch(/can't reach my language model/);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(1500);
  });
});
