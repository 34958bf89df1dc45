import { BotwireError } from '@botwire/core';
import { normalizeWhitespace } from '../extract/block-collector';
import type { ExtractedDocument } from '../extract/extracted-document';
import { splitSentences } from './split-sentences';

/** A piece of a document to embed and cite. */
export interface DocumentChunk {
  /** 0-based position in the document. */
  index: number;
  /** The text, whitespace collapsed to single spaces; nothing prefixed. */
  text: string;
  /** The page the chunk starts on. */
  page: number;
  /** The page it ends on, when that is a later page. */
  pageEnd?: number;
  /** The heading path in force for the whole chunk. */
  heading?: string[];
}

/** Options for {@link chunkDocument}. */
export interface ChunkDocumentOptions {
  /** The most characters in a chunk, overlap included (longer sentences are cut at spaces). Default 700. */
  targetChars?: number;
  /** At most this many characters of whole sentences repeated from the previous chunk. Default 100. */
  overlapChars?: number;
}

interface Sentence {
  text: string;
  page: number;
}

interface Section {
  heading: string[] | undefined;
  /** Paragraphs (blocks), each as its sentences. */
  paragraphs: Sentence[][];
}

/** Cuts a sentence longer than `limit` at spaces (or anywhere, for a single long word). */
function cut(sentence: string, limit: number): string[] {
  if (sentence.length <= limit) return [sentence];
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > limit) {
    const space = rest.lastIndexOf(' ', limit);
    const end = space > limit / 2 ? space : limit;
    pieces.push(rest.slice(0, end).trim());
    rest = rest.slice(end).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Ends a sentence: a paragraph ending so on one page does not go on over the next. */
const closed = /[.!?…:;]["'»”’)\]]*$/;

/** A paragraph's text with the page each stretch of it is on (a paragraph can cross a page). */
interface Paragraph {
  text: string;
  /** Offsets where a page starts within `text`, with that page, in order. */
  pages: Array<{ at: number; page: number }>;
}

function toSentences(paragraph: Paragraph, limit: number): Sentence[] {
  const sentences: Sentence[] = [];
  let from = 0;
  for (const sentence of splitSentences(paragraph.text)) {
    const at = paragraph.text.indexOf(sentence, from);
    from = at + sentence.length;
    const page =
      paragraph.pages.findLast((start) => start.at <= at)?.page ?? paragraph.pages[0]!.page;
    for (const piece of cut(sentence, limit)) sentences.push({ text: piece, page });
  }
  return sentences;
}

/**
 * The document's sections (runs of blocks under one heading path), each as paragraphs of
 * sentences. A block that ends a page mid-sentence is joined with the first block of the next
 * page, as the same paragraph.
 */
function sections(document: ExtractedDocument, limit: number): Section[] {
  const grouped: Array<{ heading: string[] | undefined; paragraphs: Paragraph[] }> = [];
  let key: string | undefined;
  let lastPage = 0;
  for (const page of document.pages) {
    for (const block of page.blocks) {
      const text = normalizeWhitespace(block.text);
      if (!text) continue;
      const heading = block.heading?.length ? block.heading : undefined;
      const blockKey = JSON.stringify(heading ?? []);
      if (blockKey !== key) {
        grouped.push({ heading, paragraphs: [] });
        key = blockKey;
      }
      const paragraphs = grouped[grouped.length - 1]!.paragraphs;
      const previous = paragraphs[paragraphs.length - 1];
      if (previous && page.number !== lastPage && !closed.test(previous.text)) {
        previous.pages.push({ at: previous.text.length + 1, page: page.number });
        previous.text += ` ${text}`;
      } else paragraphs.push({ text, pages: [{ at: 0, page: page.number }] });
      lastPage = page.number;
    }
  }
  return grouped.map((section) => ({
    heading: section.heading,
    paragraphs: section.paragraphs.map((paragraph) => toSentences(paragraph, limit)),
  }));
}

const lengthOf = (sentences: Sentence[]) =>
  sentences.reduce((sum, sentence) => sum + sentence.text.length, 0) +
  Math.max(0, sentences.length - 1);

/**
 * Splits a document into chunks of about `targetChars` for embedding: whole paragraphs when
 * they fit, else whole sentences (a sentence longer than a chunk is cut at spaces). A chunk
 * never spans a heading change; within a section each chunk begins with up to
 * `overlapChars` of the previous chunk's last whole sentences. Each chunk keeps the page it
 * starts on and, when it runs onto a later page, `pageEnd`.
 *
 * @example
 * const chunks = chunkDocument(await extractDocument(bytes, { name: 'a.pdf' }));
 * // [{ index: 0, text: '…', page: 1, heading: ['Договор', '5. Штрафы'] }, …]
 */
export function chunkDocument(
  document: ExtractedDocument,
  options: ChunkDocumentOptions = {},
): DocumentChunk[] {
  const target = options.targetChars ?? 700;
  const overlap = options.overlapChars ?? 100;
  if (!Number.isFinite(target) || target < 20 || !Number.isFinite(overlap) || overlap < 0) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `chunkDocument needs targetChars of at least 20 and overlapChars of 0 or more (got ${target} and ${overlap}).`,
    });
  }
  const maxOverlap = Math.min(overlap, Math.floor(target / 2));
  const chunks: DocumentChunk[] = [];

  for (const section of sections(document, target)) {
    let current: Sentence[] = [];
    let fresh = 0;
    const emit = () => {
      if (fresh === 0) return;
      const first = current[0]!;
      const last = current[current.length - 1]!;
      chunks.push({
        index: chunks.length,
        text: current.map((sentence) => sentence.text).join(' '),
        page: first.page,
        ...(last.page !== first.page ? { pageEnd: last.page } : {}),
        ...(section.heading ? { heading: [...section.heading] } : {}),
      });
      // The next chunk starts with the last whole sentences that fit in the overlap.
      const kept: Sentence[] = [];
      for (let index = current.length - 1; index > 0; index--) {
        if (lengthOf([current[index]!, ...kept]) > maxOverlap) break;
        kept.unshift(current[index]!);
      }
      current = kept;
      fresh = 0;
    };
    const startWith = (next: Sentence[]) => {
      emit();
      while (current.length && lengthOf([...current, ...next]) > target) current.shift();
    };
    for (const paragraph of section.paragraphs) {
      if (lengthOf([...current, ...paragraph]) <= target) {
        current.push(...paragraph);
        fresh += paragraph.length;
        continue;
      }
      if (lengthOf(paragraph) <= target) {
        startWith(paragraph);
        current.push(...paragraph);
        fresh += paragraph.length;
        continue;
      }
      for (const sentence of paragraph) {
        if (lengthOf([...current, sentence]) > target) startWith([sentence]);
        current.push(sentence);
        fresh++;
      }
    }
    emit();
  }
  return chunks;
}
