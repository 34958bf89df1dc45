import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BotwireError, isBotwireError } from '@botwire/core';
import type { DocumentPage } from './extracted-document';
import { itemsToLines, layoutPages, type PdfLine, type PdfTextItem } from './pdf-layout';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjs: Promise<Pdfjs> | undefined;

/** pdf.js, loaded on first use (its legacy build runs in Node; its worker runs in-process). */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs').catch((error: unknown) => {
    pdfjs = undefined;
    throw error;
  });
  return pdfjs;
}

/** pdf.js's own folder: CMaps for CJK text and standard font data, read from disk, never fetched. */
function pdfjsFolder(): string {
  return dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
}

/** Options for {@link pdfToPages}. */
export interface PdfToPagesOptions {
  maxPages: number;
  signal?: AbortSignal;
}

function unreadable(message: string, cause?: unknown): BotwireError {
  return new BotwireError('BOTWIRE_DOCUMENT_UNREADABLE', {
    message,
    hint: 'Open the file on your device to check it, save it again as PDF, and send it again.',
    ...(cause === undefined
      ? {}
      : { cause, details: { reason: String((cause as Error)?.message ?? cause) } }),
  });
}

/**
 * The text of a PDF, page by page, with headings found from font sizes. Parses with pdf.js in
 * this thread, one page at a time, letting other work run between pages and checking
 * `signal` there. Nothing is fetched: no worker download, no fonts, no network.
 */
export async function pdfToPages(
  bytes: Uint8Array,
  options: PdfToPagesOptions,
): Promise<{ title?: string; pages: DocumentPage[] }> {
  const { getDocument } = await loadPdfjs();
  const folder = pdfjsFolder();
  const task = getDocument({
    // pdf.js hands the buffer to its worker, which detaches it: give it a copy.
    data: bytes.slice(),
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    useWorkerFetch: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    enableXfa: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    cMapUrl: `${join(folder, 'cmaps')}/`,
    standardFontDataUrl: `${join(folder, 'standard_fonts')}/`,
    verbosity: 0,
  });
  try {
    let document: Awaited<typeof task.promise>;
    try {
      document = await task.promise;
    } catch (error) {
      if ((error as Error)?.name === 'PasswordException') {
        throw new BotwireError('BOTWIRE_DOCUMENT_ENCRYPTED', {
          hint: 'Open it, remove the password (or print it to a new PDF), and send that copy.',
        });
      }
      throw unreadable('The PDF could not be opened: it is damaged or not a PDF.', error);
    }
    if (document.numPages > options.maxPages) {
      throw new BotwireError('BOTWIRE_DOCUMENT_TOO_LARGE', {
        message: `The PDF has ${document.numPages} pages; documents may have at most ${options.maxPages}.`,
        hint: 'Split it into parts and send them one by one.',
        details: { pages: document.numPages, maxPages: options.maxPages },
      });
    }
    const metadata = await document.getMetadata().catch(() => undefined);
    const info = metadata?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === 'string' ? info.Title.replace(/\s+/g, ' ').trim() : '';
    const pageLines: PdfLine[][] = [];
    for (let number = 1; number <= document.numPages; number++) {
      options.signal?.throwIfAborted();
      try {
        const page = await document.getPage(number);
        const content = await page.getTextContent();
        const items: PdfTextItem[] = [];
        for (const item of content.items) if ('str' in item) items.push(item);
        pageLines.push(itemsToLines(items));
        page.cleanup();
      } catch (error) {
        throw unreadable(
          `Page ${number} of the PDF could not be read: the file is damaged.`,
          error,
        );
      }
      await nextTurn();
    }
    options.signal?.throwIfAborted();
    if (!pageLines.some((lines) => lines.some((line) => line.text.trim()))) {
      throw new BotwireError('BOTWIRE_DOCUMENT_UNREADABLE', {
        message:
          'The PDF has no text layer: it holds only images (a scan or a photo), and text is not recognized from images.',
        hint: 'Send a PDF with selectable text, or the original document (DOCX, TXT).',
        details: { pages: document.numPages },
      });
    }
    const pages = layoutPages(pageLines);
    return title ? { title, pages } : { pages };
  } catch (error) {
    if (isBotwireError(error) || options.signal?.aborted) throw error;
    throw unreadable('The PDF could not be read: it is damaged.', error);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}
