import { describe, expect, it } from 'vitest';
import { markdownToTelegramHtml, telegramHtmlToPlain } from './markdown-html';
import { splitTelegramHtml } from './split-html';

function expectBalanced(part: string): void {
  const stack: string[] = [];
  for (const [, slash, name] of part.matchAll(/<(\/?)([a-z-]+)[^>]*>/g)) {
    if (slash) expect(stack.pop(), part).toBe(name);
    else stack.push(name!);
  }
  expect(stack, part).toEqual([]);
  expect(part.replace(/<[^>]*>/g, '')).not.toMatch(/&(?!(amp|lt|gt|quot);)/);
}

const words = (text: string) => telegramHtmlToPlain(text).split(/\s+/).filter(Boolean);

describe('splitTelegramHtml', () => {
  it('returns a short text as it is', () => {
    expect(splitTelegramHtml('<b>hi</b>', 4096)).toEqual(['<b>hi</b>']);
  });

  it('splits a 10,000-character text into ordered parts of at most 4096, losing no word', () => {
    const paragraph = (index: number) =>
      `Paragraph ${index} talks about <b>things &amp; stuff</b>. It has two sentences, see.`;
    const html = Array.from({ length: 140 }, (_, index) => paragraph(index)).join('\n\n');
    expect(html.length).toBeGreaterThan(10_000);
    const parts = splitTelegramHtml(html, 4096);
    expect(parts.length).toBe(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expectBalanced(part);
      // Cut at paragraph boundaries: every part ends a paragraph.
      expect(part).toMatch(/see\.$/);
    }
    expect(parts.flatMap(words)).toEqual(words(html));
  });

  it('cuts at a sentence end when a paragraph is too long, else at a space', () => {
    const sentences = Array.from({ length: 30 }, (_, index) => `Sentence ${index} is short.`);
    const parts = splitTelegramHtml(sentences.join(' '), 100);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(100);
      expect(part).toMatch(/short\.$/);
    }
    const unpunctuated = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');
    const byWords = splitTelegramHtml(unpunctuated, 50);
    expect(byWords.join(' ')).toBe(unpunctuated);
    for (const part of byWords) expect(part).toMatch(/^word\d+( word\d+)*$/);
  });

  it('closes tags at a cut and reopens them, attributes included, in the next part', () => {
    const link = `<a href="https://example.com/?a=1&amp;b=2">${'link text '.repeat(12).trim()}</a>`;
    const html = `<b><i>${'word '.repeat(20)}</i>${link}</b>`;
    const parts = splitTelegramHtml(html, 80);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(80);
      expectBalanced(part);
      expect(part.startsWith('<b>')).toBe(true);
    }
    const linkParts = parts.filter((part) => part.includes('link'));
    for (const part of linkParts)
      expect(part).toContain('<a href="https://example.com/?a=1&amp;b=2">');
    expect(parts.flatMap(words)).toEqual(words(html));
  });

  it('keeps code blocks valid across parts', () => {
    const code = Array.from({ length: 40 }, (_, index) => `let x${index} = a &lt; b;`).join('\n');
    const html = `<pre><code class="language-js">${code}</code></pre>`;
    const parts = splitTelegramHtml(html, 300);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(300);
      expect(part.startsWith('<pre><code class="language-js">')).toBe(true);
      expect(part.endsWith('</code></pre>')).toBe(true);
      expectBalanced(part);
    }
    expect(parts.map(telegramHtmlToPlain).join('\n')).toBe(telegramHtmlToPlain(html));
  });

  it('cuts a single word longer than the limit, never inside an entity or a surrogate pair', () => {
    const word = `${'a&amp;'.repeat(1000)}${'😀'.repeat(1000)}`;
    const parts = splitTelegramHtml(`<i>${word}</i>`, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expectBalanced(part);
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    expect(parts.map(telegramHtmlToPlain).join('')).toBe(telegramHtmlToPlain(word));
  });

  it('splits rendered Markdown with lists and quotes into valid parts', () => {
    const markdown = Array.from(
      { length: 80 },
      (_, index) =>
        `## Part ${index}\n\n> a **quote** with <tags> & more text\n\n- item *one*\n- item two`,
    ).join('\n\n');
    const parts = splitTelegramHtml(markdownToTelegramHtml(markdown), 1000);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1000);
      expectBalanced(part);
    }
  });
});
