import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteStorage } from '../storage/drivers/sqlite';
import { embeddedJobQueue } from './embedded-job-queue';
import type { StoredJob } from './job-store';
import { firstWords, killWorkers, startWorker, until } from './testing/worker-process';

const workerScript = fileURLToPath(new URL('./testing/job-queue-worker.ts', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const jobCount = 500;
const leaseMs = 2_000;

const readLog = firstWords;

describe('embeddedJobQueue across processes on one SQLite file', () => {
  const children: ChildProcess[] = [];
  let directory: string | undefined;

  afterEach(() => {
    killWorkers(children);
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  const setUp = async (runAt: Date) => {
    directory = mkdtempSync(join(tmpdir(), 'botwire-jobs-crash-'));
    const path = join(directory, 'jobs.db');
    const storage = sqliteStorage({ path });
    await storage.open();
    const queue = embeddedJobQueue({ storage });
    const ids: string[] = [];
    for (let index = 0; index < jobCount; index++)
      ids.push((await queue.add({ name: 'crash.record', data: { index }, runAt })).id);
    await queue.close();
    await storage.close();
    return {
      path,
      log: join(directory, 'effects.log'),
      occurrences: ids.map((id) => `${id}@${runAt.getTime()}`),
    };
  };

  const worker = (path: string, log: string, concurrency: number) =>
    startWorker(workerScript, [path, log, String(concurrency), String(leaseMs), '2'], {
      cwd: here,
      children,
      timeoutMs: 30_000,
    });

  /** Reads the done marks and the job states from the file, as a third process. */
  const inspect = async (path: string) => {
    const storage = sqliteStorage({ path });
    await storage.open();
    try {
      const done = await storage.kv.list<{ outcome: string }>('jobs', { prefix: 'done:' });
      const jobs = await storage.kv.list<StoredJob>('jobs', { prefix: 'job:' });
      const claims = await storage.kv.list('jobs', { prefix: 'claim:' });
      return {
        done: new Set(done.map((entry) => entry.key.slice('done:'.length))),
        states: jobs.map((entry) => entry.value.state),
        claims: claims.length,
      };
    } finally {
      await storage.close();
    }
  };

  const stop = async (child: ChildProcess) => {
    child.kill('SIGTERM');
    await once(child, 'close');
  };

  it.each([1, 16])(
    'runs every occurrence after a SIGKILL mid-burst, a finished one never again (concurrency %i)',
    { timeout: 120_000 },
    async (concurrency) => {
      const { path, log, occurrences } = await setUp(new Date(Date.now()));
      const first = await worker(path, log, concurrency);
      await until('a third of the burst', () => readLog(log).length >= jobCount / 3);
      first.child.kill('SIGKILL');
      await once(first.child, 'close');
      expect(first.child.signalCode).toBe('SIGKILL');
      const ranBeforeKill = readLog(log);
      expect(ranBeforeKill.length, 'the kill came before the end of the burst').toBeLessThan(
        jobCount,
      );
      const finishedAtKill = (await inspect(path)).done;

      const second = await worker(path, log, concurrency);
      await until('every job to be done', async () => {
        const { states } = await inspect(path);
        return states.length === jobCount && states.every((state) => state === 'done');
      });
      await stop(second.child);

      const ran = readLog(log);
      const counts = new Map<string, number>();
      for (const occurrence of ran) counts.set(occurrence, (counts.get(occurrence) ?? 0) + 1);
      expect(
        occurrences.filter((occurrence) => !counts.has(occurrence)),
        'lost occurrences',
      ).toEqual([]);
      expect([...counts.keys()].filter((occurrence) => !occurrences.includes(occurrence))).toEqual(
        [],
      );
      const twice = [...counts].filter(([, count]) => count > 1).map(([occurrence]) => occurrence);
      expect(
        twice.filter((occurrence) => finishedAtKill.has(occurrence)),
        'finished occurrences run again',
      ).toEqual([]);
      expect(twice.every((occurrence) => counts.get(occurrence) === 2)).toBe(true);
      // Only an occurrence whose effect was written but whose done mark was not: at most one
      // per handler running at the kill.
      expect(twice.every((occurrence) => ranBeforeKill.includes(occurrence))).toBe(true);
      expect(twice.length).toBeLessThanOrEqual(concurrency);
      const after = await inspect(path);
      expect(after.done.size).toBe(jobCount);
      expect(after.claims).toBe(0);
      console.info(
        `crash (concurrency ${concurrency}): ${ranBeforeKill.length} handler calls before the kill, ${finishedAtKill.size} finished; ${twice.length} duplicate(s)`,
      );
    },
  );

  it('shares a burst between two processes, each occurrence exactly once', {
    timeout: 120_000,
  }, async () => {
    const { path, log, occurrences } = await setUp(new Date(Date.now() + 3_000));
    const [a, b] = await Promise.all([worker(path, log, 16), worker(path, log, 16)]);
    await until('every job to be done', async () => {
      const { states } = await inspect(path);
      return states.every((state) => state === 'done');
    });
    await Promise.all([stop(a.child), stop(b.child)]);
    const ran = readLog(log);
    expect(ran).toHaveLength(jobCount);
    expect(new Set(ran)).toEqual(new Set(occurrences));
    const byProcess = new Map<string, number>();
    for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
      const pid = line.split(' ')[1]!;
      byProcess.set(pid, (byProcess.get(pid) ?? 0) + 1);
    }
    console.info(`two processes: ${[...byProcess.values()].join(' + ')} occurrences`);
  });
});
