import { BlockCollector, normalizeWhitespace } from './block-collector';
import type { DocumentPage } from './extracted-document';

/** The part of a pdf.js text item the layout needs. */
export interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

/** A line of text on a page: its baseline `y` (PDF units, up is larger) and font size. */
export interface PdfLine {
  text: string;
  y: number;
  size: number;
}

interface Paragraph {
  text: string;
  size: number;
  lines: number;
}

/**
 * Joins text items into lines: a new line at `hasEOL` or when the baseline moves by more than
 * half the font size; a space between items on one line when a gap separates them, so words
 * are not glued together.
 */
export function itemsToLines(items: ReadonlyArray<PdfTextItem>): PdfLine[] {
  const lines: PdfLine[] = [];
  let current: { text: string; y: number; size: number; end: number; longest: number } | undefined;
  const endLine = () => {
    if (current?.text.trim()) {
      lines.push({ text: current.text, y: current.y, size: current.size });
    }
    current = undefined;
  };
  for (const item of items) {
    const size = item.height || Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0);
    const x = item.transform[4] ?? 0;
    const y = item.transform[5] ?? 0;
    if (item.str) {
      if (current && Math.abs(y - current.y) > Math.max(size, current.size) * 0.5) endLine();
      if (!current) current = { text: '', y, size, end: x, longest: 0 };
      const scale = Math.max(size, current.size, 1);
      const gap = x - current.end;
      if (
        current.text &&
        !/\s$/.test(current.text) &&
        !/^\s/.test(item.str) &&
        (gap > scale * 0.15 || gap < -scale)
      ) {
        current.text += ' ';
      }
      current.text += item.str;
      current.end = x + item.width;
      if (item.str.length > current.longest) {
        current.longest = item.str.length;
        current.size = size;
      }
    }
    if (item.hasEOL) endLine();
  }
  endLine();
  return lines;
}

const pageNumber = [
  /^[-–—]?\s*\d{1,4}\s*[-–—]?$/,
  /^\d{1,4}\s*(?:\/|of|из)\s*\d{1,4}$/i,
  /^(?:page|p\.|стр\.?|страница|с\.)\s*\d{1,4}(?:\s*(?:\/|of|из)\s*\d{1,4})?$/i,
];

/** Drops a page number printed as the first or last line of a page (`3`, `- 3 -`, `3 / 10`). */
function withoutPageNumbers(lines: PdfLine[]): PdfLine[] {
  const isNumber = (line: PdfLine | undefined) =>
    line !== undefined && pageNumber.some((pattern) => pattern.test(line.text.trim()));
  let result = lines;
  if (isNumber(result[result.length - 1])) result = result.slice(0, -1);
  if (isNumber(result[0])) result = result.slice(1);
  return result;
}

const similar = (a: number, b: number) => Math.abs(a - b) <= Math.max(a, b) * 0.1;

/** The lower quartile: the usual line spacing, below the wider gaps between paragraphs. */
function lowerQuartile(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 4)];
}

/** A one-line numbered section title in capitals, such as `5. ШТРАФЫ`; its depth, else 0. */
function numberedTitleDepth(text: string): number {
  const trimmed = text.trim();
  const numbered = /^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+\S/.exec(trimmed);
  if (!numbered || trimmed.length > 100 || /[.,;:]$/.test(trimmed)) return 0;
  const letters = trimmed.replace(/[^\p{L}]/gu, '');
  const capitals = letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  return letters.length >= 3 && capitals ? numbered[1]!.split('.').length : 0;
}

/** Joins two lines of one paragraph, undoing a hyphen that split a word (`доку-` `мент`). */
function joinLines(previous: string, next: string): string {
  const left = previous.trimEnd();
  const right = next.trimStart();
  if (/\p{L}-$/u.test(left)) {
    if (/^\p{Ll}/u.test(right)) return left.slice(0, -1) + right;
    if (/^\p{Lu}/u.test(right)) return left + right;
  }
  return `${left} ${right}`;
}

/**
 * Groups a page's lines into paragraphs: a new one where the font size changes, where the
 * gap to the previous line is clearly wider than the page's usual line spacing, or where the
 * text jumps up (a new column).
 */
function linesToParagraphs(lines: PdfLine[]): Paragraph[] {
  const gaps: number[] = [];
  for (let index = 1; index < lines.length; index++) {
    const gap = lines[index - 1]!.y - lines[index]!.y;
    if (gap > 0 && similar(lines[index - 1]!.size, lines[index]!.size)) gaps.push(gap);
  }
  const usual = lowerQuartile(gaps);
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | undefined;
  let previous: PdfLine | undefined;
  for (const line of lines) {
    const gap = previous ? previous.y - line.y : 0;
    const limit = (usual ?? line.size * 1.5) * 1.3;
    if (
      !current ||
      !previous ||
      !similar(previous.size, line.size) ||
      numberedTitleDepth(line.text) > 0 ||
      numberedTitleDepth(previous.text) > 0 ||
      gap > limit ||
      gap < -line.size * 0.5
    ) {
      current = { text: line.text, size: line.size, lines: 1 };
      paragraphs.push(current);
    } else {
      current.text = joinLines(current.text, line.text);
      current.lines++;
    }
    previous = line;
  }
  return paragraphs;
}

const round = (size: number) => Math.round(size * 2) / 2;

/**
 * Turns each page's lines into blocks with headings: a short paragraph (one or two lines) in
 * a font clearly larger than the body text is a heading, its level set by its size among the
 * heading sizes; a one-line numbered title in capitals (`5. ШТРАФЫ`) is a heading below them.
 * The heading path carries over from page to page.
 */
export function layoutPages(pageLines: PdfLine[][]): DocumentPage[] {
  const pages = pageLines.map((lines) => linesToParagraphs(withoutPageNumbers(lines)));
  const characters = new Map<number, number>();
  for (const paragraph of pages.flat()) {
    const size = round(paragraph.size);
    characters.set(size, (characters.get(size) ?? 0) + paragraph.text.length);
  }
  const body = [...characters].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const isLarger = (paragraph: Paragraph) =>
    body > 0 &&
    paragraph.size >= body * 1.15 &&
    paragraph.lines <= 2 &&
    paragraph.text.length <= 150 &&
    /\p{L}/u.test(paragraph.text);
  const headingSizes = [
    ...new Set(
      pages
        .flat()
        .filter(isLarger)
        .map((paragraph) => round(paragraph.size)),
    ),
  ].sort((a, b) => b - a);
  const collector = new BlockCollector();
  return pages.map((paragraphs, index) => {
    for (const paragraph of paragraphs) {
      const text = normalizeWhitespace(paragraph.text);
      if (isLarger(paragraph)) {
        collector.heading(Math.min(6, headingSizes.indexOf(round(paragraph.size)) + 1), text);
        continue;
      }
      const depth = paragraph.lines === 1 ? numberedTitleDepth(text) : 0;
      if (depth > 0) {
        collector.heading(Math.min(6, headingSizes.length + depth), text);
        continue;
      }
      collector.text(text);
    }
    const blocks = index === pages.length - 1 ? collector.finish() : collector.take();
    return { number: index + 1, blocks };
  });
}
