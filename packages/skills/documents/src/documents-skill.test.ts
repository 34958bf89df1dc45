import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bot, createBot, silentLogger } from '@botwire/core';
import { scriptedChatModel, testAdapter } from '@botwire/core/testing';
import { renderPdf } from '@botwire/skill-pdf';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extractDocument } from './extract/extract-document';
import { documentsSource } from './testing/documents-source';
import { makeDocx } from './testing/make-docx';
import {
  handbookMarkdown,
  leaseMarkdown,
  retrievalQuestions,
  tariffsHtml,
} from './testing/retrieval-set';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

const bots: Bot[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function startBot(
  options: { dataDir?: string; model?: ReturnType<typeof scriptedChatModel> } = {},
) {
  const test = testAdapter();
  const bot = createBot({
    config: {
      ...(options.dataDir ? {} : { storage: 'memory' as const }),
      access: 'open',
      skills: [documentsSource()],
    },
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    adapters: [test.adapter],
    log: silentLogger,
    ...(options.model ? { model: options.model } : {}),
  });
  bots.push(bot);
  await bot.start();
  return { test, bot };
}

let leasePdf: Uint8Array;
beforeAll(async () => {
  leasePdf = (await renderPdf({ title: 'Договор аренды', markdown: leaseMarkdown, language: 'ru' }))
    .data;
}, 60_000);

describe('documents through the chat', () => {
  it('adds a PDF the user sends and cites the page of what it finds', async () => {
    const { test } = await startBot();
    const [added] = await test.sendFile({
      name: 'Договор аренды.pdf',
      mimeType: 'application/pdf',
      data: leasePdf,
    });
    expect(added?.text).toMatch(/^Added Договор аренды\.pdf: \d+ pages, \d+ passages/);
    const extracted = await extractDocument(leasePdf, { name: 'lease.pdf' });
    expect(extracted.pages.length).toBeGreaterThanOrEqual(3);
    const smokingPage = extracted.pages.find((page) =>
      page.blocks.some((block) => block.text.includes('За курение')),
    )!.number;
    const [found] = await test.say('/doc_search штраф за курение');
    expect(found?.text).toContain('5 000 рублей');
    // The reply follows the language of the message: a Russian question cites "стр.".
    expect(found?.text).toContain(`Договор аренды.pdf, стр. ${smokingPage}`);
    const [pattern] = await test.say('что в моём договоре про курение?', { locale: 'ru' });
    expect(pattern?.text).toContain(`Договор аренды.pdf, стр. ${smokingPage}`);
  });

  it('lists, refuses the same file twice, and deletes with its index', async () => {
    const { test } = await startBot();
    await test.sendFile({ name: 'handbook.docx', data: makeDocx(handbookMarkdown) });
    const [twice] = await test.sendFile({ name: 'copy.docx', data: makeDocx(handbookMarkdown) });
    expect(twice?.text).toContain('I already have this file as handbook.docx');
    const [listed] = await test.say('/docs');
    expect(listed?.text).toMatch(/handbook\.docx \(doc_[a-z0-9]+\), 1 p\./);
    const [deleted] = await test.say('/doc_delete handbook.docx');
    expect(deleted?.text).toBe('Deleted handbook.docx.');
    const [none] = await test.say('/doc_search vacation days');
    expect(none?.text).toContain('no documents yet');
  });

  it('refuses a 30 MB file before downloading it, an encrypted PDF, and binary data named .txt', async () => {
    const { test } = await startBot();
    // 16 bytes that claim to be 30 MB: only the reported size can make it "too large".
    const [large] = await test.sendFile({
      name: 'scan.pdf',
      data: new Uint8Array(16),
      size: 30 * 1024 * 1024,
    });
    expect(large?.text).toContain('too large (at most 20 MB)');
    expect(large?.text).toContain('30 MB');
    const [encrypted] = await test.sendFile({ name: 'secret.pdf', data: fixture('encrypted.pdf') });
    expect(encrypted?.text).toContain('protected with a password');
    const [binary] = await test.sendFile({ name: 'notes.txt', data: fixture('image-named.txt') });
    expect(binary?.text).toContain('could not read');
    const [none] = await test.say('/docs');
    expect(none?.text).toContain('no documents yet');
  });

  it("keeps each user's documents apart, through the tools and through the planner", async () => {
    const model = scriptedChatModel([
      {
        json: {
          mode: 'plan',
          steps: [{ id: 's1', tool: 'doc_search', arguments: { query: 'vacation days' } }],
          final: 'compose',
        },
      },
      'You have no documents about that.',
    ]);
    const { test, bot } = await startBot({ model });
    await test.sendFile({ name: 'handbook.docx', data: makeDocx(handbookMarkdown) }, '', {
      userId: 'alice',
    });
    const [bobSearch] = await test.say('/doc_search vacation days', { userId: 'bob' });
    expect(bobSearch?.text).toContain('no documents yet');
    await test.say('how many vacation days do I have?', { userId: 'bob' });
    const composed = JSON.stringify(model.requests[1]?.messages ?? []);
    expect(composed).not.toContain('25 days');
    const alice = await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'alice' });
    const asAlice = (await bot.callTool(
      'doc_search',
      { query: 'vacation days' },
      { user: alice! },
    )) as {
      data: { results: Array<{ text: string; citation: string }> };
    };
    expect(asAlice.data.results[0]?.text).toContain('25 days of paid vacation');
    expect(asAlice.data.results[0]?.citation).toBe('handbook.docx, p. 1');
  });

  it('keeps documents and their index across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botwire-documents-'));
    folders.push(dataDir);
    const first = await startBot({ dataDir });
    await first.test.sendFile({
      name: 'tariffs.html',
      data: new TextEncoder().encode(tariffsHtml),
    });
    await first.bot.stop();
    bots.splice(bots.indexOf(first.bot), 1);
    const second = await startBot({ dataDir });
    const [found] = await second.test.say('/doc_search лимит снятия наличных');
    expect(found?.text).toContain('150 000 рублей');
    expect(found?.text).toContain('tariffs.html, стр. 1');
  });
});

describe('retrieval quality with the embedded embeddings', () => {
  it('finds the answering passage in the top 3 for at least 90% of 32 questions', async () => {
    const { test, bot } = await startBot();
    await test.sendFile({ name: 'Договор аренды.pdf', data: leasePdf });
    await test.sendFile({ name: 'handbook.docx', data: makeDocx(handbookMarkdown) });
    await test.sendFile({ name: 'tariffs.html', data: new TextEncoder().encode(tariffsHtml) });
    const user = await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'user-1' });
    const names = {
      lease: 'Договор аренды.pdf',
      handbook: 'handbook.docx',
      tariffs: 'tariffs.html',
    };
    const misses: string[] = [];
    for (const item of retrievalQuestions) {
      const result = (await bot.callTool(
        'doc_search',
        { query: item.question, limit: 3 },
        { user: user! },
      )) as {
        data: { results: Array<{ text: string; fileName: string }> };
      };
      const hit = result.data.results.some(
        (found) => found.fileName === names[item.document] && found.text.includes(item.answer),
      );
      if (!hit) misses.push(item.question);
    }
    const recall = 1 - misses.length / retrievalQuestions.length;
    console.log(
      `top-3 recall ${recall.toFixed(3)} over ${retrievalQuestions.length} questions; missed: ${misses.join(' | ') || 'none'}`,
    );
    expect(retrievalQuestions.length).toBeGreaterThanOrEqual(30);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  }, 60_000);
});
