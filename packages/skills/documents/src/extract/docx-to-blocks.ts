import { BotwireError } from '@botwire/core';
import { type HtmlBlocks, htmlToBlocks } from './html-to-blocks';

type Mammoth = typeof import('mammoth');

let mammoth: Promise<Mammoth> | undefined;

/** mammoth, loaded on first use (CommonJS: its API is the default export). */
async function loadMammoth(): Promise<Mammoth> {
  mammoth ??= import('mammoth').then(
    (module) => (module as unknown as { default?: Mammoth }).default ?? (module as Mammoth),
    (error: unknown) => {
      mammoth = undefined;
      throw error;
    },
  );
  return mammoth;
}

/**
 * The blocks of a DOCX file: mammoth turns it into HTML (heading styles become h1–h6, images
 * are dropped unread), which {@link htmlToBlocks} splits into blocks with their headings.
 */
export async function docxToBlocks(bytes: Uint8Array): Promise<HtmlBlocks> {
  const library = await loadMammoth();
  let html: string;
  try {
    const result = await library.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        convertImage: library.images.imgElement(async () => ({ src: '' })),
        externalFileAccess: false,
      },
    );
    html = result.value;
  } catch (error) {
    throw new BotwireError('BOTWIRE_DOCUMENT_UNREADABLE', {
      message: 'The DOCX file could not be read: it is damaged or not a Word document.',
      hint: 'Open it in Word or LibreOffice, save it again as .docx, and send it again.',
      details: { reason: String((error as Error)?.message ?? error) },
      cause: error,
    });
  }
  return htmlToBlocks(html);
}
