import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runJobQueueContract } from '../contracts/job-queue-contract';
import { isBotwireError } from '../errors/botwire-error';
import type { JobQueue, JobRun } from '../ports/job-queue';
import type { StorageDriver } from '../ports/storage';
import { memoryStorage } from '../storage/drivers/memory';
import { sqliteStorage } from '../storage/drivers/sqlite';
import { embeddedJobQueue } from './embedded-job-queue';

runJobQueueContract('embedded on memory storage', async () => {
  const storage = memoryStorage();
  await storage.open();
  const options = { storage, pollMs: 200 };
  let queues: JobQueue[] = [];
  const open = () => {
    const queue = embeddedJobQueue(options);
    queues.push(queue);
    return queue;
  };
  return {
    queue: open(),
    second: async () => open(),
    reopen: async () => {
      for (const queue of queues.splice(0)) await queue.close();
      return open();
    },
    close: async () => {
      queues = [];
      await storage.close();
    },
  };
});

runJobQueueContract('embedded on SQLite', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'botwire-jobs-'));
  const path = join(directory, 'jobs.db');
  const storages: StorageDriver[] = [];
  const queues: JobQueue[] = [];
  const open = async () => {
    const storage = sqliteStorage({ path });
    await storage.open();
    storages.push(storage);
    const queue = embeddedJobQueue({ storage, pollMs: 200 });
    queues.push(queue);
    return queue;
  };
  return {
    queue: await open(),
    second: open,
    reopen: async () => {
      for (const queue of queues.splice(0)) await queue.close();
      for (const storage of storages.splice(0)) await storage.close();
      return open();
    },
    close: async () => {
      for (const queue of queues.splice(0)) await queue.close();
      for (const storage of storages.splice(0)) await storage.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(10);
  }
}

describe('embeddedJobQueue', () => {
  let storage: StorageDriver;
  const queues: JobQueue[] = [];
  const open = async (options: { closeGraceMs?: number; leaseMs?: number } = {}) => {
    if (!storage) {
      storage = memoryStorage();
      await storage.open();
    }
    const queue = embeddedJobQueue({ storage, pollMs: 100, ...options });
    queues.push(queue);
    return queue;
  };

  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
    await storage?.close();
    storage = undefined as unknown as StorageDriver;
  });

  it('refuses each bad spec with a message that names the field, storing nothing', async () => {
    const queue = await open();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: '', data: {} }, /name must be a non-empty string/],
      [{ name: 'x'.repeat(201), data: {} }, /name is 201 characters long; it may have at most 200/],
      [{ name: 'bad', data: [] }, /data must be an object/],
      [{ name: 'bad', data: { at: new Date() } }, /data\.at is a Date/],
      [{ name: 'bad', data: { run: () => 1 } }, /data\.run is a function/],
      [{ name: 'bad', data: { n: Number.NaN } }, /data\.n is NaN/],
      [{ name: 'bad', data: circular }, /circular/],
      [
        { name: 'bad', data: { text: 'x'.repeat(70_000) } },
        /bytes of JSON; it may have at most 65536/,
      ],
      [{ name: 'bad', data: {}, runAt: '2030-01-01' }, /runAt must be a valid Date/],
      [
        { name: 'bad', data: {}, repeat: { kind: 'weekly', time: '09:00', weekdays: [1] } },
        /needs a timezone/,
      ],
      [{ name: 'bad', data: {}, timezone: 'Nowhere/Town' }, /Nowhere/],
      [
        { name: 'bad', data: {}, repeat: { kind: 'hourly' }, timezone: 'UTC' },
        /recurrence rule is invalid/,
      ],
      [{ name: 'bad', data: {}, attempts: 101 }, /attempts must be a whole number from 1 to 100/],
      [{ name: 'bad', data: {}, attempts: 1.5 }, /attempts must be a whole number/],
      [{ name: 'bad', data: {}, backoffMs: -1 }, /backoffMs must be a number of milliseconds ≥ 0/],
      [{ name: 'bad', data: {}, dedupeMs: 0 }, /dedupeMs/],
      [{ name: 'bad', data: {}, key: 'k'.repeat(201) }, /key is 201 characters long/],
      [{ name: 'bad', data: {}, owner: '' }, /owner must be a non-empty string/],
    ];
    for (const [spec, message] of cases) {
      const error = await queue.add(spec as never).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isBotwireError(error) && error.code, String(message)).toBe('BOTWIRE_INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(message);
    }
    expect(await storage.kv.list('jobs')).toEqual([]);
    expect(() => queue.process('', async () => {})).toThrow(/job name/);
    queue.process('twice', async () => {});
    expect(() => queue.process('twice', async () => {})).toThrow(/already have a handler/);
    expect(() => embeddedJobQueue({ storage, concurrency: 0 })).toThrow(/concurrency/);
  });

  it('releases an occurrence interrupted by close, uncounted, for the next start', async () => {
    const queue = await open({ closeGraceMs: 50 });
    const signals: AbortSignal[] = [];
    queue.process('long', (run) => {
      signals.push(run.signal);
      return new Promise((_, reject) =>
        run.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    });
    await queue.start();
    const job = await queue.add({ name: 'long', data: {}, attempts: 1 });
    await until(() => signals.length === 1);
    expect((await queue.get(job.id))?.state).toBe('running');
    await queue.close();
    expect(signals[0]!.aborted).toBe(true);
    expect(await queue.get(job.id)).toMatchObject({ state: 'queued', attemptsMade: 0 });
    expect(await storage.kv.list('jobs', { prefix: 'claim:' })).toEqual([]);

    const next = await open();
    const runs: JobRun[] = [];
    next.process('long', async (run) => {
      runs.push(run);
    });
    await next.start();
    await until(async () => (await next.get(job.id))?.state === 'done');
    expect(runs.map((run) => run.attempt)).toEqual([1]);
  });

  it('finishes the bookkeeping without running again when the done mark was written before a kill', async () => {
    const queue = await open();
    const job = await queue.add({ name: 'marked', data: {} });
    // As if a process ran the handler, wrote the done mark and died before the rest.
    const occurrence = `${job.id}@${job.runAt.getTime()}`;
    const record = await storage.kv.get<Record<string, unknown>>('jobs', `job:${job.id}`);
    await storage.kv.set('jobs', `job:${job.id}`, { ...record, state: 'running', attemptsMade: 1 });
    await storage.kv.set('jobs', `done:${occurrence}`, { outcome: 'done', at: Date.now() });
    let calls = 0;
    queue.process('marked', async () => {
      calls += 1;
    });
    await queue.start();
    await until(async () => (await queue.get(job.id))?.state === 'done');
    expect(calls).toBe(0);
    expect(await queue.get(job.id)).toMatchObject({ runs: 1 });
    expect(await storage.kv.list('jobs', { prefix: 'due:' })).toEqual([]);
  });

  it('counts a try whose process died, and fails the occurrence after its last one', async () => {
    const queue = await open();
    const retried = await queue.add({ name: 'died', data: { n: 1 }, attempts: 3 });
    const exhausted = await queue.add({ name: 'died', data: { n: 2 }, attempts: 2 });
    // As if a process died in each job's handler, its claim expired.
    for (const [job, made] of [
      [retried, 1],
      [exhausted, 2],
    ] as const) {
      const record = await storage.kv.get<Record<string, unknown>>('jobs', `job:${job.id}`);
      await storage.kv.set('jobs', `job:${job.id}`, {
        ...record,
        state: 'running',
        attemptsMade: made,
      });
    }
    const runs: JobRun[] = [];
    queue.process('died', async (run) => {
      runs.push(run);
    });
    await queue.start();
    await until(async () => (await queue.get(exhausted.id))?.state === 'failed');
    await until(async () => (await queue.get(retried.id))?.state === 'done');
    expect(runs.map((run) => [run.job.data.n, run.attempt])).toEqual([[1, 2]]);
    expect((await queue.get(exhausted.id))?.lastError).toMatch(
      /process stopped while running it, 2 time/,
    );
  });

  it('waits for a claim held by another process until its lease runs out', async () => {
    const queue = await open();
    const job = await queue.add({ name: 'held', data: {} });
    const occurrence = `${job.id}@${job.runAt.getTime()}`;
    await storage.kv.add(
      'jobs',
      `claim:${occurrence}`,
      { instance: 'other', pid: 1, host: 'x' },
      { ttlMs: 600 },
    );
    const runs: JobRun[] = [];
    queue.process('held', async (run) => {
      runs.push(run);
    });
    const started = Date.now();
    await queue.start();
    await sleep(400);
    expect(runs).toHaveLength(0);
    await until(() => runs.length === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });

  it('runs a recurring job cancelled while its handler runs no more', async () => {
    const queue = await open();
    let release: () => void = () => {};
    const runs: JobRun[] = [];
    queue.process('tick', (run) => {
      runs.push(run);
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await queue.start();
    const job = await queue.add({
      name: 'tick',
      data: {},
      repeat: { kind: 'interval', minutes: 1, anchor: new Date(Date.now() - 59_900).toISOString() },
      timezone: 'UTC',
    });
    await until(() => runs.length === 1);
    expect(await queue.cancel(job.id)).toBe(true);
    release();
    await until(async () => (await queue.get(job.id))?.runs === 1);
    expect(await queue.get(job.id)).toMatchObject({ state: 'cancelled', runs: 1 });
    expect(await storage.kv.list('jobs', { prefix: 'due:' })).toEqual([]);
  });
});
