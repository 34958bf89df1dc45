/**
 * The embedded job queue's layout in `storage.kv` (one namespace, `jobs` by default):
 *
 * - `job:<id>` → {@link StoredJob}: the job and its current occurrence.
 * - `due:<at, 15 digits>:<id>` → {@link DueEntry}: the due index; keys sort by the time the
 *   next try may start, so `list({ prefix: 'due:', limit })` returns the earliest first.
 *   An entry counts only while `at` is the job's `at`: older ones are stale (deleted when
 *   seen), a newer one is a write in progress (left alone).
 * - `claim:<occurrence>` → {@link Lease}, added with a TTL of the lease: one process runs
 *   the occurrence while it holds it, and renews it.
 * - `done:<occurrence>` → {@link DoneMark}, kept for `doneTtlMs`: the occurrence is finished.
 * - `cancel:<id>`: the job was cancelled (read after every runner's write of the record).
 * - `key:<key>` → {@link KeyHolder}: the job that holds a de-duplication key.
 * - `keyfree:<key>:<id>`: added by the one caller that may replace a stale key holder.
 *
 * An occurrence is `<id>@<due ms>`.
 */
import type { JobRecord, JobState } from '../ports/job-queue';
import { nextOccurrences, type Recurrence } from './recurrence';

/** A job as stored under `job:<id>`; times in ms. */
export interface StoredJob {
  id: string;
  name: string;
  data: Record<string, unknown>;
  state: JobState;
  /** The due time of the current occurrence. */
  due: number;
  /** When the current occurrence's next try may start: its due entry's time. */
  at: number;
  repeat?: Recurrence;
  timezone?: string;
  key?: string;
  owner?: string;
  attempts: number;
  backoffMs: number;
  attemptsMade: number;
  runs: number;
  lastError?: string;
  /** Set when the current occurrence is the latest of several missed ones (it runs with `caughtUp`). */
  caughtUp?: true;
  createdAt: number;
  updatedAt: number;
}

/** The value of a due entry. */
export interface DueEntry {
  id: string;
  name: string;
  /** The due time of the occurrence this entry tries. */
  due: number;
  /** When the entry was written, so an entry whose job was never written can be told stale. */
  written: number;
}

/** Who holds an occurrence. */
export interface Lease {
  instance: string;
  pid: number;
  host: string;
}

/** How an occurrence finished. `skipped`: passed over when a recurring job caught up. */
export interface DoneMark {
  outcome: 'done' | 'failed' | 'skipped';
  error?: string;
  at: number;
  /** A recurring job's next occurrence, which the job moves to. */
  next?: number;
}

/** The job holding a de-duplication key, and when it took it. */
export interface KeyHolder {
  id: string;
  at: number;
}

export const jobKey = (id: string) => `job:${id}`;
export const duePrefix = 'due:';
export const dueKey = (at: number, id: string) =>
  `${duePrefix}${String(Math.max(0, Math.floor(at))).padStart(15, '0')}:${id}`;
/** The time in a due entry's key. */
export const dueTimeOf = (key: string) =>
  Number(key.slice(duePrefix.length, duePrefix.length + 15));
export const occurrenceOf = (id: string, due: number) => `${id}@${due}`;
export const claimKey = (occurrence: string) => `claim:${occurrence}`;
export const doneKey = (occurrence: string) => `done:${occurrence}`;
export const cancelKey = (id: string) => `cancel:${id}`;
export const holderKey = (key: string) => `key:${key}`;
export const keyFreeKey = (key: string, staleId: string) => `keyfree:${key}:${staleId}`;
export const jobPrefix = 'job:';

/** The states in which a job still runs (or will). */
export const activeStates: ReadonlySet<JobState> = new Set(['queued', 'running', 'retrying']);

/** The port's view of a stored job. */
export function toJobRecord(job: StoredJob): JobRecord {
  return {
    id: job.id,
    name: job.name,
    data: structuredClone(job.data),
    state: job.state,
    runAt: new Date(job.due),
    ...(job.repeat === undefined ? {} : { repeat: structuredClone(job.repeat) }),
    ...(job.timezone === undefined ? {} : { timezone: job.timezone }),
    ...(job.key === undefined ? {} : { key: job.key }),
    ...(job.owner === undefined ? {} : { owner: job.owner }),
    attempts: job.attempts,
    attemptsMade: job.attemptsMade,
    runs: job.runs,
    ...(job.lastError === undefined ? {} : { lastError: job.lastError }),
    createdAt: new Date(job.createdAt),
    updatedAt: new Date(job.updatedAt),
  };
}

/** A recurring job's first occurrence strictly after `after` (ms). */
export function occurrenceAfter(job: StoredJob, after: number): number | undefined {
  if (!job.repeat || !job.timezone) return undefined;
  return nextOccurrences(job.repeat, job.timezone, new Date(after), 1)[0]?.getTime();
}

const eightYearsMs = 8 * 366 * 86_400_000;
const batch = 500;

/**
 * A recurring job's latest occurrence in (`after`, `until`], or undefined when there is none.
 * Rules other than intervals are walked from at most eight years back (a 29 February falls in
 * every such span).
 */
export function latestOccurrence(job: StoredJob, after: number, until: number): number | undefined {
  if (!job.repeat || !job.timezone) return undefined;
  const rule = job.repeat;
  if (rule.kind === 'interval') {
    const next = occurrenceAfter(job, until);
    if (next === undefined) return undefined;
    const previous = next - rule.minutes * 60_000;
    return previous > after ? previous : undefined;
  }
  let cursor = Math.max(after, until - eightYearsMs);
  let latest: number | undefined;
  for (;;) {
    const found = nextOccurrences(rule, job.timezone, new Date(cursor), batch);
    for (const each of found) {
      const time = each.getTime();
      if (time > until) return latest;
      latest = time;
    }
    if (found.length < batch) return latest;
    cursor = found[found.length - 1]!.getTime();
  }
}

/** The delay before retry number `attemptsMade` (1 for the first retry): doubling, at most 5 minutes. */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return Math.min(backoffMs * 2 ** Math.max(0, attemptsMade - 1), 5 * 60_000);
}
