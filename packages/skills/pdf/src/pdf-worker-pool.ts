import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BotwireError } from '@botwire/core';
import type { BuiltPdf, PdfJob } from './build-pdf';
import type { PdfWorkerRequest, PdfWorkerResponse } from './pdf-worker';

/** Options for {@link PdfWorkerPool}. */
export interface PdfWorkerPoolOptions {
  /** How many PDFs render at once, each in its own thread. Default 2 (1 on a single core). */
  size?: number;
  /** The longest one PDF may take; then its thread is stopped. Default 20 s. */
  timeoutMs?: number;
  /** The most memory one thread's heap may use, in MiB. Default 512. */
  maxMemoryMb?: number;
  /** How long an idle thread is kept for the next PDF. Default 30 s. */
  idleMs?: number;
}

interface Task {
  id: number;
  job: PdfJob;
  resolve: (pdf: BuiltPdf) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
}

interface Slot {
  worker: Worker;
  /** True once the thread has loaded its modules; a PDF's time limit starts then. */
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
}

/**
 * How to start the worker: `pdf-worker.js` beside the built module (tsup builds it as an entry
 * of its own), or, when this file runs from source under a TypeScript runner (the tests),
 * `pdf-worker.ts` imported through tsx's API (Node 20 applies no `--import` hooks to a
 * worker's own entry).
 */
function workerScript(): { script: URL | string; eval: boolean } {
  if (!import.meta.url.endsWith('.ts'))
    return { script: new URL('./pdf-worker.js', import.meta.url), eval: false };
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const exports = (
    require(manifest) as { exports: Record<string, { import: { default: string } }> }
  ).exports;
  const api = pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
  const entry = new URL('./pdf-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return { script: code, eval: true };
}

/**
 * Renders PDFs in worker threads, so parsing and layout never block the bot's event loop, with
 * a time and a memory limit per PDF: a document that passes either stops its thread and fails
 * with BOTWIRE_DOCUMENT_TOO_COMPLEX. Threads are reused, started when needed, and stopped when
 * idle; they never keep the process alive.
 *
 * @example
 * const pool = new PdfWorkerPool({ timeoutMs: 10_000 });
 * const pdf = await pool.render({ markdown: '# Hi', untitled: 'Document' });
 */
export class PdfWorkerPool {
  private readonly size: number;
  /** The time limit of one PDF, in milliseconds. */
  readonly timeoutMs: number;
  private readonly maxMemoryMb: number;
  private readonly idleMs: number;
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private nextId = 1;

  constructor(options: PdfWorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? Math.min(2, availableParallelism()));
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.maxMemoryMb = options.maxMemoryMb ?? 512;
    this.idleMs = options.idleMs ?? 30_000;
  }

  /**
   * Renders one PDF in a worker thread. Rejects with BOTWIRE_DOCUMENT_TOO_COMPLEX when it takes
   * longer than `timeoutMs` or more memory than allowed, and with the signal's reason when the
   * signal aborts (the thread is stopped in both cases).
   */
  render(job: PdfJob, signal?: AbortSignal): Promise<BuiltPdf> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<BuiltPdf>((resolve, reject) => {
      const task: Task = { id: this.nextId++, job, resolve, reject, ...(signal ? { signal } : {}) };
      signal?.addEventListener('abort', () => this.cancel(task, signal.reason), { once: true });
      this.queue.push(task);
      this.dispatch();
    });
  }

  /** Stops every thread; PDFs still rendering or waiting fail. */
  async close(): Promise<void> {
    const stopped = new Error('The PDF worker pool was closed.');
    for (const task of this.queue.splice(0)) task.reject(stopped);
    await Promise.all([...this.slots].map((slot) => this.retire(slot, stopped)));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((candidate) => !candidate.task);
      if (!slot) {
        if (this.slots.size >= this.size) return;
        slot = this.spawn();
      }
      this.assign(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const { script, eval: isCode } = workerScript();
    const worker = new Worker(script, {
      eval: isCode,
      resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb },
    });
    const slot: Slot = { worker, ready: false };
    worker.on('message', (response: PdfWorkerResponse | 'ready') => {
      if (response !== 'ready') return this.finish(slot, response);
      slot.ready = true;
      if (slot.task) this.startClock(slot);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const failure =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? tooComplex('memory', this.maxMemoryMb)
          : new Error(`The PDF could not be rendered: ${error.message}`, { cause: error });
      void this.retire(slot, failure);
      this.dispatch();
    });
    worker.on('exit', () => {
      if (this.slots.has(slot)) {
        this.slots.delete(slot);
        this.dispatch();
      }
    });
    this.slots.add(slot);
    return slot;
  }

  private assign(slot: Slot, task: Task): void {
    clearTimeout(slot.idleTimer);
    slot.task = task;
    slot.worker.ref();
    if (slot.ready) this.startClock(slot);
    const request: PdfWorkerRequest = { id: task.id, job: task.job };
    slot.worker.postMessage(request);
  }

  /** Starts the time limit of the slot's PDF (starting the thread is not the document's fault). */
  private startClock(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      void this.retire(slot, tooComplex('time', this.timeoutMs));
      this.dispatch();
    }, this.timeoutMs);
  }

  private finish(slot: Slot, response: PdfWorkerResponse): void {
    const task = slot.task;
    if (!task || task.id !== response.id) return;
    clearTimeout(slot.timer);
    slot.task = undefined;
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => void this.retire(slot), this.idleMs);
    slot.idleTimer.unref();
    if (response.ok)
      task.resolve({ title: response.title, data: response.data, pages: response.pages });
    else task.reject(new Error(`The PDF could not be rendered: ${response.message}`));
    this.dispatch();
  }

  private cancel(task: Task, reason: unknown): void {
    const waiting = this.queue.indexOf(task);
    if (waiting !== -1) {
      this.queue.splice(waiting, 1);
      task.reject(reason);
      return;
    }
    const slot = [...this.slots].find((candidate) => candidate.task === task);
    if (slot) {
      void this.retire(slot, reason);
      this.dispatch();
    }
  }

  /** Stops a thread; the PDF it was rendering (if any) fails with `reason`. */
  private async retire(slot: Slot, reason?: unknown): Promise<void> {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.timer);
    clearTimeout(slot.idleTimer);
    const task = slot.task;
    slot.task = undefined;
    if (task) task.reject(reason);
    await slot.worker.terminate();
  }
}

function tooComplex(limit: 'time' | 'memory', amount: number): BotwireError {
  const what =
    limit === 'time'
      ? `took longer than ${Math.round(amount / 100) / 10} s to render`
      : `needed more than ${amount} MiB to render`;
  return new BotwireError('BOTWIRE_DOCUMENT_TOO_COMPLEX', {
    message: `The document is too complex: it ${what}, so rendering was stopped.`,
    hint: 'Make the document shorter or simpler (fewer nested brackets, lists or quotes), or split it into several.',
    details: { limit, ...(limit === 'time' ? { timeoutMs: amount } : { maxMemoryMb: amount }) },
  });
}

let shared: PdfWorkerPool | undefined;

/** The pool `pdf_create` uses unless it is given another: made on first use. */
export function sharedPdfWorkerPool(): PdfWorkerPool {
  shared ??= new PdfWorkerPool();
  return shared;
}
