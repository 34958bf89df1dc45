/** The formats {@link extractDocument} reads. */
export type DocumentFormat = 'pdf' | 'docx' | 'text' | 'markdown' | 'html';

/** A run of text: a paragraph, a list item, a table row. */
export interface DocumentBlock {
  /** The text, whitespace collapsed to single spaces. */
  text: string;
  /** The headings in force for the block, outermost first, e.g. `['Договор', '5. Штрафы']`. */
  heading?: string[];
}

/** One page of a document. Formats without pages have one page, number 1. */
export interface DocumentPage {
  /** 1-based page number, as a reader would cite it. */
  number: number;
  /** The page's blocks in reading order; empty for a page without text. */
  blocks: DocumentBlock[];
}

/** The text of a document, by page and block, with the heading path of each block. */
export interface ExtractedDocument {
  format: DocumentFormat;
  /** The document's own title (PDF metadata, HTML `<title>`, front matter, first heading). */
  title?: string;
  pages: DocumentPage[];
}
