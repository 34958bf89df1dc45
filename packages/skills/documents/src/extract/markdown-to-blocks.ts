import { BlockCollector } from './block-collector';
import type { DocumentBlock } from './extracted-document';
import { decodeEntities } from './html-entities';

/** What {@link markdownToBlocks} found: the blocks and the front matter title or first heading. */
export interface MarkdownBlocks {
  blocks: DocumentBlock[];
  title?: string;
}

const fence = /^ {0,3}(`{3,}|~{3,})/;
const atxHeading = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const setextUnderline = /^ {0,3}(=+|-+)[ \t]*$/;
const thematicBreak = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const listItem = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const tableDelimiter = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$/;

/** Plain text of inline Markdown: links and images by their text, emphasis and code marks removed. */
export function stripInlineMarkdown(text: string): string {
  return decodeEntities(
    text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
      .replace(/<\/?[a-zA-Z][^>]*>/g, '')
      .replace(/`+([^`]+?)`+/g, '$1')
      .replace(/(\*\*|__|~~)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*]*?\S)\*(?![\p{L}\p{N}])/gu, '$1$2')
      .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}])/gu, '$1$2')
      .replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, '$1')
      .replace(/^\s*\|/, '')
      .replace(/\|\s*$/, ''),
  );
}

/**
 * The blocks of a Markdown text with the heading path of each (ATX `#` and setext headings;
 * `#` inside fenced code is not a heading). Each paragraph, list item and code block is a
 * block; YAML front matter is dropped, its `title:` kept as the title.
 */
export function markdownToBlocks(markdown: string): MarkdownBlocks {
  const lines = markdown.split(/\r\n?|\n/);
  const collector = new BlockCollector();
  let title: string | undefined;
  let start = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
    if (end > 0) {
      for (const line of lines.slice(1, end)) {
        const found = /^title:\s*(.+?)\s*$/.exec(line);
        if (found) title = found[1]!.replace(/^(["'])(.*)\1$/, '$2') || undefined;
      }
      start = end + 1;
    }
  }
  let paragraph: string[] = [];
  let code: string[] | undefined;
  let fenceMark = '';
  const flush = () => {
    if (paragraph.length) collector.text(paragraph.map(stripInlineMarkdown).join(' '));
    paragraph = [];
  };
  for (const raw of lines.slice(start)) {
    if (code) {
      if (raw.trim().startsWith(fenceMark) && raw.trim().replace(/[`~]/g, '') === '') {
        collector.text(code.join(' '));
        code = undefined;
      } else code.push(raw);
      continue;
    }
    const opening = fence.exec(raw);
    if (opening) {
      flush();
      fenceMark = opening[1]!;
      code = [];
      continue;
    }
    const line = raw.replace(/^(?: {0,3}>[ \t]?)+/, '');
    if (!line.trim()) {
      flush();
      continue;
    }
    const heading = atxHeading.exec(line);
    if (heading) {
      flush();
      collector.heading(heading[1]!.length, stripInlineMarkdown(heading[2] ?? ''));
      continue;
    }
    const underline = setextUnderline.exec(line);
    if (underline && paragraph.length) {
      const text = paragraph.map(stripInlineMarkdown).join(' ');
      paragraph = [];
      collector.heading(underline[1]!.startsWith('=') ? 1 : 2, text);
      continue;
    }
    if (thematicBreak.test(line) || (line.includes('|') && tableDelimiter.test(line))) {
      flush();
      continue;
    }
    if (line.trimStart().startsWith('|')) {
      flush();
      collector.text(stripInlineMarkdown(line));
      continue;
    }
    const item = listItem.exec(line);
    if (item) {
      flush();
      paragraph.push(item[1]!);
      continue;
    }
    paragraph.push(line);
  }
  if (code) collector.text(code.join(' '));
  flush();
  const blocks = collector.finish();
  const found = title ?? collector.firstHeading;
  return found ? { blocks, title: found } : { blocks };
}
