import type { Artifact, ToolContext, ToolReply } from '@botwire/core';
import { parseMarkdown } from './markdown-to-content';
import { renderPdf } from './render-pdf';
import type { PdfCreateInput } from './skill-types';

/** What `pdf_create` returns: a line for the user, the PDF as an artifact, and figures for later steps. */
export interface PdfCreateReply extends ToolReply {
  text: string;
  artifacts: [Artifact];
  data: { title: string; pages: number; bytes: number; fileName: string };
}

const maxTitleLength = 200;

/** Cuts text to `length` characters at a word boundary, with an ellipsis when it was cut. */
function shorten(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The first line with text, without Markdown's block marks (`#`, `>`, `-`, `1.`), for a title. */
function firstLine(markdown: string): string | undefined {
  for (const line of markdown.split(/\r?\n/)) {
    const text = line
      .replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)*/, '')
      .replace(/[*_`~]+/g, '')
      .trim();
    if (text && !/^[-=|:\s]+$/.test(text)) return shorten(text, 80);
  }
  return undefined;
}

/**
 * A safe file name ending in `.pdf`: slashes become `-`, control and reserved characters go,
 * letters of any script (Cyrillic too) stay. `"Отчёт: Q1/2025"` becomes `"Отчёт Q1-2025.pdf"`.
 */
export function pdfFileName(name: string): string {
  const base = name
    .replace(/\.pdf$/i, '')
    .replace(/[/\\]+/g, '-')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes.
    .replace(/[\u0000-\u001f\u007f:*?"<>|]+/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.-]+|[\s.-]+$/g, '');
  return `${base.slice(0, 100).trimEnd() || 'document'}.pdf`;
}

/**
 * The `pdf_create` tool: renders the Markdown as a PDF and returns it as an artifact, which the
 * runtime sends to the user as a file on any messenger.
 */
export async function pdfCreate(
  input: PdfCreateInput,
  context: Pick<ToolContext, 't' | 'locale'>,
): Promise<PdfCreateReply> {
  const parsed = parseMarkdown(input.markdown);
  const chosen = input.title?.trim() || parsed.firstHeading?.text || firstLine(input.markdown);
  const title = shorten(chosen || context.t('untitled'), maxTitleLength);
  const { data, pages } = await renderPdf({
    title,
    markdown: input.markdown,
    parsed,
    ...(context.locale ? { language: context.locale } : {}),
  });
  const fileName = pdfFileName(input.fileName?.trim() || title);
  return {
    text: context.t(pages === 1 ? 'made_one' : 'made', { title, pages }),
    artifacts: [{ name: fileName, mimeType: 'application/pdf', data }],
    data: { title, pages, bytes: data.byteLength, fileName },
  };
}
