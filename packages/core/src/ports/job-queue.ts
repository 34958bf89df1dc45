import type { Recurrence } from '../scheduler/recurrence';

/** Where a job is in its life. */
export type JobState = 'queued' | 'running' | 'retrying' | 'done' | 'failed' | 'cancelled';

/** A job to run in the background: now, at an instant, or on a recurring rule. */
export interface JobSpec {
  /** The handler's name (`reminders.fire`); {@link JobQueue.process} registers it. */
  name: string;
  /** JSON-serializable input. */
  data: Record<string, unknown>;
  /** One-off: when to run. Default: now. */
  runAt?: Date;
  /** Recurring: the wall-clock rule, in `timezone`. */
  repeat?: Recurrence;
  /** An IANA name (`Europe/Berlin`) or `UTC±HH:MM`; required with `repeat`. */
  timezone?: string;
  /**
   * De-duplication: while a job with this key is queued, running or retrying, adding another
   * with the same key returns the existing one instead (within `dedupeMs` of its creation when
   * that is set).
   */
  key?: string;
  /** How long the key de-duplicates, in ms. Default: for as long as the job is active. */
  dedupeMs?: number;
  /** Tries of one occurrence before it counts as failed. Default 3. */
  attempts?: number;
  /** The first retry's delay; it doubles on every retry, up to 5 minutes. Default 1000. */
  backoffMs?: number;
  /** The user the job belongs to (a Botwire user id), for `/jobs` and `list({ owner })`. */
  owner?: string;
}

/** A job the queue holds. */
export interface JobRecord {
  id: string;
  name: string;
  data: Record<string, unknown>;
  state: JobState;
  /** When it runs next (the due time of its current occurrence). */
  runAt: Date;
  repeat?: Recurrence;
  timezone?: string;
  key?: string;
  owner?: string;
  attempts: number;
  /** Tries made of the current occurrence. */
  attemptsMade: number;
  /** Occurrences finished (done or failed). */
  runs: number;
  /** The last failure's message, when it failed or is retrying. */
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One occurrence of a job, as its handler gets it. */
export interface JobRun {
  job: JobRecord;
  /** Identifies this occurrence (job and due time) across retries and restarts: a key for idempotent effects. */
  occurrenceId: string;
  /** When the occurrence was due. */
  due: Date;
  /** How late it started, in ms. */
  lateMs: number;
  /**
   * True when it was missed while no process ran and is caught up now (a one-off fires at start;
   * a recurring job fires only its latest missed occurrence).
   */
  caughtUp: boolean;
  /** 1 for the first try. */
  attempt: number;
  /** Aborted when the queue closes. */
  signal: AbortSignal;
}

/** Counts and lateness, for `/ready` and `/metrics`. */
export interface JobStats {
  queued: number;
  running: number;
  retrying: number;
  done: number;
  failed: number;
  /** Lateness of the occurrences started since the queue opened, in ms. */
  lateness: { p50: number; p99: number; max: number; count: number };
}

/** What {@link JobQueue.list} returns. */
export interface JobFilter {
  name?: string;
  key?: string;
  owner?: string;
  states?: JobState[];
  limit?: number;
}

/**
 * The job queue and scheduler port: the embedded driver keeps jobs in the bot's storage and
 * times them in the process; the production one is BullMQ on Redis. Every occurrence of a job
 * is handed to one handler call at a time in one process (never two at once, in any number of
 * processes), and is finished once: a handler that throws is retried with backoff up to
 * `attempts`; a process that dies in the middle of a handler leaves the occurrence to be run
 * again after a restart (`run.attempt` counts it), so effects outside the bot should be keyed by
 * `run.occurrenceId`. Every driver passes `runJobQueueContract` from `@botwire/core/contract-suites`.
 *
 * @example
 * queue.process('reminders.fire', async (run) => deliver(run.job.data));
 * await queue.start();
 * await queue.add({ name: 'reminders.fire', data: { text: 'Call mum' }, runAt: tomorrowAtNine });
 */
export interface JobQueue {
  readonly name: string;
  /** Starts running due jobs with the registered handlers; jobs can be added before. */
  start(): Promise<void>;
  /** Adds a job (or returns the active one with the same key). Throws BOTWIRE_INVALID_ARGUMENT on a bad spec. */
  add(spec: JobSpec): Promise<JobRecord>;
  /** Runs jobs of this name as they come due; one handler per name. */
  process(name: string, handler: (run: JobRun) => Promise<void>): void;
  get(id: string): Promise<JobRecord | undefined>;
  /** Cancels a queued, retrying or recurring job; false when there is no such active job. */
  cancel(id: string): Promise<boolean>;
  /** Jobs, soonest first. */
  list(filter?: JobFilter): Promise<JobRecord[]>;
  stats(): Promise<JobStats>;
  /**
   * Optional: one round trip to the queue's server (Redis `PING`), connecting first when the
   * queue has not yet; resolves with its latency in ms, or fails as other calls do
   * (BOTWIRE_QUEUE_FAILED, with the server's address but never its credentials). `botwire
   * doctor` uses it; a queue without a server leaves it out.
   */
  ping?(): Promise<number>;
  /** Stops taking occurrences, waits for running handlers (aborting them after a grace period), and releases timers. */
  close(): Promise<void>;
}
