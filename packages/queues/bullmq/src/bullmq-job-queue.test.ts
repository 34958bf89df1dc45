import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isBotwireError, type JobQueue, type JobRun, nextOccurrences } from '@botwire/core';
import { runJobQueueContract } from '@botwire/core/contract-suites';
import { freePort, requireTool } from '@botwire/core/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bullmqJobQueue } from './bullmq-job-queue';
import { type RedisServer, startRedisServer } from './testing/redis-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(25);
  }
}

let redis: RedisServer;
let runs = 0;
/** A fresh key prefix per test, so tests never see each other's jobs. */
const freshPrefix = () => `test${process.pid}x${++runs}`;

// Without redis-server the tests skip, saying how to install it; under CI=true they fail instead.
const redisServer = requireTool('redis-server', 'apt-get install -y redis-server');

describe.skipIf(!redisServer.available)('with a real redis-server', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  runJobQueueContract('bullmq', async () => {
    const prefix = freshPrefix();
    const opened: JobQueue[] = [];
    const open = () => {
      const queue = bullmqJobQueue({ url: redis.url, prefix, lockDurationMs: 5000 });
      opened.push(queue);
      return queue;
    };
    return {
      queue: open(),
      second: async () => open(),
      reopen: async () => {
        for (const queue of opened.splice(0)) await queue.close();
        return open();
      },
    };
  });

  describe('bullmqJobQueue', () => {
    const opened: JobQueue[] = [];
    let child: ChildProcess | undefined;
    const open = (prefix: string, options: Parameters<typeof bullmqJobQueue>[0] = {}) => {
      const queue = bullmqJobQueue({ url: redis.url, prefix, ...options });
      opened.push(queue);
      return queue;
    };
    afterEach(async () => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      child = undefined;
      for (const queue of opened.splice(0)) await queue.close();
    });

    it('runs 200 due jobs exactly once between two processes', { timeout: 60_000 }, async () => {
      const prefix = freshPrefix();
      // Two queues with their own connections, as two bot processes would open them.
      const first = open(prefix);
      const second = open(prefix);
      const seen = new Map<string, number>();
      const byQueue = [0, 0];
      [first, second].forEach((queue, index) => {
        queue.process('test.many', async (run) => {
          seen.set(run.occurrenceId, (seen.get(run.occurrenceId) ?? 0) + 1);
          byQueue[index]! += 1;
          await sleep(2);
        });
      });
      const runAt = new Date(Date.now() + 500);
      const ids: string[] = [];
      for (let index = 0; index < 200; index++) {
        ids.push((await first.add({ name: 'test.many', data: { index }, runAt })).id);
      }
      await Promise.all([first.start(), second.start()]);
      await until(() => seen.size === 200);
      await sleep(500);
      expect(seen.size).toBe(200);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
      expect(byQueue[0]! + byQueue[1]!).toBe(200);
      expect(byQueue[0]).toBeGreaterThan(0);
      expect(byQueue[1]).toBeGreaterThan(0);
      await until(async () => (await first.stats()).done === 200);
      const done = await second.list({ name: 'test.many', states: ['done'] });
      expect(done).toHaveLength(200);
      expect(done.every((job) => job.runs === 1)).toBe(true);
      expect(new Set(done.map((job) => job.id))).toEqual(new Set(ids));
    });

    it('runs only the current occurrence when stale copies of a recurring job are in BullMQ', async () => {
      const prefix = freshPrefix();
      const queue = open(prefix);
      const seen: JobRun[] = [];
      queue.process('test.copies', async (run) => {
        seen.push(run);
      });
      const first = Date.now() + 400;
      const job = await queue.add({
        name: 'test.copies',
        data: {},
        repeat: { kind: 'interval', minutes: 1, anchor: new Date(first - 60_000).toISOString() },
        timezone: 'UTC',
      });
      // Overdue copies of the same job, as a crash between "finish" and "enqueue" could leave.
      const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      const bull = new Queue('test.copies', {
        connection,
        prefix: `${prefix}:bull`,
      });
      for (const due of [first - 3000, first - 2000, first - 1000]) {
        await bull.add('test.copies', { id: job.id, due }, { jobId: `${job.id}@${due}` });
      }
      await queue.start();
      await until(async () => (await queue.get(job.id))?.runs === 1);
      await sleep(300);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.due.getTime()).toBe(first);
      expect((await queue.get(job.id))?.runAt.getTime()).toBe(first + 60_000);
      await bull.close();
      await connection.quit();
    });

    it('enqueues, on start, an active job whose occurrence BullMQ lost', async () => {
      const prefix = freshPrefix();
      const queue = open(prefix);
      const seen: JobRun[] = [];
      queue.process('test.lost', async (run) => {
        seen.push(run);
      });
      const job = await queue.add({
        name: 'test.lost',
        data: {},
        runAt: new Date(Date.now() + 300),
      });
      const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      const bull = new Queue('test.lost', { connection, prefix: `${prefix}:bull` });
      expect(await bull.remove(`${job.id}@${job.runAt.getTime()}`)).toBe(1);
      await bull.close();
      await connection.quit();
      await queue.start();
      await until(() => seen.length === 1);
      expect(seen[0]!.job.id).toBe(job.id);
      await until(async () => (await queue.get(job.id))?.state === 'done');
    });

    it('aborts handlers still running after the grace period on close, and runs them again later', async () => {
      const prefix = freshPrefix();
      const queue = open(prefix, { closeGraceMs: 300 });
      let signal: AbortSignal | undefined;
      queue.process('test.slow', async (run) => {
        signal = run.signal;
        await new Promise((_, reject) => {
          run.signal.addEventListener('abort', () => reject(new Error('aborted')));
        });
      });
      await queue.start();
      const job = await queue.add({ name: 'test.slow', data: {} });
      await until(() => signal !== undefined);
      const closing = Date.now();
      await queue.close();
      expect(signal?.aborted).toBe(true);
      expect(Date.now() - closing).toBeLessThan(5000);
      expect((await open(prefix).get(job.id))?.state).toBe('retrying');
      const reopened = open(prefix);
      const attempts: number[] = [];
      reopened.process('test.slow', async (run) => {
        attempts.push(run.attempt);
      });
      await reopened.start();
      await until(async () => (await reopened.get(job.id))?.state === 'done');
      expect(attempts).toEqual([2]);
    });

    it('de-duplicates by key only within dedupeMs of the first job when that is set', async () => {
      const queue = open(freshPrefix());
      const runAt = new Date(Date.now() + 60_000);
      const spec = { name: 'test.keyed', data: {}, runAt, key: 'k', dedupeMs: 300 };
      const first = await queue.add(spec);
      expect((await queue.add(spec)).id).toBe(first.id);
      await sleep(400);
      const later = await queue.add(spec);
      expect(later.id).not.toBe(first.id);
      expect((await queue.list({ key: 'k' })).map((job) => job.id)).toEqual([first.id, later.id]);
      // Cancelling the first does not release the key of the second.
      await queue.cancel(first.id);
      expect((await queue.add(spec)).id).toBe(later.id);
    });

    it('schedules recurring jobs by the wall clock of their zone', async () => {
      const queue = open(freshPrefix());
      const repeat = { kind: 'weekly' as const, time: '09:00', weekdays: [1, 2, 3, 4, 5, 6, 7] };
      const job = await queue.add({
        name: 'test.daily',
        data: {},
        repeat,
        timezone: 'Europe/Berlin',
      });
      const [expected] = nextOccurrences(repeat, 'Europe/Berlin', job.createdAt, 1);
      expect(job.runAt.getTime()).toBe(expected!.getTime());
      expect((await queue.get(job.id))?.runAt.getTime()).toBe(expected!.getTime());
    });

    it('runs an occurrence again, as attempt 2, when its process is killed mid-handler', {
      timeout: 60_000,
    }, async () => {
      const prefix = freshPrefix();
      const survivor = open(prefix, { lockDurationMs: 1000 });
      const runsHere: JobRun[] = [];
      survivor.process('test.hang', async (run) => {
        runsHere.push(run);
      });
      const job = await survivor.add({ name: 'test.hang', data: {}, attempts: 3 });

      const script = fileURLToPath(new URL('./fixtures/hanging-worker.ts', import.meta.url));
      const repository = fileURLToPath(new URL('../../../../', import.meta.url));
      const worker = spawn(process.execPath, ['--import', 'tsx', script, redis.url, prefix], {
        cwd: repository,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = worker;
      let output = '';
      worker.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      worker.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      await until(() => output.includes('started '), 30_000).catch(() => {
        throw new Error(`The worker process did not start the job:\n${output}`);
      });
      const [, occurrenceId, attempt] = /started (\S+) (\d+)/.exec(output) ?? [];
      expect(attempt).toBe('1');
      expect((await survivor.get(job.id))?.state).toBe('running');
      worker.kill('SIGKILL');

      await survivor.start();
      await until(() => runsHere.length === 1, 20_000);
      expect(runsHere[0]!.occurrenceId).toBe(occurrenceId);
      expect(runsHere[0]!.attempt).toBe(2);
      await until(async () => (await survivor.get(job.id))?.state === 'done');
      expect(await survivor.get(job.id)).toMatchObject({ state: 'done', runs: 1, attemptsMade: 2 });
    });

    it('fails with BOTWIRE_QUEUE_FAILED, the address and no password when Redis is down', async () => {
      const port = await freePort();
      const queue = bullmqJobQueue({ url: `redis://bot:s3cret-word@127.0.0.1:${port}` });
      opened.push(queue);
      for (const attempt of [
        () => queue.add({ name: 'test.down', data: {} }),
        () => queue.start(),
        () => queue.list(),
      ]) {
        const error = await attempt().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(isBotwireError(error) && error.code).toBe('BOTWIRE_QUEUE_FAILED');
        const failure = error as Error & { hint?: string };
        expect(failure.message).toContain(`redis://127.0.0.1:${port}`);
        expect(failure.message).toContain('could not be reached');
        expect(failure.hint).toContain('REDIS_URL');
        expect(`${failure.message} ${failure.hint} ${JSON.stringify(failure)}`).not.toContain(
          's3cret',
        );
      }
    });

    it('fails with BOTWIRE_QUEUE_FAILED and no password when Redis refuses the password', async () => {
      const guarded = await startRedisServer({ password: 'the-right-one' });
      try {
        const queue = bullmqJobQueue({ url: `redis://:wrong-secret@127.0.0.1:${guarded.port}` });
        opened.push(queue);
        const error = await queue.add({ name: 'test.auth', data: {} }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(isBotwireError(error) && error.code).toBe('BOTWIRE_QUEUE_FAILED');
        expect((error as Error).message).toContain('refused the credentials');
        expect((error as Error).message).not.toContain('wrong-secret');
      } finally {
        await guarded.stop();
      }
    });
  });
});
