import { createRequire } from 'node:module';
import { pdfFonts } from './fonts';
import {
  documentStyles,
  markdownToContent,
  type ParsedMarkdown,
  pageMargins,
  parseMarkdown,
} from './markdown-to-content';
import type { Content, DocumentDefinition, PdfMake } from './pdfmake-types';

// pdfmake is CommonJS whose export is an object built at run time, so ESM cannot name its parts.
const pdfmake = createRequire(import.meta.url)('pdfmake') as PdfMake;

/** What {@link renderPdf} needs. */
export interface RenderPdfOptions {
  /** The document's title: the first heading of the PDF and its metadata title. */
  title: string;
  markdown: string;
  /** Markdown already parsed by {@link parseMarkdown}, to avoid parsing it twice. */
  parsed?: ParsedMarkdown;
  /** The language tag written into the PDF (`en`, `ru`). */
  language?: string;
}

/** A rendered PDF. */
export interface RenderedPdf {
  /** The bytes of the PDF file. */
  data: Uint8Array;
  /** How many pages it has. */
  pages: number;
}

/**
 * Renders Markdown as an A4 PDF with the title on top and in its metadata and page numbers in
 * the footer. Fonts come from npm packages; nothing is fetched or read besides them (images in
 * the Markdown show as their alt text, linked).
 *
 * @example
 * const { data, pages } = await renderPdf({ title: 'Отчёт', markdown: '# Итоги\n\n- ёж' });
 */
export async function renderPdf(options: RenderPdfOptions): Promise<RenderedPdf> {
  const parsed = options.parsed ?? parseMarkdown(options.markdown);
  const content: Content[] = markdownToContent(parsed, options.title);
  let pages = 0;
  const definition: DocumentDefinition = {
    info: { title: options.title, creator: 'Botwire', producer: 'Botwire skill-pdf (pdfmake)' },
    displayTitle: true,
    pageSize: 'A4',
    pageMargins,
    content,
    styles: documentStyles,
    defaultStyle: { font: 'Roboto', fontSize: 11, lineHeight: 1.2 },
    footer: (currentPage, pageCount) => {
      pages = Math.max(pages, pageCount);
      return { text: `${currentPage} / ${pageCount}`, alignment: 'center', style: 'footer' };
    },
  };
  if (options.language) definition.language = options.language;
  // pdfmake is one shared object: set everything right before createPdf, which reads it at once.
  const { fonts, files } = pdfFonts();
  pdfmake.setFonts(fonts);
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => files.has(path));
  const buffer = await pdfmake.createPdf(definition).getBuffer();
  return {
    data: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
    pages: Math.max(pages, 1),
  };
}
