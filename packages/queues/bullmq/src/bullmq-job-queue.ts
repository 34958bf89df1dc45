import { randomBytes } from 'node:crypto';
import {
  BotwireError,
  type JobQueue,
  type JobRecord,
  type JobRun,
  type JobStats,
  type Logger,
} from '@botwire/core';
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkSpec, firstRunAt, maxBackoffMs, nextRunAt } from './job-spec';
import { JobStore, type StoredJob } from './job-store';
import { LatenessWindow } from './lateness-window';
import { queueFailure, safeRedisUrl } from './queue-errors';
import { connectRedis, loadQueueModules, type QueueModules } from './redis-client';

/** Options of {@link bullmqJobQueue}. */
export interface BullmqJobQueueOptions {
  /**
   * The Redis server (default: env `REDIS_URL`, else `redis://127.0.0.1:6379`). Its user and
   * password never appear in logs or errors.
   */
  url?: string;
  /**
   * The prefix of every Redis key (default `botwire`): records under `<prefix>:job:*`, BullMQ's
   * queues under `<prefix>:bull:*`. Two bots on one Redis need two prefixes; on a Redis Cluster use
   * a hash tag (`{botwire}`).
   */
  prefix?: string;
  /** An ioredis client to share (`url` is then only used in messages); it is left open on close. */
  connection?: Redis;
  /** Occurrences of one job name this process runs at once (default 5). */
  concurrency?: number;
  log?: Logger;
  /**
   * How long a running occurrence stays locked without renewal (default 30000 ms): a process that
   * dies mid-handler gives its occurrence to another process after about twice this.
   */
  lockDurationMs?: number;
  /** How long {@link JobQueue.close} waits for running handlers before aborting them (default 10000 ms). */
  closeGraceMs?: number;
  /**
   * A run that was due before this queue started and starts more than this late is `caughtUp`
   * (default 1000 ms).
   */
  catchUpToleranceMs?: number;
  /** How long finished (done, failed, cancelled) records are kept (default 7 days). */
  keepFinishedMs?: number;
}

interface OccurrenceData {
  id: string;
  due: number;
}

type Handler = (run: JobRun) => Promise<void>;

const isActive = (state: JobRecord['state']) =>
  state === 'queued' || state === 'running' || state === 'retrying';
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** Whether `promise` settled within `ms` (the timer is cleared either way). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
const newJobId = () => `job_${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
/** BullMQ's id of an occurrence: deterministic, so adding it twice is a no-op (no `:` allowed). */
const occurrenceJobId = (id: string, due: number) => `${id}@${due}`;
/** BullMQ queue names may not hold `:`. */
const queueNameOf = (name: string) => encodeURIComponent(name);

/**
 * A job queue on Redis through BullMQ (`bullmq` and `ioredis`, loaded on first use), for bots
 * that run in several processes. Each job's record (spec, state, runs, attempts, last error) is a
 * Redis hash of ours, changed only by Lua scripts; each occurrence is a delayed BullMQ job with
 * the deterministic id `<job id>@<due ms>`, in one BullMQ queue per job name. Recurring jobs
 * follow Botwire's rules (`nextOccurrences`: wall clock in a zone, DST, skipped days), not
 * BullMQ's cron: when an occurrence finishes, the next one after now is added. An occurrence
 * only runs while it is its job's current one, so a duplicate (two processes, a retry after a
 * crash) finishes without calling the handler. Retries are BullMQ's (doubling backoff, at most
 * 5 minutes); a process killed mid-handler leaves the occurrence to BullMQ's stalled-job
 * recovery, which runs it again (`run.attempt` counts the lost try). Failures of Redis are
 * BOTWIRE_QUEUE_FAILED.
 *
 * @example
 * const queue = bullmqJobQueue({ url: process.env.REDIS_URL });
 * queue.process('reminders.fire', async (run) => deliver(run.job.data));
 * await queue.start();
 */
export function bullmqJobQueue(options: BullmqJobQueueOptions = {}): JobQueue {
  const url = options.url ?? (process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  const prefix = options.prefix ?? 'botwire';
  const concurrency = options.concurrency ?? 5;
  const lockDurationMs = options.lockDurationMs ?? 30_000;
  const closeGraceMs = options.closeGraceMs ?? 10_000;
  const toleranceMs = options.catchUpToleranceMs ?? 1000;
  const keepFinishedMs = options.keepFinishedMs ?? 7 * 86_400_000;
  const log = options.log;
  const invalid = (message: string) => new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message });
  if (!/^[A-Za-z0-9_{}.-]+$/.test(prefix)) {
    throw invalid(`prefix may hold only letters, digits, _ - . { } (got "${prefix}").`);
  }
  if (!options.connection && !/^rediss?:\/\//.test(url)) {
    throw invalid(
      `The Redis url must start with redis:// or rediss:// (got "${safeRedisUrl(url)}").`,
    );
  }
  for (const [field, value] of Object.entries({ concurrency, lockDurationMs, closeGraceMs })) {
    if (!Number.isInteger(value) || value < 1) {
      throw invalid(`${field} must be a whole number of at least 1 (got ${value}).`);
    }
  }
  const bullPrefix = `${prefix}:bull`;

  let connecting: Promise<{ modules: QueueModules; redis: Redis; store: JobStore }> | undefined;
  let workerConnection: Redis | undefined;
  const handlers = new Map<string, Handler>();
  const workers = new Map<string, Worker>();
  const queues = new Map<string, Queue>();
  const running = new Set<AbortController>();
  const lateness = new LatenessWindow();
  let startedAt: number | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;

  async function open() {
    const modules = await loadQueueModules();
    const redis = options.connection ?? (await connectRedis(modules, url, log));
    return { modules, redis, store: new JobStore(redis, prefix) };
  }

  /** Refuses calls after close(). */
  function checkOpen() {
    if (closing) {
      throw new BotwireError('BOTWIRE_QUEUE_FAILED', {
        message: 'The job queue was used after close().',
      });
    }
  }

  /** The connection and store, opened on first use; a failed open is tried again next time. */
  function connect() {
    connecting ??= open().catch((error: unknown) => {
      connecting = undefined;
      throw error;
    });
    return connecting;
  }

  /** Runs one Redis step; failures become BOTWIRE_QUEUE_FAILED. */
  async function call<T>(action: string, run: (store: JobStore) => Promise<T>): Promise<T> {
    const { store } = await connect();
    try {
      return await run(store);
    } catch (error) {
      throw queueFailure(error, { url, action });
    }
  }

  async function queueFor(name: string): Promise<Queue> {
    const { modules, redis } = await connect();
    let queue = queues.get(name);
    if (!queue) {
      queue = new modules.bullmq.Queue(queueNameOf(name), {
        connection: redis,
        prefix: bullPrefix,
      });
      queue.on('error', (error) => log?.warn('BullMQ queue error', { error: messageOf(error) }));
      queues.set(name, queue);
    }
    return queue;
  }

  /** Puts an occurrence into BullMQ; a no-op when it is there already. */
  async function enqueue(stored: StoredJob, due: number): Promise<void> {
    const { record, backoffMs } = stored;
    const queue = await queueFor(record.name);
    const data: OccurrenceData = { id: record.id, due };
    await queue.add(record.name, data, {
      jobId: occurrenceJobId(record.id, due),
      delay: Math.max(0, due - Date.now()),
      attempts: record.attempts,
      backoff: { type: 'botwire', delay: backoffMs },
      removeOnComplete: { age: 86_400, count: 1000 },
      removeOnFail: { age: 7 * 86_400, count: 1000 },
    });
  }

  /** Ends an occurrence in the record and, for a recurring job, enqueues the next one after now. */
  async function finishOccurrence(
    stored: StoredJob,
    due: number,
    outcome: 'done' | 'failed',
    error?: string,
  ): Promise<void> {
    const { record } = stored;
    const next = record.repeat
      ? nextRunAt(record.repeat, record.timezone as string, Math.max(Date.now(), due))
      : undefined;
    const result = await call(`finish ${record.id}`, (store) =>
      store.finish(record.id, due, outcome, error, next),
    );
    if (result === 'next' && next !== undefined) await enqueue(stored, next);
  }

  /** Makes sure an active job's current occurrence is in BullMQ. */
  async function heal(id: string): Promise<void> {
    const stored = await call(`get ${id}`, (store) => store.get(id));
    if (stored && isActive(stored.record.state))
      await enqueue(stored, stored.record.runAt.getTime());
  }

  async function processOccurrence(job: Job, token: string | undefined): Promise<void> {
    const {
      modules: { bullmq },
    } = await connect();
    const { id, due } = job.data as OccurrenceData;
    const attempt = Math.max(1, job.attemptsStarted);
    const begun = await call(`start ${id}`, (store) => store.begin(id, due, attempt));
    if (begun.status === 'stale') return heal(id);
    if (begun.status !== 'run') return;
    const stored = begun.job;
    const { record } = stored;
    if (attempt > record.attempts) {
      // Every try was started; the last one never finished (its process died or closed).
      const message = `The occurrence was interrupted (its process stopped) in its last try, ${record.attempts} of ${record.attempts}.`;
      await finishOccurrence(stored, due, 'failed', message);
      throw new bullmq.UnrecoverableError(message);
    }
    const handler = handlers.get(record.name);
    if (!handler) throw new Error(`No handler for job "${record.name}" in this process.`);
    const lateMs = Math.max(0, Date.now() - due);
    lateness.record(lateMs);
    const controller = new AbortController();
    running.add(controller);
    try {
      await handler({
        job: record,
        occurrenceId: `${id}:${due}`,
        due: new Date(due),
        lateMs,
        caughtUp: startedAt !== undefined && due < startedAt && lateMs > toleranceMs,
        attempt,
        signal: controller.signal,
      });
    } catch (error) {
      const message = messageOf(error);
      if (controller.signal.aborted) {
        // Interrupted by close(): run it again later, as if the process had died.
        await call(`retry ${id}`, (store) => store.retry(id, due, message));
        await job.moveToDelayed(Date.now(), token);
        throw new bullmq.DelayedError();
      }
      if (attempt < record.attempts) {
        await call(`retry ${id}`, (store) => store.retry(id, due, message));
        log?.debug('A job failed and will be retried', { job: id, name: record.name, attempt });
        throw error;
      }
      log?.warn('A job failed after its last attempt', {
        job: id,
        name: record.name,
        error: message,
      });
      await finishOccurrence(stored, due, 'failed', message);
      throw new bullmq.UnrecoverableError(message);
    } finally {
      running.delete(controller);
    }
    await finishOccurrence(stored, due, 'done');
  }

  async function startWorker(name: string): Promise<void> {
    if (workers.has(name)) return;
    const { modules, redis } = await connect();
    // BullMQ's blocking connections must wait for Redis forever; they are duplicated from this.
    workerConnection ??= redis.duplicate({ maxRetriesPerRequest: null, lazyConnect: true });
    const worker = new modules.bullmq.Worker(queueNameOf(name), processOccurrence, {
      connection: workerConnection,
      prefix: bullPrefix,
      concurrency,
      lockDuration: lockDurationMs,
      stalledInterval: lockDurationMs,
      // Our own limit (`attempts`) ends an occurrence whose process keeps dying.
      maxStalledCount: 1000,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, _error?: Error, job?: unknown) => {
          const delay = (job as { opts?: { backoff?: { delay?: number } } } | undefined)?.opts
            ?.backoff?.delay;
          return Math.min((delay ?? 1000) * 2 ** Math.max(0, attemptsMade - 1), maxBackoffMs);
        },
      },
    });
    worker.on('error', (error) =>
      log?.warn('BullMQ worker error', {
        name,
        error: queueFailure(error, { url, action: 'work' }).message,
      }),
    );
    workers.set(name, worker);
    try {
      await worker.waitUntilReady();
    } catch (error) {
      throw queueFailure(error, { url, action: `start the worker of ${name}` });
    }
  }

  /**
   * Enqueues the current occurrence of every active job that BullMQ lacks (a process that died
   * between storing a record and enqueueing it leaves one out), a batch at a time.
   */
  async function healAll(): Promise<void> {
    const { redis, store } = await connect();
    for (const state of ['queued', 'retrying'] as const) {
      const ids = await store.idsInState(state);
      for (let start = 0; start < ids.length; start += 200) {
        const jobs = await store.getMany(ids.slice(start, start + 200));
        const pipeline = redis.pipeline();
        for (const { record } of jobs) {
          const queue = await queueFor(record.name);
          pipeline.exists(queue.toKey(occurrenceJobId(record.id, record.runAt.getTime())));
        }
        const results = (await pipeline.exec()) ?? [];
        for (const [index, stored] of jobs.entries()) {
          const [error, exists] = results[index] ?? [null, 1];
          if (error) throw error;
          if (Number(exists) === 0 && isActive(stored.record.state)) {
            log?.info('Enqueued a job that BullMQ lacked', { job: stored.record.id });
            await enqueue(stored, stored.record.runAt.getTime());
          }
        }
      }
    }
  }

  async function prune(): Promise<void> {
    const removed = await call('prune finished jobs', (store) =>
      store.prune(Date.now() - keepFinishedMs),
    );
    if (removed > 0) log?.debug('Removed finished jobs', { count: removed });
  }

  return {
    name: 'bullmq',

    async start() {
      checkOpen();
      await connect();
      if (startedAt !== undefined) return;
      startedAt = Date.now();
      try {
        await healAll();
      } catch (error) {
        throw queueFailure(error, { url, action: 'check the pending jobs' });
      }
      await prune();
      pruneTimer = setInterval(() => {
        prune().catch((error: unknown) =>
          log?.warn('Pruning jobs failed', { error: messageOf(error) }),
        );
      }, 3_600_000);
      pruneTimer.unref();
      for (const name of handlers.keys()) await startWorker(name);
    },

    async add(spec) {
      checkOpen();
      checkSpec(spec);
      const now = Date.now();
      const runAt = firstRunAt(spec, now);
      const record: JobRecord = {
        id: newJobId(),
        name: spec.name,
        data: spec.data,
        state: 'queued',
        runAt: new Date(runAt),
        attempts: spec.attempts ?? 3,
        attemptsMade: 0,
        runs: 0,
        createdAt: new Date(now),
        updatedAt: new Date(now),
        ...(spec.repeat ? { repeat: spec.repeat, timezone: spec.timezone } : {}),
        ...(!spec.repeat && spec.timezone ? { timezone: spec.timezone } : {}),
        ...(spec.key ? { key: spec.key } : {}),
        ...(spec.owner ? { owner: spec.owner } : {}),
      };
      const stored: StoredJob = { record, backoffMs: spec.backoffMs ?? 1000 };
      const existing = await call(`add ${spec.name}`, (store) =>
        store.add(record, stored.backoffMs, spec.dedupeMs),
      );
      if (existing) return existing.record;
      try {
        await enqueue(stored, runAt);
      } catch (error) {
        throw queueFailure(error, { url, action: `enqueue ${spec.name}` });
      }
      return record;
    },

    process(name, handler) {
      if (typeof name !== 'string' || name.trim() === '')
        throw invalid('process() needs a job name.');
      if (handlers.has(name)) throw invalid(`A handler for "${name}" is registered already.`);
      handlers.set(name, handler);
      if (startedAt !== undefined && !closing) {
        startWorker(name).catch((error: unknown) =>
          log?.error('The worker for a job name could not start', {
            name,
            error: messageOf(error),
          }),
        );
      }
    },

    async get(id) {
      checkOpen();
      return (await call(`get ${id}`, (store) => store.get(id)))?.record;
    },

    async cancel(id) {
      checkOpen();
      const due = await call(`cancel ${id}`, (store) => store.cancel(id));
      if (due === undefined) return false;
      const stored = await call(`get ${id}`, (store) => store.get(id));
      if (stored) {
        try {
          // An active (locked) occurrence stays; it finishes without a next one.
          await (await queueFor(stored.record.name)).remove(occurrenceJobId(id, due));
        } catch (error) {
          log?.debug('The cancelled occurrence could not be removed', {
            job: id,
            error: messageOf(error),
          });
        }
      }
      return true;
    },

    async list(filter = {}) {
      checkOpen();
      return call('list jobs', (store) => store.list(filter));
    },

    async ping() {
      checkOpen();
      const { redis } = await connect();
      const started = performance.now();
      try {
        await redis.ping();
      } catch (error) {
        throw queueFailure(error, { url, action: 'ping' });
      }
      return performance.now() - started;
    },

    async stats(): Promise<JobStats> {
      checkOpen();
      const counts = await call('count jobs', (store) => store.counts());
      return {
        queued: counts.queued,
        running: counts.running,
        retrying: counts.retrying,
        done: counts.done,
        failed: counts.failed,
        lateness: lateness.summary(),
      };
    },

    close() {
      closing ??= (async () => {
        if (pruneTimer) clearInterval(pruneTimer);
        const stopping = Promise.all([...workers.values()].map((worker) => worker.close()));
        if (!(await within(stopping, closeGraceMs))) {
          log?.warn('Job handlers still ran after the grace period; aborting them', {
            count: running.size,
          });
          for (const controller of running)
            controller.abort(
              new BotwireError('BOTWIRE_QUEUE_FAILED', { message: 'The job queue closed.' }),
            );
          if (!(await within(stopping, 2000)))
            await Promise.all([...workers.values()].map((worker) => worker.close(true)));
        }
        await Promise.all([...queues.values()].map((queue) => queue.close()));
        workerConnection?.disconnect();
        const opened = await connecting?.catch(() => undefined);
        if (opened && !options.connection)
          await opened.redis.quit().catch(() => opened.redis.disconnect());
      })();
      return closing;
    },
  };
}
