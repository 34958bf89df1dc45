import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { type Logger, silentLogger } from '../logging/logger';
import type { JobFilter, JobQueue, JobRecord, JobRun, JobSpec, JobStats } from '../ports/job-queue';
import type { StorageDriver } from '../ports/storage';
import { invalidArgument } from '../storage/check-storage-arguments';
import { newId } from '../storage/ids';
import { type Clock, type ClockTimer, systemClock } from './job-clock';
import { takeKey } from './job-dedupe';
import { DueIndex, type KnownDue } from './job-due-index';
import { JobLateness } from './job-lateness';
import { type Flight, flyOccurrence, type OccurrenceContext } from './job-occurrence';
import { checkJobSpec, newStoredJob } from './job-spec-check';
import {
  activeStates,
  cancelKey,
  claimKey,
  type DueEntry,
  dueKey,
  duePrefix,
  dueTimeOf,
  jobKey,
  jobPrefix,
  occurrenceOf,
  type StoredJob,
  toJobRecord,
} from './job-store';
import { sweepJobs } from './job-sweep';

/** Options for {@link embeddedJobQueue}. */
export interface EmbeddedJobQueueOptions {
  /** The bot's storage, opened by its owner; the queue keeps its jobs in `storage.kv` and never closes it. */
  storage: StorageDriver;
  /** The key-value namespace of the jobs. Default `jobs`; queues with other namespaces share nothing. */
  namespace?: string;
  /** How often it looks for due jobs it was not told about (added by another process), in ms. Default 1000. */
  pollMs?: number;
  /** How long a claim on an occurrence lasts without renewal (renewed every third of it while the handler runs). Default 30 s. */
  leaseMs?: number;
  /** Handlers running at once in this process. Default 16. */
  concurrency?: number;
  /** How long `close()` waits for running handlers before it aborts their signals. Default 5 s. */
  closeGraceMs?: number;
  /** Time and timers; default the system clock. Tests pass `manualClock()` from `@botwire/core/testing`. */
  clock?: Clock;
  log?: Logger;
}

/** How long finished jobs (and the done marks of occurrences) are kept. */
export const jobRetentionMs = 7 * 86_400_000;
const sweepEveryMs = 3_600_000;
/** Due entries listed beyond those this process already knows to be busy. */
const listBase = 500;
/** The most due entries kept in memory, and how far ahead: later ones are found by polling. */
const knownCapacity = 100_000;
const horizonMs = 3_600_000;
/** How long after `close()` aborted the handlers it still waits for them. */
const abortWaitMs = 1_000;

function checkPositive(value: unknown, what: string, integer = false): void {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  )
    throw invalidArgument(
      `${what} must be a positive ${integer ? 'whole number' : 'number'}; got ${String(value)}.`,
    );
}

/**
 * The default job queue and scheduler: jobs live in the bot's storage (`storage.kv`, so any
 * driver will do) and are timed in this process; several processes may share one storage
 * (a SQLite file, a database), and each occurrence still runs once. One timer waits for the
 * earliest due job this process knows of, and a poll every `pollMs` finds jobs that other
 * processes added.
 *
 * An occurrence is claimed with a lease in storage (renewed while its handler runs) and
 * marked done after it; a process that dies mid-handler leaves its occurrence to run again
 * once the lease expires (`run.attempt` counts the lost try; after `attempts` lost tries the
 * occurrence fails). A handler that throws is retried after `backoffMs`, doubling, at most
 * 5 minutes apart, up to `attempts` tries (state `retrying` in between).
 *
 * Catch-up at start: a one-off missed while no process ran fires at start, with `caughtUp`
 * and its lateness; a recurring job whose occurrences were missed fires only the latest one
 * (`caughtUp`), then follows its rule. (`caughtUp` is true for an occurrence due before this
 * queue's `start()`, or the latest of several passed over.) Finished jobs are kept for 7 days.
 * `stats()` counts states by reading every job record: its cost grows with the jobs kept.
 * `close()` waits for running handlers up to `closeGraceMs`, then aborts their signals; an
 * occurrence interrupted that way is released for the next start (or another process), and
 * its try is not counted.
 *
 * @example
 * const queue = embeddedJobQueue({ storage });
 * queue.process('reminders.fire', async (run) => send(run.job.data));
 * await queue.start();
 * await queue.add({ name: 'reminders.fire', data: { text: 'Stretch' }, runAt: inAnHour });
 */
export function embeddedJobQueue(options: EmbeddedJobQueueOptions): JobQueue {
  const storage = options?.storage;
  if (!storage?.kv) throw invalidArgument('embeddedJobQueue needs the storage option.');
  const kv = storage.kv;
  const namespace = options.namespace ?? 'jobs';
  if (typeof namespace !== 'string' || namespace === '')
    throw invalidArgument('namespace must be a non-empty string.');
  const pollMs = options.pollMs ?? 1_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const concurrency = options.concurrency ?? 16;
  const closeGraceMs = options.closeGraceMs ?? 5_000;
  checkPositive(pollMs, 'pollMs');
  checkPositive(leaseMs, 'leaseMs');
  checkPositive(concurrency, 'concurrency', true);
  if (typeof closeGraceMs !== 'number' || !(closeGraceMs >= 0))
    throw invalidArgument(`closeGraceMs must be a number ≥ 0; got ${String(closeGraceMs)}.`);
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;

  const handlers = new Map<string, (run: JobRun) => Promise<void>>();
  const flights = new Map<string, Flight & { done: Promise<void> }>();
  const lateness = new JobLateness();
  /** Due entries another process held when this one tried them, and until when to leave them. */
  const blocked = new Map<string, number>();
  const known = new DueIndex(knownCapacity);
  /** True when the last listing was full of due entries: more may wait beyond it. */
  let listWasFull = false;
  let unhandled = 0;
  let started = false;
  let closing = false;
  let startedAt = Number.POSITIVE_INFINITY;
  let polling = false;
  let pollAgain = false;
  let nextPollAt = Number.POSITIVE_INFINITY;
  let timer: ClockTimer | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let renewTimer: ClockTimer | undefined;
  let sweepTimer: ClockTimer | undefined;

  const context: OccurrenceContext = {
    kv,
    namespace,
    clock,
    lease: { instance: randomUUID(), pid: process.pid, host: hostname() },
    leaseMs,
    doneTtlMs: jobRetentionMs,
    orphanGraceMs: 60_000,
    handlers,
    log,
    startedAt: () => startedAt,
    closing: () => closing,
    recordLateness: (ms) => lateness.record(ms),
    scheduled: (entry) => remember(entry),
  };

  /** Keeps a due entry this process wrote, when it is due within the horizon; starts or times it. */
  const remember = (entry: KnownDue): void => {
    if (entry.at > clock.now() + horizonMs) return;
    if (known.add(entry)) pump();
  };

  /** Sets the one timer for the earliest known due entry or the next poll, whichever is first. */
  const setTimer = (): void => {
    if (closing || !started) return;
    // While every slot is taken, the end of a flight starts the next entry: no timer for it.
    const knownAt = flights.size >= concurrency ? Number.POSITIVE_INFINITY : known.earliest();
    const at = Math.min(knownAt, nextPollAt);
    if (at === timerAt && timer !== undefined) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    timerAt = at;
    if (at === Number.POSITIVE_INFINITY) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      if (clock.now() >= nextPollAt) void poll();
      else pump();
    }, at - clock.now());
  };

  const launch = (item: KnownDue): void => {
    const flight = {
      key: item.key,
      at: item.at,
      entry: item.value,
      occurrence: occurrenceOf(item.value.id, item.value.due),
      claimed: false,
      controller: new AbortController(),
    } as Flight & { done: Promise<void> };
    flights.set(item.key, flight);
    if (renewTimer === undefined) renewTimer = clock.setTimeout(renew, leaseMs / 3);
    flight.done = flyOccurrence(context, flight)
      .then(
        (outcome) => {
          if (outcome === 'lost' || outcome === 'pending')
            blocked.set(item.key, clock.now() + Math.min(pollMs, leaseMs));
        },
        (error: unknown) => {
          log.error('job-queue-occurrence-failed', { occurrence: flight.occurrence, error });
          blocked.set(item.key, clock.now() + Math.min(pollMs, leaseMs));
        },
      )
      .finally(() => {
        flights.delete(item.key);
        pump();
      });
  };

  /**
   * Starts the known due entries while there is room, lists storage again when a full listing
   * ran out (more may be due beyond it), and sets the timer.
   */
  function pump(): void {
    if (closing || !started) return;
    const now = clock.now();
    while (flights.size < concurrency) {
      const item = known.takeDue(now);
      if (!item) break;
      const until = blocked.get(item.key);
      if (flights.has(item.key) || !handlers.has(item.value.name)) continue;
      if (until !== undefined && until > now) continue;
      launch(item);
    }
    if (listWasFull && flights.size < concurrency && known.earliest() > now) void poll();
    setTimer();
  }

  /** Lists the earliest due entries in storage (other processes' too) into the known ones. */
  async function poll(): Promise<void> {
    if (closing || !started) return;
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    try {
      do {
        pollAgain = false;
        const limit = listBase + flights.size + blocked.size + unhandled;
        const entries = await kv.list<DueEntry>(namespace, { prefix: duePrefix, limit });
        const now = clock.now();
        nextPollAt = now + pollMs;
        unhandled = 0;
        for (const [key, until] of blocked) if (until <= now) blocked.delete(key);
        let lastAt = Number.POSITIVE_INFINITY;
        for (const { key, value } of entries) {
          lastAt = dueTimeOf(key);
          if (flights.has(key) || blocked.has(key)) continue;
          if (!handlers.has(value.name)) {
            if (lastAt <= now) unhandled += 1;
          } else known.add({ key, at: lastAt, value });
        }
        listWasFull = entries.length === limit && lastAt <= now;
        pump();
      } while (pollAgain && !closing);
    } catch (error) {
      log.warn('job-queue-poll-failed', { error });
      nextPollAt = clock.now() + pollMs;
      setTimer();
    } finally {
      polling = false;
    }
  }

  /** Renews the claims this process holds, every third of the lease while it holds any. */
  const renew = (): void => {
    renewTimer = undefined;
    if (closing || flights.size === 0) return;
    renewTimer = clock.setTimeout(renew, leaseMs / 3);
    for (const flight of flights.values()) {
      if (!flight.claimed) continue;
      kv.set(namespace, claimKey(flight.occurrence), context.lease, { ttlMs: leaseMs }).catch(
        (error: unknown) =>
          log.warn('job-lease-renew-failed', { occurrence: flight.occurrence, error }),
      );
    }
  };

  const sweep = async (): Promise<void> => {
    await sweepJobs(kv, namespace, clock.now(), jobRetentionMs).catch((error: unknown) =>
      log.warn('job-queue-sweep-failed', { error }),
    );
  };

  const sweepLater = (): void => {
    sweepTimer = clock.setTimeout(() => {
      void sweep().finally(() => {
        if (!closing) sweepLater();
      });
    }, sweepEveryMs);
  };

  const readAll = async (): Promise<StoredJob[]> =>
    (await kv.list<StoredJob>(namespace, { prefix: jobPrefix })).map((entry) => entry.value);

  return {
    name: 'embedded',

    async start() {
      if (started || closing) return;
      started = true;
      startedAt = clock.now();
      await sweep();
      sweepLater();
      await poll();
    },

    async add(spec: JobSpec): Promise<JobRecord> {
      const now = clock.now();
      const checked = checkJobSpec(spec, now);
      const id = newId('job');
      if (checked.key !== undefined) {
        const existing = await takeKey(
          kv,
          namespace,
          checked.key,
          { id, at: now },
          checked.dedupeMs,
        );
        if (existing) return toJobRecord(existing);
      }
      const job = newStoredJob(checked, id, now);
      // The due entry first: a job record is never without one; an entry without a job is
      // dropped when it is found a minute later.
      const entry: DueEntry = { id, name: job.name, due: job.due, written: now };
      await kv.set(namespace, dueKey(job.at, id), entry);
      await kv.set(namespace, jobKey(id), job);
      remember({ key: dueKey(job.at, id), at: job.at, value: entry });
      return toJobRecord(job);
    },

    process(name: string, handler: (run: JobRun) => Promise<void>) {
      if (typeof name !== 'string' || name === '')
        throw invalidArgument('process() needs a job name (a non-empty string).');
      if (typeof handler !== 'function')
        throw invalidArgument(`The handler of ${name} must be a function.`);
      if (handlers.has(name)) throw invalidArgument(`Jobs named ${name} already have a handler.`);
      handlers.set(name, handler);
      void poll();
    },

    async get(id: string) {
      if (typeof id !== 'string' || id === '') return undefined;
      const job = await kv.get<StoredJob>(namespace, jobKey(id));
      return job && toJobRecord(job);
    },

    async cancel(id: string) {
      if (typeof id !== 'string' || id === '') return false;
      const job = await kv.get<StoredJob>(namespace, jobKey(id));
      if (!job || !activeStates.has(job.state)) return false;
      // The mark first: a runner reads it after each write of the record it makes.
      await kv.set(namespace, cancelKey(id), clock.now(), { ttlMs: jobRetentionMs * 2 });
      const fresh = (await kv.get<StoredJob>(namespace, jobKey(id))) ?? job;
      await kv.set(namespace, jobKey(id), { ...fresh, state: 'cancelled', updatedAt: clock.now() });
      await kv.delete(namespace, dueKey(fresh.at, id));
      return true;
    },

    async list(filter: JobFilter = {}) {
      const limit = filter.limit ?? Number.POSITIVE_INFINITY;
      if (typeof limit !== 'number' || !(limit >= 0))
        throw invalidArgument('limit must be a number ≥ 0.');
      const states = filter.states === undefined ? undefined : new Set(filter.states);
      return (await readAll())
        .filter(
          (job) =>
            (filter.name === undefined || job.name === filter.name) &&
            (filter.key === undefined || job.key === filter.key) &&
            (filter.owner === undefined || job.owner === filter.owner) &&
            (states === undefined || states.has(job.state)),
        )
        .sort((a, b) => a.due - b.due || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
        .slice(0, limit)
        .map(toJobRecord);
    },

    async stats(): Promise<JobStats> {
      const counts = { queued: 0, running: 0, retrying: 0, done: 0, failed: 0 };
      for (const job of await readAll())
        if (job.state in counts) counts[job.state as keyof typeof counts] += 1;
      return { ...counts, lateness: lateness.summary() };
    },

    async close() {
      if (closing) return;
      closing = true;
      for (const each of [timer, renewTimer, sweepTimer])
        if (each !== undefined) clock.clearTimeout(each);
      timer = undefined;
      const settled = () => Promise.allSettled([...flights.values()].map((flight) => flight.done));
      if (flights.size > 0) await Promise.race([settled(), delay(closeGraceMs)]);
      if (flights.size > 0) {
        for (const flight of flights.values()) flight.controller.abort();
        await Promise.race([settled(), delay(abortWaitMs)]);
      }
      if (flights.size > 0)
        log.warn('job-queue-closed-with-running-handlers', {
          occurrences: [...flights.values()].map((flight) => flight.occurrence),
        });
    },
  };
}
