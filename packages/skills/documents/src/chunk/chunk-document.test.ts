import { readFileSync } from 'node:fs';
import { isBotwireError } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../extract/extract-document';
import type { DocumentPage, ExtractedDocument } from '../extract/extracted-document';
import { chunkDocument } from './chunk-document';
import { splitSentences } from './split-sentences';

const text = (pages: DocumentPage[]): ExtractedDocument => ({ format: 'text', pages });
const onePage = (...blocks: Array<{ text: string; heading?: string[] }>) =>
  text([{ number: 1, blocks }]);
const sentence = (index: number) =>
  `Предложение ${index} рассказывает о пункте ${index} договора и его условиях.`;
const sentences = (from: number, count: number) =>
  Array.from({ length: count }, (_, offset) => sentence(from + offset)).join(' ');

describe('chunkDocument', () => {
  it('makes chunks of at most targetChars, mostly well filled, covering every sentence', () => {
    const blocks = Array.from({ length: 15 }, (_, index) => ({ text: sentences(index * 3, 3) }));
    const chunks = chunkDocument(onePage(...blocks), { targetChars: 300, overlapChars: 80 });
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, index) => index));
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(300);
      expect(chunk.text).toBe(chunk.text.trim());
      expect(chunk.text).not.toMatch(/\s{2}/);
    }
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text.length).toBeGreaterThan(150);
    const all = chunks.map((chunk) => chunk.text).join(' ');
    for (let index = 0; index < 45; index++) expect(all).toContain(sentence(index));
  });

  it('starts each chunk with the previous chunk’s last whole sentence when it fits the overlap', () => {
    const chunks = chunkDocument(onePage({ text: sentences(0, 30) }), {
      targetChars: 300,
      overlapChars: 80,
    });
    expect(chunks.length).toBeGreaterThan(3);
    for (let index = 1; index < chunks.length; index++) {
      const previous = splitSentences(chunks[index - 1]!.text);
      const current = splitSentences(chunks[index]!.text);
      expect(current[0]).toBe(previous[previous.length - 1]);
      expect(current[0]!.length).toBeLessThanOrEqual(80);
      expect(current[1]).not.toBe(previous[previous.length - 2]);
    }
  });

  it('repeats nothing with overlapChars 0, and no sentence longer than the overlap', () => {
    const source = sentences(0, 30);
    const none = chunkDocument(onePage({ text: source }), { targetChars: 300, overlapChars: 0 });
    expect(none.map((chunk) => chunk.text).join(' ')).toBe(source);
    const short = chunkDocument(onePage({ text: source }), { targetChars: 300, overlapChars: 40 });
    expect(short.map((chunk) => chunk.text).join(' ')).toBe(source);
  });

  it('keeps paragraphs whole when they fit', () => {
    const first = sentences(0, 3);
    const second = sentences(3, 3);
    expect(first.length + second.length + 1).toBeLessThan(400);
    const chunks = chunkDocument(onePage({ text: first }, { text: second }), {
      targetChars: 300,
      overlapChars: 0,
    });
    expect(chunks.map((chunk) => chunk.text)).toEqual([first, second]);
    const small = chunkDocument(onePage({ text: 'Один.' }, { text: 'Два.' }), { targetChars: 400 });
    expect(small.map((chunk) => chunk.text)).toEqual(['Один. Два.']);
  });

  it('splits at sentence ends, not at т.е., стр. 3, e.g. or 1.5', () => {
    const chunks = chunkDocument(
      onePage({
        text: 'Оплата, т.е. аванс, по счёту. Смотрите стр. 3 договора. Costs, e.g. rent, are 1.5 times more.',
      }),
      { targetChars: 60, overlapChars: 0 },
    );
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      'Оплата, т.е. аванс, по счёту. Смотрите стр. 3 договора.',
      'Costs, e.g. rent, are 1.5 times more.',
    ]);
  });

  it('never crosses a heading change, carries the heading, prefixes nothing', () => {
    const chunks = chunkDocument(
      onePage(
        { text: sentences(0, 2), heading: ['Договор', '1. Предмет'] },
        { text: sentences(2, 2), heading: ['Договор', '5. Штрафы'] },
        { text: 'Без заголовка.' },
      ),
      { targetChars: 700, overlapChars: 100 },
    );
    expect(chunks).toEqual([
      { index: 0, text: sentences(0, 2), page: 1, heading: ['Договор', '1. Предмет'] },
      { index: 1, text: sentences(2, 2), page: 1, heading: ['Договор', '5. Штрафы'] },
      { index: 2, text: 'Без заголовка.', page: 1 },
    ]);
  });

  it('keeps the page a chunk starts on, and pageEnd when it runs onto a later page', () => {
    const chunks = chunkDocument(
      text([
        { number: 1, blocks: [{ text: 'На первой странице. Этот абзац продолжается на' }] },
        { number: 2, blocks: [{ text: 'второй странице. Дальше идёт вторая.' }] },
        { number: 3, blocks: [] },
        { number: 4, blocks: [{ text: sentences(0, 2) }] },
      ]),
      { targetChars: 200, overlapChars: 0 },
    );
    expect(chunks[0]).toEqual({
      index: 0,
      text: 'На первой странице. Этот абзац продолжается на второй странице. Дальше идёт вторая.',
      page: 1,
      pageEnd: 2,
    });
    expect(chunks[1]).toEqual({ index: 1, text: sentences(0, 2), page: 4 });
    expect(chunks).toHaveLength(2);
  });

  it('cuts a sentence longer than a chunk at spaces, and a single huge word anywhere', () => {
    const words = chunkDocument(onePage({ text: 'слово '.repeat(500) }), { targetChars: 200 });
    expect(words.length).toBeGreaterThanOrEqual(15);
    for (const chunk of words) {
      expect(chunk.text.length).toBeLessThanOrEqual(200);
      expect(chunk.text).toMatch(/^слово( слово)*$/);
    }
    const word = chunkDocument(onePage({ text: 'x'.repeat(2000) }), { targetChars: 700 });
    expect(word.map((chunk) => chunk.text.length)).toEqual([700, 700, 600]);
  });

  it('normalizes whitespace and makes no empty chunks', () => {
    expect(
      chunkDocument(onePage({ text: '  Первый \n\n абзац\t текст.\u00ad ' }, { text: ' \n ' })),
    ).toEqual([{ index: 0, text: 'Первый абзац текст.', page: 1 }]);
    expect(chunkDocument(text([{ number: 1, blocks: [] }]))).toEqual([]);
  });

  it('refuses options that cannot work', () => {
    for (const options of [{ targetChars: 0 }, { targetChars: Number.NaN }, { overlapChars: -1 }]) {
      let error: unknown;
      try {
        chunkDocument(onePage({ text: 'a' }), options);
      } catch (thrown) {
        error = thrown;
      }
      expect(isBotwireError(error, 'BOTWIRE_INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('chunkDocument on extracted fixtures', () => {
  const fixture = (name: string) =>
    new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));

  it('cites the PDF page and heading of a chunk, with defaults of 700 and 100 characters', async () => {
    const document = await extractDocument(fixture('three-pages.pdf'), { name: 'Договор.pdf' });
    const chunks = chunkDocument(document);
    const marker = chunks.find((chunk) => chunk.text.includes('SECOND-PAGE-MARKER'))!;
    expect(marker.page).toBe(2);
    expect(marker.heading).toEqual(['Договор', 'Section 2. Terms']);
    expect(chunks.find((chunk) => chunk.text.includes('МЕТКА-ТРЕТЬЯ'))!.page).toBe(3);
    expect(chunks.some((chunk) => chunk.page === 1 && chunk.pageEnd === 2)).toBe(true);
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(700);
    for (let index = 1; index < chunks.length; index++) {
      if (String(chunks[index]!.heading) !== String(chunks[index - 1]!.heading)) continue;
      const previous = chunks[index - 1]!.text;
      const first = splitSentences(chunks[index]!.text)[0]!;
      expect(previous.endsWith(first)).toBe(true);
      expect(first.length).toBeLessThanOrEqual(100);
    }
  });

  it('keeps DOCX headings on the chunks', async () => {
    const chunks = chunkDocument(
      await extractDocument(fixture('contract.docx'), { name: 'contract.docx' }),
    );
    const penalty = chunks.find((chunk) => chunk.text.includes('неустойку'))!;
    expect(penalty.heading).toEqual(['Договор поставки', '5. Штрафы']);
    expect(penalty.text).toBe(
      'За просрочку поставки поставщик платит неустойку 0,1 % от цены товара за каждый день. Penalties are capped at 10 percent of the contract price.',
    );
    expect(chunks.map((chunk) => chunk.heading?.at(-1))).toEqual([
      'Договор поставки',
      '1. Предмет договора',
      '5. Штрафы',
      'Приложение',
    ]);
  });
});
