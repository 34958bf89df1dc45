import {
  type Artifact,
  BotwireError,
  isBotwireError,
  type ToolContext,
  type ToolReply,
} from '@botwire/core';
import { type PdfWorkerPool, sharedPdfWorkerPool } from './pdf-worker-pool';
import type { PdfCreateInput } from './skill-types';

/** What `pdf_create` returns: a line for the user, the PDF as an artifact, and figures for later steps. */
export interface PdfCreateReply extends ToolReply {
  text: string;
  artifacts: [Artifact];
  data: { title: string; pages: number; bytes: number; fileName: string };
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

/** Options of {@link pdfCreate} beyond the tool's context, for tests and embedders. */
export interface PdfCreateOptions {
  /** The threads that render; default: one pool shared by the process. */
  workers?: PdfWorkerPool;
}

/**
 * The `pdf_create` tool: renders the Markdown as a PDF and returns it as an artifact, which the
 * runtime sends to the user as a file on any messenger. Parsing and rendering run in a worker
 * thread with a time limit, so a pathological document stalls no one else and ends with
 * BOTWIRE_DOCUMENT_TOO_COMPLEX, in the user's language.
 */
export async function pdfCreate(
  input: PdfCreateInput,
  context: Pick<ToolContext, 't' | 'locale'> & { signal?: AbortSignal },
  options: PdfCreateOptions = {},
): Promise<PdfCreateReply> {
  const workers = options.workers ?? sharedPdfWorkerPool();
  let built: Awaited<ReturnType<PdfWorkerPool['render']>>;
  try {
    built = await workers.render(
      {
        markdown: input.markdown,
        ...(input.title ? { title: input.title } : {}),
        untitled: context.t('untitled'),
        ...(context.locale ? { language: context.locale } : {}),
      },
      context.signal,
    );
  } catch (error) {
    if (!isBotwireError(error, 'BOTWIRE_DOCUMENT_TOO_COMPLEX')) throw error;
    // Said in the user's language: this message is what they read.
    const seconds = Math.round(workers.timeoutMs / 1000);
    throw new BotwireError('BOTWIRE_DOCUMENT_TOO_COMPLEX', {
      message: context.t(error.details.limit === 'memory' ? 'too_large' : 'too_complex', {
        seconds,
      }),
      ...(error.hint ? { hint: error.hint } : {}),
      details: error.details,
    });
  }
  const { title, data, pages } = built;
  const fileName = pdfFileName(input.fileName?.trim() || title);
  return {
    text: context.t(pages === 1 ? 'made_one' : 'made', { title, pages }),
    artifacts: [{ name: fileName, mimeType: 'application/pdf', data }],
    data: { title, pages, bytes: data.byteLength, fileName },
  };
}
