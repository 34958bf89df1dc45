import { BotwireError } from '@botwire/core';
import { decodeText } from './decode-text';
import { claimedFormat, extensionOf, sniffFormat } from './detect-format';
import { docxToBlocks } from './docx-to-blocks';
import type { DocumentBlock, DocumentFormat, ExtractedDocument } from './extracted-document';
import { htmlToBlocks } from './html-to-blocks';
import { markdownToBlocks } from './markdown-to-blocks';
import { pdfToPages } from './pdf-to-pages';
import { textToBlocks } from './text-to-blocks';

export type {
  DocumentBlock,
  DocumentFormat,
  DocumentPage,
  ExtractedDocument,
} from './extracted-document';

/** Options for {@link extractDocument}. */
export interface ExtractDocumentOptions {
  /** The largest file read, in bytes; checked before any parsing. Default 20 MiB. */
  maxBytes?: number;
  /** The most pages a PDF may have. Default 500. */
  maxPages?: number;
  /** Stops the work between pages; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The file as the user sent it: its name and, when the messenger gives one, its MIME type. */
export interface DocumentFile {
  name: string;
  mimeType?: string;
}

const mebibyte = 1024 * 1024;
const accepted = 'PDF, DOCX, TXT, Markdown or HTML';
const megabytes = (bytes: number) => `${Number((bytes / mebibyte).toFixed(1))} MB`;

function describeName(file: DocumentFile): string {
  const extension = extensionOf(file.name);
  return extension ? `.${extension}` : (file.mimeType ?? 'a document');
}

function emptyFile(): BotwireError {
  return new BotwireError('BOTWIRE_DOCUMENT_UNREADABLE', {
    message: 'The file is empty: it has no text to read.',
    hint: 'Check that you sent the right file.',
  });
}

/**
 * Reads the text of a document the user sent, page by page and block by block, with the
 * heading path of each block. The format is found from the bytes first (`%PDF-`, a ZIP with
 * `word/document.xml`), then from the name or MIME type for text, Markdown and HTML. Text is
 * read as UTF-8, UTF-16 with a BOM, or Windows-1251. Formats without pages are one page.
 *
 * Fails with a BotwireError: BOTWIRE_DOCUMENT_TOO_LARGE (over `maxBytes`, or a PDF over
 * `maxPages`), BOTWIRE_DOCUMENT_UNSUPPORTED (images, .doc, .xlsx, archives...),
 * BOTWIRE_DOCUMENT_ENCRYPTED (a password-protected PDF or Office file) or
 * BOTWIRE_DOCUMENT_UNREADABLE (damaged, empty, a scan without text, binary data in a .txt).
 *
 * @example
 * const document = await extractDocument(bytes, { name: 'Договор.pdf', mimeType: 'application/pdf' });
 * for (const page of document.pages) for (const block of page.blocks) console.log(page.number, block.heading, block.text);
 */
export async function extractDocument(
  bytes: Uint8Array,
  file: DocumentFile,
  options: ExtractDocumentOptions = {},
): Promise<ExtractedDocument> {
  const maxBytes = options.maxBytes ?? 20 * mebibyte;
  if (bytes.byteLength > maxBytes) {
    throw new BotwireError('BOTWIRE_DOCUMENT_TOO_LARGE', {
      message: `The file is ${megabytes(bytes.byteLength)}; documents may be at most ${megabytes(maxBytes)}.`,
      hint: 'Send a smaller file, or split the document into parts.',
      details: { sizeBytes: bytes.byteLength, maxBytes },
    });
  }
  options.signal?.throwIfAborted();
  if (bytes.byteLength === 0) throw emptyFile();
  const claimed = claimedFormat(file);
  const sniffed = sniffFormat(bytes, claimed);

  if (sniffed.kind === 'pdf') {
    const { title, pages } = await pdfToPages(bytes, {
      maxPages: options.maxPages ?? 500,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { format: 'pdf', ...(title ? { title } : {}), pages };
  }

  if (sniffed.kind === 'docx') {
    const unpacked = sniffed.entries?.reduce((sum, entry) => sum + entry.size, 0) ?? 0;
    if (unpacked > maxBytes * 10) {
      throw new BotwireError('BOTWIRE_DOCUMENT_TOO_LARGE', {
        message: `The DOCX file unpacks to ${Number.isFinite(unpacked) ? megabytes(unpacked) : 'more than 4 GB'}; documents may unpack to at most ${megabytes(maxBytes * 10)}.`,
        hint: 'Send a smaller file, or split the document into parts.',
        details: { unpackedBytes: unpacked, maxUnpackedBytes: maxBytes * 10 },
      });
    }
    const { blocks, title } = await docxToBlocks(bytes);
    return finish('docx', title, blocks);
  }

  if (sniffed.kind === 'other') {
    if (sniffed.encrypted) {
      throw new BotwireError('BOTWIRE_DOCUMENT_ENCRYPTED', {
        message: 'The Office file is protected with a password. Send a copy without the password.',
        details: { detected: sniffed.label },
      });
    }
    if (claimed === 'docx' && sniffed.label === 'a ZIP archive') {
      throw new BotwireError('BOTWIRE_DOCUMENT_UNREADABLE', {
        message: `The file is named ${describeName(file)} but is not a Word document: it is damaged or has the wrong name.`,
        hint: 'Open it in Word or LibreOffice, save it again as .docx, and send it again.',
        details: { detected: sniffed.label, claimed },
      });
    }
    if (claimed && claimed !== 'pdf' && claimed !== 'docx') {
      throw new BotwireError('BOTWIRE_DOCUMENT_UNREADABLE', {
        message: `The file is named ${describeName(file)} but holds ${sniffed.binary ? 'binary data' : 'something else'} (${sniffed.label}), not text.`,
        hint: `Send the document itself as a ${accepted} file.`,
        details: { detected: sniffed.label, claimed },
      });
    }
    throw new BotwireError('BOTWIRE_DOCUMENT_UNSUPPORTED', {
      message: `This file is ${sniffed.label}, which cannot be read as a document. Send a ${accepted} file.`,
      hint:
        sniffed.label.startsWith('an old Microsoft Office') || sniffed.label.includes('.odt')
          ? 'Open it in Word or LibreOffice and save it as .docx or PDF.'
          : 'Text in images is not recognized; send the document as text, not a picture or an archive.',
      details: { detected: sniffed.label, accepted: ['pdf', 'docx', 'txt', 'md', 'html'] },
    });
  }

  if (claimed === 'pdf' || claimed === 'docx') {
    throw new BotwireError('BOTWIRE_DOCUMENT_UNREADABLE', {
      message: `The file is named ${describeName(file)} but is not a ${claimed === 'pdf' ? 'PDF' : 'DOCX'} file: it is damaged or has the wrong name.`,
      hint: 'Open the file on your device to check it, and send it again.',
      details: { claimed },
    });
  }

  const decoded = decodeText(bytes);
  if (!decoded) {
    if (claimed) {
      throw new BotwireError('BOTWIRE_DOCUMENT_UNREADABLE', {
        message: `The file is named ${describeName(file)} but holds binary data, not text.`,
        hint: `Send the document itself as a ${accepted} file.`,
        details: { claimed },
      });
    }
    throw new BotwireError('BOTWIRE_DOCUMENT_UNSUPPORTED', {
      message: `This file is binary data of a kind that cannot be read as a document. Send a ${accepted} file.`,
      details: { detected: 'unknown binary data', accepted: ['pdf', 'docx', 'txt', 'md', 'html'] },
    });
  }
  const format =
    claimed ?? (/^\s*<(?:!doctype\s+html|html[\s>])/i.test(decoded.text) ? 'html' : 'text');
  if (format === 'html') {
    const { blocks, title } = htmlToBlocks(decoded.text);
    return finish('html', title, blocks);
  }
  if (format === 'markdown') {
    const { blocks, title } = markdownToBlocks(decoded.text);
    return finish('markdown', title, blocks);
  }
  return finish('text', undefined, textToBlocks(decoded.text));
}

function finish(
  format: DocumentFormat,
  title: string | undefined,
  blocks: DocumentBlock[],
): ExtractedDocument {
  if (!blocks.length) throw emptyFile();
  return { format, ...(title ? { title } : {}), pages: [{ number: 1, blocks }] };
}
