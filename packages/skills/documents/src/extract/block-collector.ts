import type { DocumentBlock } from './extracted-document';

/** Removes soft hyphens and zero-width characters and collapses whitespace to single spaces. */
export function normalizeWhitespace(text: string): string {
  return text
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

interface OpenHeading {
  level: number;
  text: string;
  /** True once a block was added under this heading or under one of its sub-headings. */
  used: boolean;
}

/**
 * Collects blocks in reading order while keeping the heading path in force: a heading of
 * level n closes every open heading of level n or deeper. A heading whose section stays
 * empty becomes a block of its own, so its words are not lost.
 */
export class BlockCollector {
  private readonly open: OpenHeading[] = [];
  private blocks: DocumentBlock[] = [];
  /** The text of the first heading seen, a fallback title. */
  firstHeading: string | undefined;

  heading(level: number, rawText: string): void {
    const text = normalizeWhitespace(rawText);
    if (!text) return;
    this.firstHeading ??= text;
    this.close(level);
    this.open.push({ level, text, used: false });
  }

  text(rawText: string): void {
    const text = normalizeWhitespace(rawText);
    if (!text) return;
    for (const heading of this.open) heading.used = true;
    this.blocks.push(this.open.length ? { text, heading: this.path() } : { text });
  }

  /** The blocks added since the last call (a PDF takes them page by page). */
  take(): DocumentBlock[] {
    const blocks = this.blocks;
    this.blocks = [];
    return blocks;
  }

  /** Closes every open heading (keeping empty sections' titles) and returns the last blocks. */
  finish(): DocumentBlock[] {
    this.close(0);
    return this.take();
  }

  private close(level: number): void {
    while (this.open.length && this.open[this.open.length - 1]!.level >= level) {
      const last = this.open[this.open.length - 1]!;
      if (!last.used) {
        for (const heading of this.open) heading.used = true;
        this.blocks.push({ text: last.text, heading: this.path() });
      }
      this.open.pop();
    }
  }

  private path(): string[] {
    return this.open.map((heading) => heading.text);
  }
}
