import { parentPort } from 'node:worker_threads';
import { buildPdf, type PdfJob } from './build-pdf';

/** A job sent to the worker. */
export interface PdfWorkerRequest {
  id: number;
  job: PdfJob;
}

/** The worker's answer to one {@link PdfWorkerRequest}. */
export type PdfWorkerResponse =
  | { id: number; ok: true; title: string; data: Uint8Array; pages: number }
  | { id: number; ok: false; message: string };

// The worker thread of PdfWorkerPool (exported as `@botwire/skill-pdf/pdf-worker` so the
// build checks see it; it does nothing outside a worker): renders one job at a time and posts
// the bytes back.
parentPort?.on('message', async ({ id, job }: PdfWorkerRequest) => {
  try {
    const built = await buildPdf(job);
    // A copy of its own, so the buffer can be moved (not copied) to the main thread.
    const data = new Uint8Array(built.data);
    const response: PdfWorkerResponse = {
      id,
      ok: true,
      title: built.title,
      data,
      pages: built.pages,
    };
    parentPort?.postMessage(response, [data.buffer]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    parentPort?.postMessage({ id, ok: false, message } satisfies PdfWorkerResponse);
  }
});
// Every module is loaded: the pool starts a PDF's time limit from here.
parentPort?.postMessage('ready');
