import { describe, expect, it } from 'vitest';
import { itemsToLines, layoutPages, type PdfLine } from './pdf-layout';

const item = (str: string, x: number, y: number, size = 10, hasEOL = false) => ({
  str,
  transform: [size, 0, 0, size, x, y],
  width: str.length * size * 0.5,
  height: size,
  hasEOL,
});

describe('itemsToLines', () => {
  it('puts a space between items separated by a gap and a line break where y changes', () => {
    const lines = itemsToLines([
      item('Hello', 50, 700),
      item('world', 90, 700),
      item('again', 50, 686),
      item('glued', 75, 686),
    ]);
    expect(lines.map((line) => line.text)).toEqual(['Hello world', 'againglued']);
  });

  it('ends a line at hasEOL even on the same baseline', () => {
    const lines = itemsToLines([item('one', 50, 700, 10, true), item('two', 50, 700)]);
    expect(lines.map((line) => line.text)).toEqual(['one', 'two']);
  });
});

describe('layoutPages', () => {
  const body = (text: string, y: number): PdfLine => ({ text, y, size: 10 });

  it('splits paragraphs at wide gaps, undoes hyphenation and drops page numbers', () => {
    const [page] = layoutPages([
      [
        body('Первая строка абзаца и доку-', 700),
        body('мент продолжается здесь.', 688),
        body('Второй абзац после отступа.', 660),
        body('- 7 -', 40),
      ],
    ]);
    expect(page!.blocks).toEqual([
      { text: 'Первая строка абзаца и документ продолжается здесь.' },
      { text: 'Второй абзац после отступа.' },
    ]);
  });

  it('takes larger short lines and numbered titles in capitals as headings, across pages', () => {
    const pages = layoutPages([
      [
        { text: 'Договор', y: 760, size: 20 },
        body('Стороны договорились о следующем и подписали договор.', 730),
        body('5. ШТРАФЫ', 700),
        body('Неустойка составляет 0,1 % в день.', 680),
      ],
      [body('1. Купить молоко', 700), body('Текст на второй странице.', 680)],
    ]);
    expect(pages[0]!.blocks).toEqual([
      { text: 'Стороны договорились о следующем и подписали договор.', heading: ['Договор'] },
      { text: 'Неустойка составляет 0,1 % в день.', heading: ['Договор', '5. ШТРАФЫ'] },
    ]);
    // A numbered line in ordinary case is a list item, not a heading.
    expect(pages[1]!.blocks).toEqual([
      { text: '1. Купить молоко Текст на второй странице.', heading: ['Договор', '5. ШТРАФЫ'] },
    ]);
  });
});
