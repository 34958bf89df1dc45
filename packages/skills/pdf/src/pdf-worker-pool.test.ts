import { isBotwireError } from '@botwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfCreate } from './pdf-create';
import { PdfWorkerPool } from './pdf-worker-pool';
import { normalizeSpace, poppler } from './testing/poppler';

// The adversarial review's input: 9,500 `[` then 9,500 `]` took tens of seconds on the event loop.
const pathological = `${'['.repeat(9500)}${']'.repeat(9500)}`;
const context = {
  locale: 'en',
  t: (key: string, values: Record<string, unknown> = {}) =>
    key === 'untitled' ? 'Document' : `${key} ${JSON.stringify(values)}`,
};

/**
 * Runs `work` while a 20 ms interval ticks, and measures the event loop meanwhile: its worst
 * lag (how late a tick fired) and its utilization (the share of the time it was busy rather
 * than waiting for events, which the machine's other load does not inflate).
 */
async function watchEventLoop<T>(work: () => Promise<T>) {
  let worst = 0;
  let ticks = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 20);
    last = now;
    ticks += 1;
  }, 20);
  const utilizationBefore = performance.eventLoopUtilization();
  const started = performance.now();
  try {
    const outcome = await work().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    // A loop blocked to the end never ticks: the gap since the last tick counts too.
    const now = performance.now();
    worst = Math.max(worst, now - last - 20);
    const { utilization } = performance.eventLoopUtilization(utilizationBefore);
    return { ...outcome, worst, ticks, utilization, elapsed: now - started };
  } finally {
    clearInterval(ticker);
  }
}

describe('PDF rendering off the event loop', () => {
  const timeoutMs = 3000;
  const pool = new PdfWorkerPool({ timeoutMs, size: 2 });
  // Both threads started and warm: the limit counts rendering, not starting a thread.
  beforeAll(() =>
    Promise.all(
      ['# One', '# Two'].map((markdown) => pdfCreate({ markdown }, context, { workers: pool })),
    ),
  );
  afterAll(() => pool.close());

  it('keeps the event loop responsive during a pathological render and stops it at the limit', async () => {
    const run = await watchEventLoop(() =>
      pdfCreate({ markdown: pathological }, context, { workers: pool }),
    );
    // On the event loop, this render kept it busy for 30 s and more (utilization 1, one lag
    // as long as the render). Off it, the loop is idle; what lag is left is the machine's
    // scheduling (on a loaded 2-core machine 65 ms with nothing running, about 200 ms with
    // a core rendering and other tests beside it), hence the margin.
    expect(run.utilization).toBeLessThan(0.2);
    expect(run.worst).toBeLessThan(1000);
    expect(run.ticks).toBeGreaterThan(timeoutMs / 20 / 3);
    const { error } = run as { error?: unknown };
    expect(isBotwireError(error, 'BOTWIRE_DOCUMENT_TOO_COMPLEX')).toBe(true);
    // The message is the skill's string in the user's language, with the limit in seconds.
    expect((error as Error).message).toBe('too_complex {"seconds":3}');
    expect(run.elapsed).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(run.elapsed).toBeLessThan(timeoutMs + 2000);
  });

  it('renders a small document while a pathological one is still running, and after it', async () => {
    const patient = new PdfWorkerPool({ timeoutMs: 60_000, size: 2 });
    try {
      const controller = new AbortController();
      let stuckSettled = false;
      const stuck = pdfCreate(
        { markdown: pathological },
        { ...context, signal: controller.signal },
        { workers: patient },
      )
        .catch((error: unknown) => error)
        .finally(() => {
          stuckSettled = true;
        });
      const small = await pdfCreate({ markdown: '# Отчёт\n\nЁжики и ёлки.' }, context, {
        workers: patient,
      });
      // It did not wait for the pathological document, which is still rendering.
      expect(stuckSettled).toBe(false);
      expect(normalizeSpace(poppler('pdftotext', small.artifacts[0].data))).toMatch(
        /^Отчёт Ёжики и ёлки\. 1 ?\/ ?1$/,
      );
      controller.abort(new Error('enough'));
      expect(((await stuck) as Error).message).toBe('enough');
      const after = await pdfCreate({ markdown: '# After\n\ntext' }, context, {
        workers: patient,
      });
      expect(after.data).toMatchObject({ title: 'After', pages: 1 });
    } finally {
      await patient.close();
    }
  });

  it('stops the render when the caller aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('the caller gave up');
    const pending = pdfCreate(
      { markdown: pathological },
      { ...context, signal: controller.signal },
      { workers: pool },
    ).catch((error: unknown) => error);
    setTimeout(() => controller.abort(reason), 200);
    const started = performance.now();
    expect(await pending).toBe(reason);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
