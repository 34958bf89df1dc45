import { isBotwireError } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { languageFromFileName, parseKnowledgeBase } from './knowledge-base';

const good = `# Bank — knowledge base

A fictional bank.

## How to block a card {#card-block}

Open the app.

Press Block.

## Fees {#fees}

- one
- two
`;

function parseError(markdown: string) {
  try {
    parseKnowledgeBase(markdown, { file: 'knowledge.en.md' });
  } catch (error) {
    if (isBotwireError(error, 'BOTWIRE_INVALID_ARGUMENT')) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('parseKnowledgeBase', () => {
  it('reads level-2 headings with ids as entries, skipping the title', () => {
    const entries = parseKnowledgeBase(good, { file: 'kb/knowledge.en.md' });
    expect(entries).toEqual([
      {
        id: 'card-block',
        language: 'en',
        title: 'How to block a card',
        text: 'Open the app.\n\nPress Block.',
        file: 'kb/knowledge.en.md',
        line: 5,
      },
      {
        id: 'fees',
        language: 'en',
        title: 'Fees',
        text: '- one\n- two',
        file: 'kb/knowledge.en.md',
        line: 11,
      },
    ]);
  });

  it('takes the language from the file name or from the options', () => {
    expect(languageFromFileName('/a/knowledge.ru.md')).toBe('ru');
    expect(parseKnowledgeBase(good, { file: 'faq.md', language: 'de' })[0]!.language).toBe('de');
    expect(() => parseKnowledgeBase(good, { file: 'faq.md' })).toThrow(/knowledge\.<lang>\.md/);
  });

  it('reports a heading without an id with its file and line', () => {
    const error = parseError('# T\n\n## No id here\n\ntext\n');
    expect(error.problems[0]).toMatchObject({
      code: 'BOTWIRE_FAQ_ENTRY_ID_MISSING',
      path: 'line 3',
    });
    expect(error.message).toContain('knowledge.en.md:3');
  });

  it('reports a duplicate id with both lines', () => {
    const error = parseError('## A {#same}\n\nx\n\n## B {#same}\n\ny\n');
    expect(error.problems[0]).toMatchObject({
      code: 'BOTWIRE_FAQ_ENTRY_ID_DUPLICATE',
      path: 'line 5',
    });
    expect(error.message).toContain('already used on line 1');
  });

  it('reports an invalid id', () => {
    const error = parseError('## A {#Card_Block}\n\nx\n');
    expect(error.problems[0]).toMatchObject({
      code: 'BOTWIRE_FAQ_ENTRY_ID_INVALID',
      path: 'line 1',
    });
  });

  it('ignores ## inside code fences and keeps ### inside the body', () => {
    const entries = parseKnowledgeBase(
      '## A {#a}\n\n```\n## not a heading\n```\n\n### Sub\n\ntext\n',
      {
        file: 'knowledge.en.md',
      },
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]!.text).toContain('### Sub');
  });
});
