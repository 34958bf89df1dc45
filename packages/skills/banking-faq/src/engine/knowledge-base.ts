import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BotwireError, type Problem } from '@botwire/core';

/** One entry of a knowledge base: a level-2 heading with an id, and its body. */
export interface KnowledgeEntry {
  /** The Pandoc-style id of the heading (`card-block`); the same in every language. */
  id: string;
  /** The language of the file the entry is in (`ru`, `en`). */
  language: string;
  /** The heading text without the id. */
  title: string;
  /** The body up to the next level-2 heading, trimmed. */
  text: string;
  /** The file it was read from (as given). */
  file: string;
  /** The 1-based line of its heading. */
  line: number;
}

/** Options for {@link parseKnowledgeBase}. */
export interface ParseKnowledgeBaseOptions {
  /** The file name, for entries and errors; default `knowledge.md`. */
  file?: string;
  /** The language; default taken from a file name `knowledge.<lang>.md`, else an error. */
  language?: string;
}

const validId = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The language in a file name of the form `knowledge.<lang>.md` (`knowledge.ru.md` → `ru`), or
 * undefined.
 */
export function languageFromFileName(file: string): string | undefined {
  return /\.([a-z]{2,3}(?:-[a-z0-9]+)?)\.md$/i.exec(basename(file))?.[1]?.toLowerCase();
}

/**
 * Parses one Markdown knowledge base: each `## Title {#id}` heading starts an entry that runs to
 * the next level-2 heading; the level-1 heading and anything before the first `##` are not
 * entries. Throws a `BOTWIRE_INVALID_ARGUMENT` error listing every problem with its file and line:
 * a `##` heading without `{#id}`, an invalid id, an id used twice in the file.
 *
 * @example
 * parseKnowledgeBase(text, { file: 'knowledge.ru.md' }); // [{ id: 'card-block', language: 'ru', … }]
 */
export function parseKnowledgeBase(
  markdown: string,
  options: ParseKnowledgeBaseOptions = {},
): KnowledgeEntry[] {
  const file = options.file ?? 'knowledge.md';
  const language = options.language ?? languageFromFileName(file);
  if (!language) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `The language of ${file} is unknown: name it knowledge.<lang>.md (knowledge.ru.md) or pass language.`,
    });
  }
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const entries: KnowledgeEntry[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  let current: { entry: KnowledgeEntry; body: string[] } | undefined;
  let fence = false;
  const finish = () => {
    if (!current) return;
    current.entry.text = current.body.join('\n').trim();
    entries.push(current.entry);
    current = undefined;
  };
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    if (/^\s*(```|~~~)/.test(raw)) fence = !fence;
    const heading = fence ? null : /^##(?!#)\s*(.*?)\s*#*\s*$/.exec(raw);
    if (!heading) {
      if (!fence && /^#(?!#)/.test(raw)) finish();
      else current?.body.push(raw);
      return;
    }
    finish();
    const attribute = /^(.*?)\s*\{#([^}\s]*)\}\s*$/.exec(heading[1]!);
    const path = `line ${lineNumber}`;
    if (!attribute) {
      problems.push({
        path,
        file,
        code: 'BOTWIRE_FAQ_ENTRY_ID_MISSING',
        message: `${file}:${lineNumber}: the heading "${heading[1]}" has no id; add one: ## ${heading[1]} {#some-id}`,
      });
      return;
    }
    const [, title, id] = attribute as unknown as [string, string, string];
    if (!validId.test(id)) {
      problems.push({
        path,
        file,
        code: 'BOTWIRE_FAQ_ENTRY_ID_INVALID',
        message: `${file}:${lineNumber}: the id "${id}" is invalid; use lower-case ASCII letters, digits and hyphens (card-block).`,
      });
      return;
    }
    const first = seen.get(id);
    if (first !== undefined) {
      problems.push({
        path,
        file,
        code: 'BOTWIRE_FAQ_ENTRY_ID_DUPLICATE',
        message: `${file}:${lineNumber}: the id "${id}" is already used on line ${first}; ids must be unique in a file.`,
      });
      return;
    }
    seen.set(id, lineNumber);
    current = {
      entry: { id, language, title: title.trim(), text: '', file, line: lineNumber },
      body: [],
    };
  });
  finish();
  if (problems.length > 0) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `The knowledge base ${file} is invalid: ${problems.map((problem) => problem.message).join(' ')}`,
      problems,
      hint: 'Every entry is a level-2 heading with an id: ## How to block a card {#card-block}',
    });
  }
  return entries;
}

/**
 * Reads and parses knowledge base files (`knowledge.ru.md`, `knowledge.en.md`, …), the language
 * of each from its name unless given, and returns all their entries.
 */
export async function loadKnowledgeBase(
  files: readonly (string | { file: string; language: string })[],
): Promise<KnowledgeEntry[]> {
  const entries: KnowledgeEntry[] = [];
  for (const item of files) {
    const file = typeof item === 'string' ? item : item.file;
    const language = typeof item === 'string' ? undefined : item.language;
    const markdown = await readFile(file, 'utf8');
    entries.push(...parseKnowledgeBase(markdown, { file, ...(language ? { language } : {}) }));
  }
  return entries;
}
