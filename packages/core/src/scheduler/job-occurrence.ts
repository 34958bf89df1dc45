import type { Logger } from '../logging/logger';
import type { JobRun } from '../ports/job-queue';
import type { KeyValueStore } from '../ports/storage';
import type { Clock } from './job-clock';
import type { KnownDue } from './job-due-index';
import {
  activeStates,
  backoffDelay,
  cancelKey,
  claimKey,
  type DoneMark,
  type DueEntry,
  doneKey,
  dueKey,
  jobKey,
  type Lease,
  latestOccurrence,
  occurrenceAfter,
  type StoredJob,
  toJobRecord,
} from './job-store';

/** What running one occurrence needs from its queue. */
export interface OccurrenceContext {
  kv: KeyValueStore;
  namespace: string;
  clock: Clock;
  lease: Lease;
  leaseMs: number;
  /** How long done marks are kept. */
  doneTtlMs: number;
  /** How long a due entry whose job was never written is left alone (its add may be running). */
  orphanGraceMs: number;
  handlers: ReadonlyMap<string, (run: JobRun) => Promise<void>>;
  log: Logger;
  /** When the queue started: occurrences due before were missed while it did not run. */
  startedAt(): number;
  closing(): boolean;
  recordLateness(ms: number): void;
  /** Tells the queue of a due entry this process wrote, so it can time it without a listing. */
  scheduled(entry: KnownDue): void;
}

/** One due entry this process works on, from its claim to its last write. */
export interface Flight {
  /** The due entry's key. */
  key: string;
  /** The due entry's time. */
  at: number;
  entry: DueEntry;
  occurrence: string;
  /** True while this process holds the occurrence's claim (and renews it). */
  claimed: boolean;
  controller: AbortController;
}

/**
 * How a flight ended: `ran` (a handler ran), `lost` (another process holds the occurrence),
 * `stale` (the entry no longer counts), `pending` (the entry is newer than its job: a write in
 * progress), `settled` (finished or moved without running), `released` (left for later).
 */
export type FlightOutcome = 'ran' | 'lost' | 'stale' | 'pending' | 'settled' | 'released';

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error ?? 'The handler failed.');

/**
 * Runs one due entry: claims its occurrence, checks it still counts and was not finished,
 * counts the try in the job's record, runs the handler, then finishes the occurrence.
 *
 * Writes, in order (each step awaited before the next, so no driver may reorder them):
 * 1. `claim:<occurrence>` added with the lease's TTL (only one process gets it; it expires if
 *    this process dies, and is renewed while it lives).
 * 2. Reads `done:<occurrence>` and the job, after the claim: a finisher writes its done mark
 *    before it deletes its claim, so a claim won after a finish always sees the mark.
 * 3. The job as `running` with `attemptsMade + 1`: a try that dies is counted.
 * 4. The handler.
 * 5. Done: `done:<occurrence>` (and a recurring job's next due entry); then the job's new
 *    record, the old due entry's and the claim's deletion; then a read of `cancel:<id>`.
 *    Retry: the retry's due entry; then the job as `retrying` and the deletions.
 * A kill between 4 and 5 runs the occurrence again after the lease (the one duplicate the
 * port allows); between the two writes of 5, the next claimer finds the done mark and only
 * completes the bookkeeping.
 */
export async function flyOccurrence(
  context: OccurrenceContext,
  flight: Flight,
): Promise<FlightOutcome> {
  const { kv, namespace, clock } = context;
  const { entry, occurrence } = flight;
  if (!(await kv.add(namespace, claimKey(occurrence), context.lease, { ttlMs: context.leaseMs })))
    return 'lost';
  flight.claimed = true;
  const release = async () => {
    flight.claimed = false;
    await kv.delete(namespace, claimKey(occurrence));
  };
  const [done, job] = await Promise.all([
    kv.get<DoneMark>(namespace, doneKey(occurrence)),
    kv.get<StoredJob>(namespace, jobKey(entry.id)),
  ]);
  if (!job) {
    if (clock.now() - entry.written > context.orphanGraceMs) await kv.delete(namespace, flight.key);
    await release();
    return 'stale';
  }
  const current = job.at === flight.at && job.due === entry.due;
  if (!current && flight.at > job.at && activeStates.has(job.state)) {
    await release();
    return 'pending';
  }
  if (!current || !activeStates.has(job.state)) {
    await kv.delete(namespace, flight.key);
    await release();
    return 'stale';
  }
  if (done) {
    await complete(context, flight, job, done, false);
    return 'settled';
  }
  const now = clock.now();
  if (job.repeat && job.state === 'queued' && job.attemptsMade === 0) {
    const latest = latestOccurrence(job, job.due, now);
    if (latest !== undefined) {
      await complete(context, flight, job, { outcome: 'skipped', at: now, next: latest }, true);
      return 'settled';
    }
  }
  if (job.attemptsMade >= job.attempts) {
    const error = `Its process stopped while running it, ${job.attemptsMade} time(s).`;
    context.log.error('job-failed', { jobId: job.id, name: job.name, occurrence, error });
    await complete(context, flight, job, finishedMark(job, 'failed', now, error), true);
    return 'settled';
  }
  const handler = context.handlers.get(job.name);
  if (context.closing() || !handler) {
    await release();
    return 'released';
  }
  const running: StoredJob = {
    ...job,
    state: 'running',
    attemptsMade: job.attemptsMade + 1,
    updatedAt: now,
  };
  await kv.set(namespace, jobKey(job.id), running);
  if (context.closing()) {
    await kv.set(namespace, jobKey(job.id), { ...job, updatedAt: clock.now() });
    await release();
    return 'released';
  }
  const startedAt = clock.now();
  const lateMs = Math.max(0, startedAt - flight.at);
  context.recordLateness(lateMs);
  const run: JobRun = {
    job: toJobRecord(running),
    occurrenceId: occurrence,
    due: new Date(job.due),
    lateMs,
    caughtUp: job.caughtUp === true || job.due < context.startedAt(),
    attempt: running.attemptsMade,
    signal: flight.controller.signal,
  };
  let failure: { error: unknown } | undefined;
  try {
    await handler(run);
  } catch (error) {
    failure = { error };
  }
  const end = clock.now();
  if (failure && flight.controller.signal.aborted && context.closing()) {
    // Interrupted by close: not the handler's failure, so the try is not counted.
    context.log.warn('job-interrupted', { jobId: job.id, name: job.name, occurrence });
    await kv.set(namespace, jobKey(job.id), { ...job, updatedAt: end });
    await release();
    return 'released';
  }
  if (!failure) {
    await complete(context, flight, running, finishedMark(running, 'done', end), true);
    return 'ran';
  }
  const message = messageOf(failure.error);
  if (running.attemptsMade < running.attempts) {
    context.log.warn('job-try-failed', {
      jobId: job.id,
      name: job.name,
      attempt: running.attemptsMade,
      error: failure.error,
    });
    await retry(context, flight, running, message, end);
  } else {
    context.log.error('job-failed', {
      jobId: job.id,
      name: job.name,
      occurrence,
      error: failure.error,
    });
    await complete(context, flight, running, finishedMark(running, 'failed', end, message), true);
  }
  return 'ran';
}

/** The done mark of a finished occurrence; a recurring job's names its next occurrence. */
function finishedMark(
  job: StoredJob,
  outcome: 'done' | 'failed',
  at: number,
  error?: string,
): DoneMark {
  const next = occurrenceAfter(job, job.due);
  return {
    outcome,
    at,
    ...(error === undefined ? {} : { error }),
    ...(next === undefined ? {} : { next }),
  };
}

/**
 * Finishes (or skips) the occurrence by its mark: the mark (unless it is stored already) and
 * the next due entry, then the job's record, the old entry's and the claim's deletion, then
 * the check for a cancel that raced with it. Running it twice for one mark writes the same.
 */
async function complete(
  context: OccurrenceContext,
  flight: Flight,
  job: StoredJob,
  mark: DoneMark,
  writeMark: boolean,
): Promise<void> {
  const { kv, namespace } = context;
  const first: Promise<unknown>[] = [];
  if (writeMark)
    first.push(kv.set(namespace, doneKey(flight.occurrence), mark, { ttlMs: context.doneTtlMs }));
  if (mark.next !== undefined) {
    const entry: DueEntry = { id: job.id, name: job.name, due: mark.next, written: mark.at };
    first.push(kv.set(namespace, dueKey(mark.next, job.id), entry));
  }
  await Promise.all(first);
  const skipped = mark.outcome === 'skipped';
  const { lastError: _lastError, caughtUp: _caughtUp, ...rest } = job;
  const lastError = mark.outcome === 'failed' ? mark.error : skipped ? job.lastError : undefined;
  const next: StoredJob = {
    ...rest,
    ...(lastError === undefined ? {} : { lastError }),
    runs: skipped ? job.runs : job.runs + 1,
    updatedAt: context.clock.now(),
    ...(mark.next === undefined
      ? { state: mark.outcome === 'failed' ? 'failed' : 'done' }
      : {
          state: 'queued',
          due: mark.next,
          at: mark.next,
          attemptsMade: 0,
          ...(skipped ? { caughtUp: true as const } : {}),
        }),
  };
  await write(context, flight, job, next);
  if (mark.next !== undefined && next.state === 'queued') {
    const entry: DueEntry = { id: job.id, name: job.name, due: mark.next, written: mark.at };
    context.scheduled({ key: dueKey(mark.next, job.id), at: mark.next, value: entry });
  }
}

/** Moves the occurrence to its next try after the backoff. */
async function retry(
  context: OccurrenceContext,
  flight: Flight,
  job: StoredJob,
  message: string,
  now: number,
): Promise<void> {
  const { kv, namespace } = context;
  const at = Math.max(now + backoffDelay(job.backoffMs, job.attemptsMade), job.at + 1);
  const entry: DueEntry = { id: job.id, name: job.name, due: job.due, written: now };
  await kv.set(namespace, dueKey(at, job.id), entry);
  await write(context, flight, job, {
    ...job,
    state: 'retrying',
    at,
    lastError: message,
    updatedAt: now,
  });
  context.scheduled({ key: dueKey(at, job.id), at, value: entry });
}

/** Writes the job's new record, deletes the old due entry and the claim, then honours a cancel. */
async function write(
  context: OccurrenceContext,
  flight: Flight,
  job: StoredJob,
  next: StoredJob,
): Promise<void> {
  const { kv, namespace } = context;
  flight.claimed = false;
  await Promise.all([
    kv.set(namespace, jobKey(job.id), next),
    activeStates.has(next.state) && next.at === flight.at
      ? undefined
      : kv.delete(namespace, flight.key),
    kv.delete(namespace, claimKey(flight.occurrence)),
  ]);
  if (activeStates.has(next.state) && (await kv.get(namespace, cancelKey(job.id))) !== undefined) {
    await kv.set(namespace, jobKey(job.id), {
      ...next,
      state: 'cancelled',
      updatedAt: context.clock.now(),
    });
    await kv.delete(namespace, dueKey(next.at, job.id));
  }
}
