import { parseMarkdown } from './markdown-to-content';
import { renderPdf } from './render-pdf';

/** What one PDF needs: the Markdown and what the caller knows about its title. */
export interface PdfJob {
  markdown: string;
  /** The title the user gave; without it, the first heading or line of the Markdown. */
  title?: string;
  /** The title when the Markdown has none either (`Document`, in the user's language). */
  untitled: string;
  /** The language tag written into the PDF. */
  language?: string;
}

/** A PDF made from a {@link PdfJob}. */
export interface BuiltPdf {
  title: string;
  data: Uint8Array;
  pages: number;
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
 * Parses the Markdown, picks the title (the given one, else the first heading, else the first
 * line, else `untitled`) and renders the PDF. This is the heavy part: it runs in a worker
 * thread (see {@link PdfWorkerPool}), never on the bot's event loop.
 */
export async function buildPdf(job: PdfJob): Promise<BuiltPdf> {
  const parsed = parseMarkdown(job.markdown);
  const chosen = job.title?.trim() || parsed.firstHeading?.text || firstLine(job.markdown);
  const title = shorten(chosen || job.untitled, maxTitleLength);
  const { data, pages } = await renderPdf({
    title,
    markdown: job.markdown,
    parsed,
    ...(job.language ? { language: job.language } : {}),
  });
  return { title, data, pages };
}
