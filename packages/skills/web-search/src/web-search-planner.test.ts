import { type Bot, createBot, defineSkill, silentLogger } from '@botwire/core';
import { scriptedChatModel, testAdapter } from '@botwire/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webSearchSource } from './testing/load-web-search';
import { startWebPeer, type WebPeer } from './testing/web-peer';

let peer: WebPeer;
const bots: Bot[] = [];
/** What the stand-in pdf_create received. */
const pdfCalls: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  peer = await startWebPeer();
});
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  peer.requests.length = 0;
  peer.queries.length = 0;
  pdfCalls.length = 0;
});
afterAll(() => peer.close());

/** A stand-in for @botwire/skill-pdf's pdf_create, recording what the chain hands it. */
const pdfStandIn = {
  use: {
    manifest: {
      name: 'pdf-stand-in',
      version: '1.0.0',
      description: 'Records what it would print.',
      tools: [
        {
          name: 'pdf_create',
          description: 'Makes a PDF from Markdown.',
          input_schema: {
            type: 'object',
            properties: { title: { type: 'string' }, markdown: { type: 'string' } },
            required: ['markdown'],
          },
          permissions: [],
          side_effects: false,
          timeout_ms: 1000,
        },
      ],
    },
    definition: defineSkill({
      tools: {
        pdf_create: (input: Record<string, unknown>) => {
          pdfCalls.push(input);
          return { text: 'PDF ready.' };
        },
      },
    }),
  },
};

async function startBot(model?: ReturnType<typeof scriptedChatModel>) {
  const test = testAdapter();
  const bot = createBot({
    config: {
      storage: 'memory',
      access: 'open',
      // The peer is on loopback: the test allows it, as BOTWIRE_EGRESS_ALLOW would.
      egress: { allow: ['127.0.0.1'] },
      skills: [webSearchSource({ searchUrl: `${peer.base}/html/`, maxChars: 2000 }), pdfStandIn],
    },
    adapters: [test.adapter],
    log: silentLogger,
    ...(model ? { model } : {}),
  });
  bots.push(bot);
  await bot.start();
  return test;
}

describe('commands and patterns (no model)', () => {
  it('/search and /fetch run the tools', async () => {
    const test = await startBot();
    const [search] = await test.say('/search red pandas');
    expect(peer.queries).toEqual(['red pandas']);
    expect(search?.text).toContain('1. First red pandas page');
    const [page] = await test.say(`/fetch ${peer.base}/utf8`);
    expect(page?.text).toContain('Съешь же ещё');
  });

  it.each([
    ['search for red pandas', 'red pandas', 'en'],
    ['Search the web for red pandas?', 'red pandas', 'en'],
    ['look up botwire framework', 'botwire framework', 'en'],
    ['найди рецепт борща', 'рецепт борща', 'ru'],
    ['Поищи в интернете погоду в Казани', 'погоду в Казани', 'ru'],
  ])('"%s" searches for "%s"', async (text, query, locale) => {
    const test = await startBot();
    const [reply] = await test.say(text, { locale });
    expect(peer.queries).toEqual([query]);
    expect(reply?.text).toContain(query);
  });

  it.each([
    ['open {base}/utf8', 'en'],
    ['read the page {base}/utf8', 'en'],
    ['открой {base}/utf8', 'ru'],
    ['прочитай страницу {base}/utf8', 'ru'],
  ])('"%s" reads the page', async (template, locale) => {
    const test = await startBot();
    const [reply] = await test.say(template.replace('{base}', peer.base), { locale });
    expect(peer.requests).toEqual(['/utf8']);
    expect(reply?.text).toContain('Булки');
  });

  it('a chained request is not taken by the search pattern', async () => {
    const test = await startBot();
    await test.say('найди булки, прочитай первый результат и сделай PDF', { locale: 'ru' });
    expect(peer.queries).toEqual([]);
  });
});

describe('chains through the planner', () => {
  it('"find X, read the first result and make me a PDF" → web_search → web_fetch → pdf_create', async () => {
    const model = scriptedChatModel([
      {
        json: {
          mode: 'plan',
          steps: [
            { id: 's1', tool: 'web_search', arguments: { query: 'булки' } },
            { id: 's2', tool: 'web_fetch', arguments: { url: '{{s1.results[0].url}}' } },
            {
              id: 's3',
              tool: 'pdf_create',
              arguments: { title: '{{s2.title}}', markdown: '# {{s2.title}}\n\n{{s2.data.text}}' },
            },
          ],
          final: 'last_step',
        },
      },
    ]);
    const test = await startBot(model);
    const [reply] = await test.say('Find булки, read the first result and make me a PDF');
    expect(peer.queries).toEqual(['булки']);
    expect(peer.requests).toEqual(['/html/', '/utf8']);
    expect(pdfCalls).toHaveLength(1);
    expect(pdfCalls[0]?.title).toBe('Булки');
    expect(String(pdfCalls[0]?.markdown)).toContain('Съешь же ещё этих мягких французских булок');
    expect(reply?.text).toBe('PDF ready.');
  });
});
